// Realistic Pulumi mocks shared by the infra tests and the `synth` command: the engine is replaced
// by a function that returns what AWS and the engine would compute (ARNs, auto-names, endpoints),
// so a program's wiring can be exercised and printed without credentials or a Pulumi CLI.
import * as pulumi from '@pulumi/pulumi';
import { BUILDERS, mockSuffix, type Ctx, type State } from './mockOutputs.ts';

export { mockSuffix } from './mockOutputs.ts';

/** Account and region every fabricated ARN uses unless overridden. */
export const MOCK_ACCOUNT_ID = '123456789012';
export const MOCK_REGION = 'eu-west-1';

/** One `newResource` call, plus what the plain mock API leaves out (pulumi#8342): parent and URN. */
export interface CapturedResource extends pulumi.runtime.MockResourceArgs {
  /** URN this resource gets (same algorithm as the mock monitor). */
  urn: string;
  /** URN of the parent resource, if any. */
  parent?: string;
  /** Stack that was current when the resource registered (`setMocks` is process-global). */
  stack: string;
  /** URNs of explicit and implied dependencies (`dependsOn`, and resources whose outputs were inputs). */
  dependencies: string[];
  /** The `protect` option as the engine receives it (it refuses to replace or delete such a resource). */
  protect: boolean;
  /** What the mocks answered: the inputs plus computed outputs (ARNs, auto-names); `id` is the resource ID. */
  state: Record<string, unknown>;
  id: string;
}

export interface MockOptions {
  region?: string;
  accountId?: string;
  /** Outputs served to `new pulumi.StackReference(name)`, keyed by the full stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** What a StackReference to a stack not in `stackOutputs` gets: an error (as the engine) or no outputs. */
  unknownStack?: 'throw' | 'empty';
  /**
   * Return only the inputs, as a real preview of new resources does: every computed output (ARNs, auto-names,
   * endpoints) stays unknown when installed with `preview: true`. StackReference outputs stay known.
   */
  omitComputed?: boolean;
}

export interface MockHarness {
  readonly mocks: pulumi.runtime.Mocks;
  /** Every registered resource since the last `reset()`, in registration order (live array). */
  readonly resources: CapturedResource[];
  /** Every invoke since the last `reset()`. */
  readonly calls: pulumi.runtime.MockCallArgs[];
  /** Empties both captures in place, so one spec file owns what it asserts on. */
  reset(): void;
  setStackOutputs(stackName: string, outputs: Record<string, unknown>): void;
  /** Captured resources of one type token, e.g. `aws:ecs/service:Service`. */
  ofType(token: string): CapturedResource[];
  /** The single captured resource of a type (optionally with a logical name); throws otherwise. */
  one(token: string, name?: string): CapturedResource;
}

function newResource(
  ctx: Ctx,
  options: MockOptions,
  stackOutputs: MockOptions['stackOutputs'],
): { id: string; state: State } {
  const { args } = ctx;
  const unknownStack = options.unknownStack ?? 'throw';
  if (args.type === 'pulumi:pulumi:StackReference') {
    const name = String(args.inputs.name);
    const outputs = stackOutputs?.[name];
    if (!outputs && unknownStack === 'throw') throw new Error(`mock StackReference: unknown stack "${name}"`);
    return { id: name, state: { name, outputs: outputs ?? {} } };
  }
  if (options.omitComputed) return { id: '', state: { ...args.inputs } };
  const builder = BUILDERS[args.type];
  if (builder) {
    const built = builder(ctx);
    return { id: built.id, state: { ...args.inputs, ...built.state } };
  }
  // Generic AWS resource: echo the inputs and fabricate an id; components get no id at all.
  const service = args.type.split(':')[1]?.split('/')[0] ?? 'unknown';
  const id = args.custom === false ? '' : `${args.name}-${mockSuffix(args.type + args.name)}`;
  const state = args.type.startsWith('aws:')
    ? { arn: `arn:aws:${service}:${ctx.region}:${ctx.account}:${id}`, ...args.inputs }
    : { ...args.inputs };
  return { id, state };
}

function call(args: pulumi.runtime.MockCallArgs, region: string, account: string): Record<string, unknown> {
  switch (args.token) {
    case 'aws:index/getRegion:getRegion':
      return {
        id: region,
        name: region,
        region,
        description: 'Europe (Ireland)',
        endpoint: `ec2.${region}.amazonaws.com`,
      };
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return {
        id: account,
        accountId: account,
        arn: `arn:aws:sts::${account}:assumed-role/mock/session`,
        userId: 'AROAMOCK:session',
      };
    case 'aws:index/getPartition:getPartition':
      return { id: 'aws', partition: 'aws', dnsSuffix: 'amazonaws.com', reverseDnsPrefix: 'com.amazonaws' };
    case 'aws:elb/getServiceAccount:getServiceAccount':
      // The regional ELB log-delivery account (eu-west-1's, as AWS documents it).
      return { id: '156460612806', arn: 'arn:aws:iam::156460612806:root' };
    case 'aws:ec2/getRouteTables:getRouteTables': {
      const subnets = (args.inputs.filters as { values: string[] }[] | undefined)?.[0]?.values ?? [];
      return { id: region, ids: subnets.map((s) => `rtb-${s.slice(-17)}`) };
    }
    case 'aws:index/getAvailabilityZones:getAvailabilityZones':
      return {
        id: region,
        names: [`${region}a`, `${region}b`, `${region}c`],
        zoneIds: ['euw1-az1', 'euw1-az2', 'euw1-az3'],
      };
    default:
      // An unmocked invoke must fail loudly rather than return {} and let code read undefined.
      throw new Error(`mock: no result for invoke ${args.token}`);
  }
}

