// What the stacks declare, as the IAM proof sees it: every role with its inline and attached policies and its
// permissions boundary, the resource policies (bucket, topic, queue) and every declared resource with the ARN
// the mocks computed, read from the offline synth of blue, green and shared (the same mock runtime the other
// infra tests use). Green is synthesized with its optional inputs set (private-image secret, alert e-mail),
// so the grants those add are proven too.
import { readFileSync } from 'node:fs';
import type { SynthStack } from '../../infra/synth/stacks.ts';
import { loadStackConfig } from '../../infra/synth/stackConfig.ts';
import { defaultStackFile, synthesizeDeclared, type DeclaredResource } from '../../infra/synth/synth.ts';
import { MOCK_ACCOUNT_ID, MOCK_REGION } from '../../infra/testing/mocks.ts';

export interface Doc {
  Version: string;
  Statement: Record<string, unknown>[];
}

export interface NamedPolicy {
  name: string;
  policy: Doc;
}

export interface Role {
  /** `<stack>/<logical name>`, for messages. */
  label: string;
  stack: SynthStack;
  resource: DeclaredResource;
  name: string;
  arn: string;
  identity: NamedPolicy[];
  boundaryArn?: string;
  boundary?: NamedPolicy;
}

export interface World {
  account: string;
  region: string;
  stacks: Record<SynthStack, { resources: DeclaredResource[]; invokes: string[] }>;
  roles: Role[];
  /** Managed policies by ARN: the stacks' own and the AWS managed ones they attach (data/). */
  managed: Map<string, Doc>;
  /** Resource policies by the ARN of the resource that carries them (bucket, topic, queue). */
  resourcePolicies: Map<string, Doc>;
  state: { bucket: string; prefix: string };
}

export const GREEN_OPTIONALS = {
  'exchange:registryCredentialsSecretArn': `arn:aws:secretsmanager:${MOCK_REGION}:${MOCK_ACCOUNT_ID}:secret:ghcr-pull-AbCdEf`,
  'exchange:alertEmail': 'ops@example.com',
};

const AWS_MANAGED = JSON.parse(
  readFileSync(new URL('./data/awsManagedPolicies.json', import.meta.url), 'utf8'),
) as { policies: Record<string, { document: Doc }> };

const json = (v: unknown): Doc => (typeof v === 'string' ? JSON.parse(v) : v) as Doc;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export async function buildWorld(): Promise<World> {
  const stacks = {} as World['stacks'];
  for (const stack of ['shared', 'blue', 'green'] as const) {
    const config = loadStackConfig(defaultStackFile(stack));
    stacks[stack] = await synthesizeDeclared(
      stack,
      stack === 'green' ? { ...config, ...GREEN_OPTIONALS } : config,
    );
  }
  const all = Object.values(stacks).flatMap((s) => s.resources);
  const managed = new Map<string, Doc>(
    Object.entries(AWS_MANAGED.policies).map(([arn, p]) => [arn, p.document]),
  );
  for (const p of all.filter((r) => r.type === 'aws:iam/policy:Policy'))
    managed.set(str(p.outputs.arn), json(p.inputs.policy));

  const resourcePolicies = new Map<string, Doc>();
  for (const r of all) {
    if (r.type === 'aws:s3/bucketPolicy:BucketPolicy')
      resourcePolicies.set(`arn:aws:s3:::${str(r.inputs.bucket)}`, json(r.inputs.policy));
    if (r.type === 'aws:sns/topicPolicy:TopicPolicy')
      resourcePolicies.set(str(r.inputs.arn), json(r.inputs.policy));
    if (r.type === 'aws:sqs/queuePolicy:QueuePolicy') {
      const queue = all.find((q) => q.type === 'aws:sqs/queue:Queue' && q.id === r.inputs.queueUrl);
      resourcePolicies.set(str(queue?.outputs.arn), json(r.inputs.policy));
    }
  }

  const roles: Role[] = [];
  for (const stack of Object.keys(stacks) as SynthStack[])
    for (const r of stacks[stack].resources.filter((x) => x.type === 'aws:iam/role:Role')) {
      const name = str(r.outputs.name);
      const mine = (x: DeclaredResource) => x.inputs.role === name || x.inputs.role === r.id;
      const inline = stacks[stack].resources
        .filter((x) => x.type === 'aws:iam/rolePolicy:RolePolicy' && mine(x))
        .map((x) => ({ name: x.name, policy: json(x.inputs.policy) }));
      const attached = stacks[stack].resources
        .filter((x) => x.type === 'aws:iam/rolePolicyAttachment:RolePolicyAttachment' && mine(x))
        .map((x) => {
          const arn = str(x.inputs.policyArn);
          const doc = managed.get(arn);
          if (!doc) throw new Error(`${stack}: ${name} attaches ${arn}, whose document test/iam/data lacks`);
          return { name: arn, policy: doc };
        });
      const boundaryArn = str(r.inputs.permissionsBoundary) || undefined;
      const boundaryDoc = boundaryArn ? managed.get(boundaryArn) : undefined;
      if (boundaryArn && !boundaryDoc)
        throw new Error(`${stack}: ${name} carries boundary ${boundaryArn}, which no stack declares`);
      roles.push({
        label: `${stack}/${r.name}`,
        stack,
        resource: r,
        name,
        arn: str(r.outputs.arn),
        identity: [...inline, ...attached],
        ...(boundaryArn && boundaryDoc
          ? { boundaryArn, boundary: { name: boundaryArn, policy: boundaryDoc } }
          : {}),
      });
    }
  const shared = loadStackConfig(defaultStackFile('shared'));
  return {
    account: MOCK_ACCOUNT_ID,
    region: MOCK_REGION,
    stacks,
    roles,
    managed,
    resourcePolicies,
    state: {
      bucket: str(shared['exchange-shared:stateBucket']),
      prefix: str(shared['exchange-shared:statePrefix']),
    },
  };
}

/** The one role of a stack whose logical name matches (e.g. `exchange-green-ingest-task`). */
export function role(world: World, stack: SynthStack, logical: string | RegExp): Role {
  const found = world.roles.filter(
    (r) =>
      r.stack === stack &&
      (typeof logical === 'string' ? r.resource.name === logical : logical.test(r.resource.name)),
  );
  if (found.length !== 1)
    throw new Error(`${stack}: expected one role ${String(logical)}, found ${found.length}`);
  return found[0] as Role;
}

export function resourcesOfType(world: World, type: string): (DeclaredResource & { stack: SynthStack })[] {
  return (Object.keys(world.stacks) as SynthStack[]).flatMap((stack) =>
    world.stacks[stack].resources.filter((r) => r.type === type).map((r) => ({ ...r, stack })),
  );
}
