// One colour of the local system: its bucket seeded by the real ingest, its own `serve` process and,
// for rehearsals, a fault switch in front of it. The router reaches the colour at `target`.
import type { S3Client } from '@aws-sdk/client-s3';
import { TARGET_HEALTH, type Color } from '../contract/index.ts';
import { ExchangeError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { HttpClient } from '../ingest/fetch/client.ts';
import { runIngest, type IngestSummary } from '../ingest/pipeline.ts';
import type { EmbeddedEndpoint } from './embeddedClient.ts';
import { startFaultProxy, type FaultProxy } from './faultProxy.ts';
import { startServeProcess, type ServeProcess } from './serveProcess.ts';

export interface ColourOptions {
  color: Color;
  version: string;
  bucket: string;
  s3: EmbeddedEndpoint;
  s3Client: S3Client;
  http: HttpClient;
  exchangeUrl: string;
  /** Put a fault switch between the router and serve. @default false */
  faults?: boolean;
  /** Added latency of the `slow` fault, ms. @default 1500 */
  slowMs?: number;
  serveAccessLog?: boolean;
  log: Logger;
}

export interface LocalColour {
  color: Color;
  version: string;
  bucket: string;
  ingest: IngestSummary;
  serve: ServeProcess;
  proxy: FaultProxy | undefined;
  /** Origin the router forwards to (the fault switch when present, else serve). */
  target: string;
  /** Path the router's health check probes on this colour (the target group's: liveness). */
  healthPath: string;
  /** Starts a new serve process when the last one exited (what ECS does for a killed task); needs the fault switch. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function seedColour(o: ColourOptions): Promise<IngestSummary> {
  return runIngest(
    { http: o.http, s3: o.s3Client, log: o.log.child({ color: o.color }), now: () => new Date() },
    { bucket: o.bucket, source: 'dse', url: o.exchangeUrl, version: o.version },
  );
}

const serveOf = (o: ColourOptions): Promise<ServeProcess> =>
  startServeProcess({
    color: o.color,
    version: o.version,
    bucket: o.bucket,
    s3: o.s3,
    accessLog: o.serveAccessLog,
    log: o.log,
  });

export async function startColour(o: ColourOptions, ingest: IngestSummary): Promise<LocalColour> {
  const serve = await serveOf(o);
  let proxy: FaultProxy | undefined;
  try {
    if (o.faults) proxy = await startFaultProxy({ color: o.color, target: serve.origin, slowMs: o.slowMs });
    const colour: LocalColour = {
      color: o.color,
      version: o.version,
      bucket: o.bucket,
      ingest,
      serve,
      proxy,
      target: proxy?.origin ?? serve.origin,
      healthPath: TARGET_HEALTH.path,
      restart: async () => {
        if (!colour.serve.exited()) return;
        if (!proxy)
          throw new ExchangeError(`${o.color} has no fault switch to re-point`, {
            hint: 'start the system with faults: true',
          });
        colour.serve = await serveOf(o);
        proxy.setTarget(colour.serve.origin);
      },
      close: async () => {
        await colour.serve.stop();
        await proxy?.close();
      },
    };
    return colour;
  } catch (err) {
    await serve.kill();
    throw err;
  }
}
