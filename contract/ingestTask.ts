// The ingest task: one definition of how an ingest run of the colour's task definition differs from the
// service's tasks (command, run-kind marker, task role). The schedule's RunTask target and `exchange
// ingest-now` both build their overrides here, so the two can never disagree.
import { CONTAINER_NAME } from './index.ts';

/**
 * Set by the schedule's container override: the scheduled ingest runs the same task definition (so it and
 * the service run one revision), but it serves nothing, so serve's health check must not judge it.
 */
export const RUN_KIND_ENV = 'EXCHANGE_RUN';
export const INGEST_RUN = 'ingest';

/** The scheduled run's override of the same task definition. */
export function ingestCommand(source: string, bucket: string): string[] {
  return ['ingest', '--source', source, '--bucket', bucket];
}

/**
 * RunTask `overrides` of the scheduled ingest (EventBridge Scheduler passes the target's `input` as them):
 * the ingest command, the run-kind marker the health check reads, and the ingest task role.
 */
export function ingestOverrides(
  source: string,
  bucket: string,
  ingestRoleArn: string,
): Record<string, unknown> {
  return {
    taskRoleArn: ingestRoleArn,
    containerOverrides: [
      {
        name: CONTAINER_NAME,
        command: ingestCommand(source, bucket),
        environment: [{ name: RUN_KIND_ENV, value: INGEST_RUN }],
      },
    ],
  };
}
