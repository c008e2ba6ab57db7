// Every CLI command, loaded lazily so `exchange parse` does not pay for the S3 SDK or Pulumi.
import type { Command } from './command.ts';

export interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  parse: {
    summary: 'Parse a saved page and print its quotes as JSON',
    load: async () => (await import('./commands/parse.ts')).default,
  },
  ingest: {
    summary: 'Fetch → parse → validate → publish one source into a bucket',
    load: async () => (await import('./commands/ingest.ts')).default,
  },
  backfill: {
    summary: 'Load history from saved pages or a series page through the publish gate',
    load: async () => (await import('./commands/backfill.ts')).default,
  },
  prune: {
    summary: 'Remove publish objects that no index names (left by killed chunks or superseded)',
    load: async () => (await import('./commands/prune.ts')).default,
  },
  s3: {
    summary: 'Run an embedded S3-compatible server on loopback',
    load: async () => (await import('./commands/s3.ts')).default,
  },
  serve: {
    summary: 'Serve the site from a bucket, with /healthz',
    load: async () => (await import('./commands/serve.ts')).default,
  },
  synth: {
    summary: 'Print every resource a stack declares (mock runtime, no credentials)',
    load: async () => (await import('./commands/synth.ts')).default,
  },
  shift: {
    summary: 'Shift traffic between blue and green with gates and fast rollback',
    load: async () => (await import('./commands/shift.ts')).default,
  },
  capacity: {
    summary: "Each colour's task count around a release: status, prepare, scale-down, release",
    load: async () => (await import('./commands/capacity.ts')).default,
  },
  'ingest-now': {
    summary: "Run a colour's ingest task once on ECS and wait for its exit code",
    load: async () => (await import('./commands/ingestNow.ts')).default,
  },
  'deploy-check': {
    summary: 'Prove ECS runs the task definition the stack exported (catches silent rollbacks)',
    load: async () => (await import('./commands/deployCheck.ts')).default,
  },
  start: {
    summary: 'Run the whole system locally, both colours behind a weighted router',
    load: async () => (await import('./commands/start.ts')).default,
  },
  rehearse: {
    summary: 'Rehearse a shift locally under load, optionally with a fault, and report',
    load: async () => (await import('./commands/rehearse.ts')).default,
  },
};
