// The single container of the task definition, as a pure function of plain values, so the JSON
// ECS receives can be asserted exactly (name/port ↔ target group, health check, env, logging).
import {
  CONTAINER_NAME,
  ENV,
  LIVENESS_PATH,
  SERVICE_PORT,
  nodeOptions,
  type Color,
} from '../../contract/index.ts';
import { INGEST_RUN, RUN_KIND_ENV } from '../../contract/ingestTask.ts';

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
  /** The task's memory, MiB: the Node heap cap follows from it (contract heapCapMiB). */
  memory: number;
  registryCredentialsSecretArn?: string;
}

/**
 * Slim Node images have no curl or wget, so the probe is Node's own fetch. ECS runs it directly (not via
 * the image ENTRYPOINT). It probes liveness, the path the target group checks: stale or missing data must
 * never make ECS replace tasks (readiness is /healthz, for the shift and deploy-check). In an ingest run it
 * reports healthy without probing: that task's verdict is its exit code (alerted on, see alerts.ts).
 */
export const HEALTH_CHECK_COMMAND = [
  'CMD',
  'node',
  '-e',
  `process.env.${RUN_KIND_ENV}==='${INGEST_RUN}'?process.exit(0):` +
    `fetch('http://127.0.0.1:${SERVICE_PORT}${LIVENESS_PATH}').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
];

/** ECS container health check numbers (ECS ranges: interval 5–300, timeout 2–60, retries 1–10, startPeriod 0–300). */
export const CONTAINER_HEALTH = { interval: 10, timeout: 5, retries: 3, startPeriod: 10 } as const;

/** The default command: the image ENTRYPOINT is `node bin/exchange.js`, so this is the subcommand and flags. */
export function serveCommand(bucket: string, maxDataAge: string): string[] {
  return ['serve', '--bucket', bucket, '--port', String(SERVICE_PORT), '--max-age', maxDataAge];
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
      // The heap sized to the task, not to the host V8 would otherwise size it from.
      { name: 'NODE_OPTIONS', value: nodeOptions(c.memory) },
    ],
    // The ALB's check decides routing; this one lets ECS replace a wedged task and shows health in the console.
    healthCheck: { command: HEALTH_CHECK_COMMAND, ...CONTAINER_HEALTH },
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
