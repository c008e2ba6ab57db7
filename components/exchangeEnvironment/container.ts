// The single container of the task definition, as a pure function of plain values, so the JSON
// ECS receives can be asserted exactly (name/port ↔ target group, health check, env, logging).
import { CONTAINER_NAME, ENV, HEALTH_PATH, SERVICE_PORT, type Color } from '../../contract/index.ts';

export interface ContainerInputs {
  image: string;
  command: string[];
  bucket: string;
  color: Color;
  version: string;
  source: string;
  region: string;
  logGroupName: string;
  stopTimeoutSeconds: number;
  registryCredentialsSecretArn?: string;
}

/**
 * Slim Node images have no curl or wget, so the probe is Node's own fetch. ECS runs it directly (not via
 * the image ENTRYPOINT), and it hits the same path the target group checks.
 */
export const HEALTH_CHECK_COMMAND = [
  'CMD',
  'node',
  '-e',
  `fetch('http://127.0.0.1:${SERVICE_PORT}${HEALTH_PATH}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];

/** The default command: the image ENTRYPOINT is `node bin/exchange.js`, so this is the subcommand and flags. */
export function serveCommand(bucket: string, maxDataAge: string): string[] {
  return ['serve', '--bucket', bucket, '--port', String(SERVICE_PORT), '--max-age', maxDataAge];
}

/** The scheduled run's override of the same task definition. */
export function ingestCommand(source: string, bucket: string): string[] {
  return ['ingest', '--source', source, '--bucket', bucket];
}

export function containerDefinition(c: ContainerInputs): Record<string, unknown> {
  return {
    name: CONTAINER_NAME,
    image: c.image,
    essential: true,
    command: c.command,
    portMappings: [{ containerPort: SERVICE_PORT, protocol: 'tcp' }],
    environment: [
      { name: ENV.bucket, value: c.bucket },
      { name: ENV.color, value: c.color },
      { name: ENV.version, value: c.version },
      { name: ENV.source, value: c.source },
      { name: ENV.port, value: String(SERVICE_PORT) },
      { name: 'AWS_REGION', value: c.region },
    ],
    // The ALB's check decides routing; this one lets ECS replace a wedged task and shows health in the console.
    healthCheck: { command: HEALTH_CHECK_COMMAND, interval: 10, timeout: 5, retries: 3, startPeriod: 10 },
    // An init process reaps zombies and forwards SIGTERM, so `serve` drains instead of being killed.
    linuxParameters: { initProcessEnabled: true },
    stopTimeout: c.stopTimeoutSeconds,
    readonlyRootFilesystem: false,
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': c.logGroupName,
        'awslogs-region': c.region,
        'awslogs-stream-prefix': c.color,
      },
    },
    ...(c.registryCredentialsSecretArn
      ? { repositoryCredentials: { credentialsParameter: c.registryCredentialsSecretArn } }
      : {}),
  };
}