/** Fresh mocks with their own captures; install them with `installMocks`. */
export function createMocks(options: MockOptions = {}): MockHarness {
  const region = options.region ?? MOCK_REGION;
  const account = options.accountId ?? MOCK_ACCOUNT_ID;
  const stackOutputs: Record<string, Record<string, unknown>> = { ...options.stackOutputs };
  const resources: CapturedResource[] = [];
  const calls: pulumi.runtime.MockCallArgs[] = [];
  const mocks: InstalledMocks = {
    newResource(args) {
      const { parent, dependencies = [], protect = false } = mocks.pending ?? {};
      mocks.pending = undefined;
      const urn = urnOf(parent, args.type, args.name);
      const stack = pulumi.getStack();
      const captured: CapturedResource = {
        ...args,
        urn,
        stack,
        dependencies,
        protect,
        state: {},
        id: '',
        ...(parent ? { parent } : {}),
      };
      resources.push(captured);
      const answer = newResource({ region, account, args }, options, stackOutputs);
      captured.state = answer.state;
      captured.id = answer.id;
      return answer;
    },
    call(args) {
      calls.push(args);
      return call(args, region, account);
    },
  };
  return {
    mocks,
    resources,
    calls,
    reset: () => {
      resources.length = 0;
      calls.length = 0;
    },
    setStackOutputs: (name, outputs) => {
      stackOutputs[name] = outputs;
    },
    ofType: (token) => resources.filter((r) => r.type === token),
    one: (token, name) => {
      const found = resources.filter((r) => r.type === token && (name === undefined || r.name === name));
      if (found.length !== 1)
        throw new Error(
          `expected exactly one ${token}${name ? ` named ${name}` : ''}, found ${found.length}`,
        );
      return found[0] as CapturedResource;
    },
  };
}

/** Same URN algorithm as the mock monitor (parent type chain + logical name). */
function urnOf(parent: string | undefined, type: string, name: string): string {
  const parentType = parent?.split('::')[2]?.split('$').pop();
  const qualified = parentType ? `${parentType}$${type}` : type;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

export interface InstallOptions {
  project: string;
  stack: string;
  /** true leaves every value the mocks omit unknown (apply callbacks never run). */
  preview?: boolean;
  /** DIY backends use the literal "organization" (pulumi#20239). */
  organization?: string;
}

/** What installMocks hands from the monitor to newResource, which the Mocks API does not pass. */
type InstalledMocks = pulumi.runtime.Mocks & {
  pending?: { parent?: string; dependencies?: string[]; protect?: boolean };
};

interface RegisterRequest {
  getParent(): string;
  getDependenciesList?(): string[];
  getProtect?(): boolean;
}
interface MonitorLike {
  registerResource(req: RegisterRequest, cb: unknown): unknown;
  readResource(req: RegisterRequest, cb: unknown): unknown;
}

/**
 * `setMocks` with the harness, then records each registration's parent URN and dependencies, which the
 * public mock API does not pass (pulumi#8342). Call it before importing the program under test.
 */
export async function installMocks(harness: MockHarness, opts: InstallOptions): Promise<void> {
  await pulumi.runtime.setMocks(
    harness.mocks,
    opts.project,
    opts.stack,
    opts.preview ?? false,
    opts.organization ?? 'organization',
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const mocks = harness.mocks as InstalledMocks;
  for (const method of ['registerResource', 'readResource'] as const) {
    const original = monitor[method].bind(monitor);
    // The mock monitor calls newResource synchronously on entry, so the parent set here is the one it reads.
    monitor[method] = (req, cb) => {
      mocks.pending = {
        parent: req.getParent() || undefined,
        dependencies: [...new Set(req.getDependenciesList?.() ?? [])],
        protect: req.getProtect?.() ?? false,
      };
      return original(req, cb);
    };
  }
}

/** Resolves an Output, or rejects when it stays unknown/unmocked instead of hanging the test. */
export function promiseOf<T>(output: pulumi.Output<T> | T, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Output still unknown after ${ms} ms (unmocked value or preview)`)),
      ms,
    );
    pulumi.output(output).apply((value) => {
      clearTimeout(timer);
      resolve(value as T);
      return value;
    });
  });
}

/** Waits until every outstanding registration and invoke has been answered by the mocks. */
export async function settle(): Promise<void> {
  const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
  if (!runtime.waitForRPCs)
    throw new Error('@pulumi/pulumi no longer exposes runtime.waitForRPCs: update settle()');
  await runtime.waitForRPCs();
}
