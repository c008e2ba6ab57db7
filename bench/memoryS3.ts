// A zero-latency S3 for the ingest benchmark's floor: an SDK request handler that answers from a
// Map in the same thread. Every SDK step still runs — serialising, SigV4 signing and payload
// hashing, parsing the response — but no socket and no server, so an ingest against it costs only
// this process's CPU. Bench-only: the tests and the local system use the embedded S3 over HTTP.
import { Readable } from 'node:stream';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { s3ClientConfig } from '../ingest/publish/s3Client.ts';

/** The parts of the SDK's HttpRequest this handler reads. */
interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

interface Stored {
  body: Buffer;
  etag: string;
}

function xml(status: number, code: string): { status: number; body: Buffer } {
  return { status, body: Buffer.from(`<?xml version="1.0"?><Error><Code>${code}</Code></Error>`) };
}

/** GET, PUT (conditional: If-Match / If-None-Match: *) and in-bucket copy, on path-style keys. */
export class MemoryS3Handler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly objects = new Map<string, Stored>();
  private writes = 0;

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const key = decodeURIComponent(request.path);
    const out = this.answer(request, key);
    // Answered on a later turn, as a socket would: the publish's parallel writes then interleave with
    // its rendering the way they do over HTTP, instead of each finishing inside its own send().
    await new Promise((resolve) => setImmediate(resolve));
    const headers: Record<string, string> = { 'content-length': String(out.body.length) };
    if (out.etag) headers.etag = out.etag;
    return { response: { statusCode: out.status, headers, body: Readable.from([out.body]) } };
  }

  private answer(request: HttpRequest, key: string): { status: number; body: Buffer; etag?: string } {
    const found = this.objects.get(key);
    if (request.method === 'GET' || request.method === 'HEAD') {
      return found ? { status: 200, body: found.body, etag: found.etag } : xml(404, 'NoSuchKey');
    }
    if (request.method !== 'PUT') return xml(405, 'MethodNotAllowed');
    const ifMatch = request.headers['if-match'];
    if (request.headers['if-none-match'] === '*' && found) return xml(412, 'PreconditionFailed');
    if (ifMatch !== undefined && ifMatch !== found?.etag) return xml(412, 'PreconditionFailed');
    const source = request.headers['x-amz-copy-source'];
    const body = source ? this.objects.get(`/${decodeURIComponent(source)}`)?.body : toBuffer(request.body);
    if (body === undefined) return xml(404, 'NoSuchKey');
    const etag = `"${++this.writes}"`;
    this.objects.set(key, { body, etag });
    const reply = source ? `<CopyObjectResult><ETag>${etag}</ETag></CopyObjectResult>` : '';
    return { status: 200, body: Buffer.from(reply), etag };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {
    this.objects.clear();
  }
}

function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return Buffer.alloc(0);
}

/** The production client configuration with the in-memory handler in place of HTTP. */
export function memoryS3Client(): S3Client {
  const env = { AWS_ENDPOINT_URL_S3: 'http://memory.invalid', AWS_REGION: 'us-east-1' };
  return new S3Client({
    ...s3ClientConfig({ env }),
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    // The SDK's handler type carries more than this handler needs (and reads).
    requestHandler: new MemoryS3Handler() as unknown as S3ClientConfig['requestHandler'],
  });
}
