// Shared by the ExchangeEnvironment mock specs: realistic args, the container JSON shape, and a
// fixture that installs fresh mocks and builds the component.
import type * as pulumi from '@pulumi/pulumi';
import type { ExchangeEnvironmentArgs } from '../../components/exchangeEnvironment/args.ts';
import { createMocks, installMocks, promiseOf, settle, type MockHarness } from '../../infra/testing/mocks.ts';

export type ComponentModule = typeof import('../../components/exchangeEnvironment.ts');
export type Environment = InstanceType<ComponentModule['ExchangeEnvironment']>;

export const DIGEST_IMAGE = `ghcr.io/acme/exchange@sha256:${'3f8a'.repeat(16)}`;
export const CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/exchange-cluster';
export const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/exchange-alb/50dc6c495c0c9188/f2f7dc8efc522ab2';
export const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ghcr-pull-AbCdEf';

/** The fields of the task definition's container JSON these tests read. */
export interface ContainerJson {
  name: string;
  image: string;
  command: string[];
  environment: { name: string; value: string }[];
  portMappings: { containerPort: number }[];
  healthCheck: { command: string[] };
  logConfiguration: { options: Record<string, string> };
  linuxParameters: unknown;
  stopTimeout: number;
  repositoryCredentials?: unknown;
}

export const baseArgs = (color: 'blue' | 'green' = 'green'): ExchangeEnvironmentArgs => ({
  color,
  image: DIGEST_IMAGE,
  version: '1.4.2',
  source: 'dse',
  vpcId: 'vpc-0a1b2c3d4e5f60718',
  subnetIds: ['subnet-0cc3333333333333c', 'subnet-0dd4444444444444d'],
  assignPublicIp: false,
  clusterArn: CLUSTER,
  albSecurityGroupId: 'sg-0123456789abcdef0',
  listenerArn: LISTENER,
  scheduleExpression: 'cron(30 15 ? * SUN-THU *)',
  testRouteSourceCidrs: ['198.51.100.0/24'],
});

export interface ComponentFixture {
  readonly h: MockHarness;
  readonly mod: ComponentModule;
  build(overrides?: Partial<ExchangeEnvironmentArgs>, name?: string): Promise<Environment>;
  containers(): ContainerJson[];
  arnOf(resource: { arn: pulumi.Output<string> }): Promise<string>;
}

/** Registers mocha hooks: fresh mocks for the spec (stack green), captures reset before each test. */
export function useComponentFixture(): ComponentFixture {
  let h: MockHarness | undefined;
  let mod: ComponentModule | undefined;
  before(async () => {
    h = createMocks();
    await installMocks(h, { project: 'exchange', stack: 'green' });
    mod = await import('../../components/exchangeEnvironment.ts');
  });
  beforeEach(() => h?.reset());
  const fixture: ComponentFixture = {
    get h() {
      if (!h) throw new Error('fixture used outside a test');
      return h;
    },
    get mod() {
      if (!mod) throw new Error('fixture used outside a test');
      return mod;
    },
    async build(overrides = {}, name = 'exchange-green') {
      const env = new fixture.mod.ExchangeEnvironment(name, { ...baseArgs(), ...overrides });
      await settle();
      return env;
    },
    containers: () =>
      JSON.parse(fixture.h.one('aws:ecs/taskDefinition:TaskDefinition').inputs.containerDefinitions),
    arnOf: (resource) => promiseOf(resource.arn),
  };
  return fixture;
}
