// Synthetic probes and the observed-split sample over HTTP: the main URL, and a colour's test route
// (the same URL with the colour header, which the listener's rule sends to that colour only).
import got, { type Got } from 'got';
import { COLOR_HEADER, TEST_KEY_HEADER, type Color } from '../../contract/index.ts';
import type { ProbeRequest, ProbeResult, SplitSample } from '../port.ts';
import { sampleSplit } from './sample.ts';

const MAX_BODY = 64 * 1024;

/** One explicit client: a request timeout, no retries (a retry would hide the failure a gate must see). */
export function probeClient(timeoutMs = 5000): Got {
  return got.extend({
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    headers: { 'user-agent': 'exchange-shift-probe', 'cache-control': 'no-cache' },
  });
}

/** Headers that reach one colour through the listener's test rule (the secret only when one is set). */
export function testRouteHeaders(color: Color, testKey?: string): Record<string, string> {
  return { [COLOR_HEADER]: color, ...(testKey ? { [TEST_KEY_HEADER]: testKey } : {}) };
}

export async function probeHttp(
  client: Got,
  baseUrl: string,
  req: ProbeRequest,
  testKey?: string,
): Promise<ProbeResult> {
  const headers = req.route.via === 'test-route' ? testRouteHeaders(req.route.color, testKey) : {};
  try {
    const res = await client.get(new URL(req.path, baseUrl).toString(), {
      headers,
      ...(req.timeoutMs === undefined ? {} : { timeout: { request: req.timeoutMs } }),
    });
    const color = res.headers[COLOR_HEADER.toLowerCase()];
    return {
      status: res.statusCode,
      ...(typeof color === 'string' ? { color } : {}),
      body: res.body.slice(0, MAX_BODY),
    };
  } catch (err) {
    return { status: 0, body: '', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

/** `requests` readiness requests through the main URL, `concurrency` at a time, counted by colour header. */
export function sampleSplitHttp(
  client: Got,
  baseUrl: string,
  requests: number,
  concurrency = 8,
): Promise<SplitSample> {
  return sampleSplit((req) => probeHttp(client, baseUrl, req), requests, concurrency);
}
