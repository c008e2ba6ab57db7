// Computed outputs per resource type for the mocks: what AWS and the engine would return (ARNs,
// auto-names with the engine's suffix, endpoints), deterministic so `synth` output diffs cleanly.
import { createHash } from 'node:crypto';
import type * as pulumi from '@pulumi/pulumi';

export type State = Record<string, unknown>;
export interface Ctx {
  region: string;
  account: string;
  args: pulumi.runtime.MockResourceArgs;
}

/** Deterministic stand-in for the engine's random suffix, so synth output diffs cleanly. */
export function mockSuffix(seed: string, length = 7): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

/** The engine's auto-name: logical name + "-" + 7 random chars (lowercased where AWS needs it). */
function autoName(args: pulumi.runtime.MockResourceArgs, lower = false): string {
  const prefix = typeof args.inputs.namePrefix === 'string' ? args.inputs.namePrefix : `${args.name}-`;
  const name = `${prefix}${mockSuffix(`${args.type}::${args.name}`)}`;
  return lower ? name.toLowerCase() : name;
}

function nameOf(ctx: Ctx, key = 'name', lower = false): string {
  const given = ctx.args.inputs[key];
  return typeof given === 'string' ? given : autoName(ctx.args, lower);
}

function hexId(ctx: Ctx, prefix: string, length = 17): string {
  return `${prefix}-${mockSuffix(`${ctx.args.type}::${ctx.args.name}::id`, length)}`;
}

function lastSegment(arnOrName: unknown): string {
  return (
    String(arnOrName ?? 'unknown')
      .split('/')
      .pop() ?? 'unknown'
  );
}

export type Builder = (ctx: Ctx) => { id: string; state: State };

