// IAM proof, the keys the code really uses: a real ingest (loopback source → the embedded S3) publishes a
// page twice and keeps a broken one under failed/, while a middleware records every S3 request it sends.
// Each request is then evaluated as green's ingest role (its inline policy, the workload boundary and the
// bucket policy from synth), so a key the code starts writing outside its grants (a new robots.txt) fails
// here, naming the key, with no list of keys kept by hand.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { createHttpClient } from '../../ingest/fetch/client.ts';
import { runIngest } from '../../ingest/pipeline.ts';
import { silentLogger } from '../../lib/log.ts';
import { s3Allows } from '../../contract/s3Access.ts';
import { iamActionsFor, READS_THAT_NEED_LISTBUCKET } from './apiActions.ts';
import { assertCases, ledger, type Request } from './evaluate.ts';
import { sendBytes, startLoopback, type LoopbackServer } from '../helpers/loopback.ts';
import { startTestS3, type TestS3 } from '../helpers/s3.ts';
import { buildWorld, resourcesOfType, role, type World } from './world.ts';

const DSE = 'test/fixtures/pages/real/dse-dhaka/latest_share_price_scroll_l_2026-04-23.html';

interface Sent {
  operation: string;
  bucket: string;
  key?: string;
  copySource?: string;
}

/** Records every request the client sends (before signing), as `s3:<Operation>` with its bucket and key. */
function record(client: S3Client): Sent[] {
  const sent: Sent[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string; CopySource?: string };
      sent.push({
        operation: `s3:${String(context.commandName).replace(/Command$/, '')}`,
        bucket: input.Bucket ?? '',
        ...(input.Key ? { key: input.Key } : {}),
        ...(input.CopySource ? { copySource: decodeURIComponent(input.CopySource) } : {}),
      });
      return next(args);
    },
    { step: 'initialize', name: 'iamProofRecorder' },
  );
  return sent;
}

/** The IAM requests one recorded S3 request needs, on the synthesized bucket. */
function requests(s: Sent, bucketArn: string, principal: Request['principal']): Request[] {
  const out: Request[] = [];
  for (const action of iamActionsFor(s.operation)) {
    // CopyObject reads its source (`bucket/key`) and writes its key.
    const key =
      action === 's3:GetObject' && s.copySource ? s.copySource.split('/').slice(1).join('/') : s.key;
    out.push({ principal, action, resource: key === undefined ? bucketArn : `${bucketArn}/${key}` });
  }
  if (READS_THAT_NEED_LISTBUCKET.includes(s.operation))
    out.push({ principal, action: 's3:ListBucket', resource: bucketArn });
  return out;
}

describe('IAM proof: every S3 request a real ingest sends, as the ingest role', function () {
  this.timeout(60_000);
  let world: World;
  let s3: TestS3;
  let source: LoopbackServer;
  let page: Buffer;
  let sent: Sent[];

  before(async () => {
    world = await buildWorld();
    const bucket = String(
      resourcesOfType(world, 'aws:s3/bucket:Bucket').find((b) => b.stack === 'green')?.outputs.bucket,
    );
    s3 = await startTestS3(bucket);
    sent = record(s3.client);
    const dse = await readFile(DSE);
    page = dse;
    source = await startLoopback((_req, res) =>
      sendBytes(res, page, { 'content-type': 'text/html; charset=utf-8' }),
    );
    const http = createHttpClient({
      version: '1.0.0-test',
      backoffBaseMs: 10,
      retryLimit: 1,
      requestTimeoutMs: 2000,
      maxResponseBytes: 2_000_000,
    });
    const ingest = (now: string) =>
      runIngest(
        { http, s3: s3.client, log: silentLogger, now: () => new Date(now) },
        { bucket, url: `${source.origin}/page`, source: 'dse', version: '1.0.0-test' },
      );
    await ingest('2026-04-24T02:00:00.000Z');
    await ingest('2026-04-24T03:00:00.000Z'); // reads the pointer and history the first run left
    page = Buffer.from(dse.toString('utf8').replace('TRADING CODE', 'CODE')); // a layout change: kept under failed/
    await assert.rejects(ingest('2026-04-24T04:00:00.000Z'));
  });
  after(async () => {
    await source.close();
    await s3.close();
    console.log(
      `      IAM proof (a real ingest): ${ledger.allowed} allowed cases from ${sent.length} recorded S3 requests`,
    );
  });

  it('the run wrote the page, the data, the pointer, the site and a failed page', () => {
    const written = sent
      .filter((s) => s.operation === 's3:PutObject' || s.operation === 's3:CopyObject')
      .map((s) => s.key ?? '');
    for (const shape of [
      /^raw\//,
      /^data\/latest\.json$/,
      /^data\/dse\//,
      /^index\.html$/,
      /^assets\//,
      /^failed\/dse\//,
    ])
      assert.ok(
        written.some((k) => shape.test(k)),
        `no key like ${shape} among ${written.join(', ')}`,
      );
  });

  it("every request is allowed for green's ingest role (inline policy, workload boundary, bucket policy)", async () => {
    const ingestRole = role(world, 'green', 'exchange-green-ingest-task');
    const bucketArn = String(
      resourcesOfType(world, 'aws:s3/bucket:Bucket').find((b) => b.stack === 'green')?.outputs.arn,
    );
    const cases = sent.flatMap((s) =>
      requests(s, bucketArn, ingestRole).map((request) => ({
        request,
        expected: 'allow' as const,
        reason: `the ingest sends ${s.operation}${s.key ? ` ${s.key}` : ''}: grant it in S3_ACCESS.ingest (contract/s3Access.ts)`,
      })),
    );
    await assertCases(world, cases);
  });

  it('and the contract list the app is tested against covers each key too (contract/s3Access.ts)', () => {
    for (const s of sent.filter((x) => x.key !== undefined))
      for (const action of iamActionsFor(s.operation))
        if (action === 's3:PutObject' || action === 's3:GetObject') {
          const key =
            action === 's3:GetObject' && s.copySource
              ? s.copySource.split('/').slice(1).join('/')
              : (s.key ?? '');
          assert.ok(
            s3Allows('ingest', action, key),
            `${s.operation} ${key}: add it to S3_ACCESS.ingest (contract/s3Access.ts)`,
          );
        }
  });
});
