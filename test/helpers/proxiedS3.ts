// A fresh embedded S3 for each test and clients that reach it through the fault proxy: registers
// the mocha hooks that start it and close the clients, the proxy and the server after each test.
import type { S3Client } from '@aws-sdk/client-s3';
import { embeddedS3Client } from '../../local/embeddedClient.ts';
import type { S3ClientOptions } from '../../ingest/publish/s3Client.ts';
import { startFaultProxy, type FaultProxy, type FaultRule } from './faultProxy.ts';
import { startTestS3, type TestS3 } from './s3.ts';

export interface ProxiedS3 {
  /** This test's embedded S3 (and its direct client). */
  readonly s3: TestS3;
  /** The proxy of the last viaProxy() call: its requests, as the S3 saw them. */
  readonly proxy: FaultProxy | undefined;
  /** A client whose every request passes `rule`; closes the previous proxy first. */
  viaProxy(rule: FaultRule, options?: Omit<S3ClientOptions, 'env'>): Promise<S3Client>;
}

export function useProxiedS3(bucket: string, defaults: Omit<S3ClientOptions, 'env'> = {}): ProxiedS3 {
  let s3: TestS3 | undefined;
  let proxy: FaultProxy | undefined;
  const clients: S3Client[] = [];
  const closeProxy = async (): Promise<void> => {
    await proxy?.close();
    proxy = undefined;
  };
  beforeEach(async () => {
    s3 = await startTestS3(bucket);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await closeProxy();
    await s3?.close();
  });
  return {
    get s3() {
      if (!s3)
        throw new Error('useProxiedS3: the embedded S3 exists only inside a test (beforeEach starts it)');
      return s3;
    },
    get proxy() {
      return proxy;
    },
    async viaProxy(rule, options = {}) {
      await closeProxy();
      const server = this.s3.server;
      proxy = await startFaultProxy(server.endpoint, rule);
      const client = embeddedS3Client(server, { endpoint: proxy.endpoint, ...defaults, ...options });
      clients.push(client);
      return client;
    },
  };
}
