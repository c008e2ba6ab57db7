// ExchangeEnvironment: one colour (blue or green) of the exchange — its bucket, roles, task
// definition, target group, header test route, service and scheduled ingest — built from raw
// aws.* resources so every input is visible to mocks, policies and `synth`.
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { Color } from '../contract/index.ts';
import { createAlerts, type Alerts } from './exchangeEnvironment/alerts.ts';
import { resolveArgs, type ExchangeEnvironmentArgs } from './exchangeEnvironment/args.ts';
import { environmentNames, sourceScheduleName, testRouteHeader } from './exchangeEnvironment/naming.ts';
import { createTaskRoles, type Roles } from './exchangeEnvironment/roles.ts';
import { createSchedule, type Schedule } from './exchangeEnvironment/schedule.ts';
import { createTraffic, type Traffic } from './exchangeEnvironment/service.ts';
import { createScaling, type Scaling } from './exchangeEnvironment/scaling.ts';
import { createStorage, type Storage } from './exchangeEnvironment/storage.ts';
import { createTask, type Task } from './exchangeEnvironment/task.ts';

export type { ExchangeEnvironmentArgs } from './exchangeEnvironment/args.ts';
export { EnvironmentArgError } from './exchangeEnvironment/errors.ts';

/** Part of every child URN: renaming it needs an alias on the component. */
export const EXCHANGE_ENVIRONMENT_TYPE = 'exchange:index:ExchangeEnvironment';

/** Every child, grouped by concern, for tests and policies to await and inspect. */
export type EnvironmentResources = Storage & Roles & Task & Traffic & Scaling & Schedule & Alerts;

export class ExchangeEnvironment extends pulumi.ComponentResource {
  readonly color: Color;
  readonly bucketName: pulumi.Output<string>;
  readonly websiteEndpoint: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  /** The role the scheduled ingest runs as (its RunTask overrides name it; `ingest-now` sends the same). */
  readonly ingestRoleArn: pulumi.Output<string>;
  /** `X-Exchange-Color: <color>`: send it to reach this colour before it has any weight. */
  readonly testRouteHeader: pulumi.Output<string>;
  readonly resources: EnvironmentResources;

  /**
   * @param name  Component name; lower-case, must contain the colour, ≤ 21 chars (child names derive from it).
   * @throws EnvironmentArgError before anything is registered when an argument is invalid.
   */
  constructor(name: string, args: ExchangeEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before super(): a bad argument must not leave a half-registered component behind.
    const r = resolveArgs(args);
    const names = environmentNames(name, r.color);
    for (const s of r.moreSources) sourceScheduleName(names, s.source);
    super(EXCHANGE_ENVIRONMENT_TYPE, name, { color: r.color, source: r.source, version: r.version }, opts);

    const tags = { ...r.tags, 'exchange:color': r.color };
    const invokeOpts = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, invokeOpts).accountId;
    const region = aws.getRegionOutput({}, invokeOpts).region;

    const storage = createStorage(this, names, r, tags);
    const bucketName = storage.bucket.bucket;
    const roles = createTaskRoles(this, names, r, { bucketArn: storage.bucket.arn, accountId, tags });
    const task = createTask(this, names, r, { bucketName, region, roles, tags });
    const traffic = createTraffic(this, names, r, { taskDefinition: task.taskDefinition, tags });
    const scaling = createScaling(this, names, r, { ...traffic, tags });
    const schedule = createSchedule(this, names, r, {
      taskDefinition: task.taskDefinition,
      service: traffic.service,
      roles,
      securityGroupId: traffic.securityGroup.id,
      bucketName,
      accountId,
      tags,
    });

    const alerts = createAlerts(this, names, r, { deadLetterQueue: schedule.deadLetterQueue, tags });

    this.color = r.color;
    this.resources = { ...storage, ...roles, ...task, ...traffic, ...scaling, ...schedule, ...alerts };
    this.bucketName = bucketName;
    this.websiteEndpoint = storage.website.websiteEndpoint;
    this.targetGroupArn = traffic.targetGroup.arn;
    this.serviceName = traffic.service.name;
    this.taskDefinitionArn = task.taskDefinition.arn;
    this.ingestRoleArn = roles.ingestRole.arn;
    this.testRouteHeader = pulumi.output(testRouteHeader(r.color));
    this.registerOutputs({
      bucketName: this.bucketName,
      websiteEndpoint: this.websiteEndpoint,
      targetGroupArn: this.targetGroupArn,
      serviceName: this.serviceName,
      taskDefinitionArn: this.taskDefinitionArn,
      ingestRoleArn: this.ingestRoleArn,
      testRouteHeader: this.testRouteHeader,
    });
  }
}