/** Computed outputs per resource type: only what programs and tests read. */
export const BUILDERS: Record<string, Builder> = {
  'aws:s3/bucket:Bucket': (c) => {
    const bucket = nameOf(c, 'bucket', true);
    const domain = `${bucket}.s3.${c.region}.amazonaws.com`;
    return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: domain } };
  },
  'aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration': (c) => {
    const bucket = String(c.args.inputs.bucket);
    const websiteDomain = `s3-website-${c.region}.amazonaws.com`;
    return { id: bucket, state: { websiteEndpoint: `${bucket}.${websiteDomain}`, websiteDomain } };
  },
  'aws:iam/role:Role': (c) => {
    const name = nameOf(c);
    return {
      id: name,
      state: { name, arn: `arn:aws:iam::${c.account}:role/${name}`, uniqueId: hexId(c, 'AROA', 17) },
    };
  },
  'aws:iam/rolePolicy:RolePolicy': (c) => {
    const name = nameOf(c);
    return { id: `${String(c.args.inputs.role)}:${name}`, state: { name } };
  },
  'aws:iam/openIdConnectProvider:OpenIdConnectProvider': (c) => {
    const host = String(c.args.inputs.url ?? '').replace(/^https:\/\//, '');
    const arn = `arn:aws:iam::${c.account}:oidc-provider/${host}`;
    return { id: arn, state: { arn } };
  },
  'aws:cloudwatch/logGroup:LogGroup': (c) => {
    const name = nameOf(c);
    return { id: name, state: { name, arn: `arn:aws:logs:${c.region}:${c.account}:log-group:${name}` } };
  },
  'aws:ecs/cluster:Cluster': (c) => {
    const name = nameOf(c);
    const arn = `arn:aws:ecs:${c.region}:${c.account}:cluster/${name}`;
    return { id: arn, state: { name, arn } };
  },
  'aws:ecs/taskDefinition:TaskDefinition': (c) => {
    const family = String(c.args.inputs.family);
    const base = `arn:aws:ecs:${c.region}:${c.account}:task-definition/${family}`;
    return { id: family, state: { revision: 1, arn: `${base}:1`, arnWithoutRevision: base } };
  },
  'aws:ecs/service:Service': (c) => {
    const name = nameOf(c);
    const cluster = lastSegment(c.args.inputs.cluster);
    const arn = `arn:aws:ecs:${c.region}:${c.account}:service/${cluster}/${name}`;
    return { id: arn, state: { name, arn } };
  },
  'aws:lb/targetGroup:TargetGroup': (c) => {
    const name = nameOf(c);
    const arnSuffix = `targetgroup/${name}/${mockSuffix(c.args.name, 16)}`;
    const arn = `arn:aws:elasticloadbalancing:${c.region}:${c.account}:${arnSuffix}`;
    return { id: arn, state: { name, arn, arnSuffix } };
  },
  'aws:lb/loadBalancer:LoadBalancer': (c) => {
    const name = nameOf(c);
    const arnSuffix = `app/${name}/${mockSuffix(c.args.name, 16)}`;
    const arn = `arn:aws:elasticloadbalancing:${c.region}:${c.account}:loadbalancer/${arnSuffix}`;
    const dnsName = `${name}-${parseInt(mockSuffix(c.args.name, 8), 16)}.${c.region}.elb.amazonaws.com`;
    return { id: arn, state: { name, arn, arnSuffix, dnsName, zoneId: 'Z32O12XQLNTSW2' } };
  },
  'aws:lb/listener:Listener': (c) => {
    const lb = String(c.args.inputs.loadBalancerArn ?? '').replace(':loadbalancer/', ':listener/');
    const arn = `${lb}/${mockSuffix(c.args.name, 16)}`;
    return { id: arn, state: { arn } };
  },
  'aws:lb/listenerRule:ListenerRule': (c) => {
    const listener = String(c.args.inputs.listenerArn ?? '').replace(':listener/', ':listener-rule/');
    const arn = `${listener}/${mockSuffix(c.args.name, 16)}`;
    return { id: arn, state: { arn } };
  },
  'aws:ec2/securityGroup:SecurityGroup': (c) => {
    const id = hexId(c, 'sg');
    return {
      id,
      state: { name: nameOf(c), arn: `arn:aws:ec2:${c.region}:${c.account}:security-group/${id}` },
    };
  },
  'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule': (c) => ({ id: hexId(c, 'sgr'), state: {} }),
  'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule': (c) => ({ id: hexId(c, 'sgr'), state: {} }),
  'aws:scheduler/schedule:Schedule': (c) => {
    const name = nameOf(c);
    const group = String(c.args.inputs.groupName ?? 'default');
    return {
      id: `${group}/${name}`,
      state: { name, arn: `arn:aws:scheduler:${c.region}:${c.account}:schedule/${group}/${name}` },
    };
  },
  'aws:iam/policy:Policy': (c) => {
    const name = nameOf(c);
    const arn = `arn:aws:iam::${c.account}:policy/${name}`;
    return { id: arn, state: { name, arn } };
  },
  'aws:sqs/queue:Queue': (c) => {
    const name = nameOf(c);
    const arn = `arn:aws:sqs:${c.region}:${c.account}:${name}`;
    return { id: `https://sqs.${c.region}.amazonaws.com/${c.account}/${name}`, state: { name, arn } };
  },
  'aws:sns/topic:Topic': (c) => {
    const name = nameOf(c);
    const arn = `arn:aws:sns:${c.region}:${c.account}:${name}`;
    return { id: arn, state: { name, arn } };
  },
  'aws:cloudwatch/metricAlarm:MetricAlarm': (c) => {
    const name = nameOf(c);
    return { id: name, state: { name, arn: `arn:aws:cloudwatch:${c.region}:${c.account}:alarm:${name}` } };
  },
  'aws:cloudwatch/eventRule:EventRule': (c) => {
    const name = nameOf(c);
    return { id: name, state: { name, arn: `arn:aws:events:${c.region}:${c.account}:rule/${name}` } };
  },
  'awsx:ec2:Vpc': (c) => {
    // A remote component: under mocks only its scalar outputs exist (pulumi#12553).
    const azs = Number(c.args.inputs.numberOfAvailabilityZones ?? 2);
    const subnets = (kind: string) =>
      Array.from({ length: azs }, (_, i) => `subnet-${mockSuffix(`${c.args.name}-${kind}-${i}`, 17)}`);
    const vpcId = hexId(c, 'vpc');
    return {
      id: vpcId,
      state: {
        vpcId,
        publicSubnetIds: subnets('public'),
        privateSubnetIds: subnets('private'),
        isolatedSubnetIds: [],
      },
    };
  },
};
