// The release's verify step: the idle colour, reached through the shared listener's header test route,
// must be ready (readiness 200) and report the colour and version just released.
import { READINESS_PATH, type Color } from '../../contract/index.ts';
import { testRouteHeaders } from '../../shift/drivers/http.ts';
import { ExchangeError } from '../../lib/errors.ts';

export class VerifyError extends ExchangeError {
  override name = 'VerifyError';
}

export interface Expected {
  color: Color;
  version: string;
}

/** Why one readiness answer is not the release, or undefined when it is. */
export function readinessProblem(status: number, body: string, want: Expected): string | undefined {
  if (status !== 200) return `readiness answered ${status}: ${body.slice(0, 200)}`;
  let doc: { color?: unknown; version?: unknown };
  try {
    doc = JSON.parse(body) as typeof doc;
  } catch {
    return `readiness body is not JSON: ${body.slice(0, 200)}`;
  }
  if (doc.color !== want.color)
    return `the test route reached colour ${String(doc.color)}, not ${want.color}`;
  if (doc.version !== want.version)
    return `${want.color} runs version ${String(doc.version)}, not ${want.version}`;
  return undefined;
}

export interface VerifyOptions extends Expected {
  siteUrl: string;
  /** The test route's secret (stack config testRouteSecret), sent in TEST_KEY_HEADER. */
  testKey?: string;
  /** Keep asking this long (rule and target registration settle). @default 120000 */
  timeoutMs?: number;
  intervalMs?: number;
  fetch?: typeof fetch;
}

export async function verifyTestRoute(o: VerifyOptions): Promise<void> {
  const doFetch = o.fetch ?? fetch;
  const url = `${o.siteUrl.replace(/\/$/, '')}${READINESS_PATH}`;
  const deadline = Date.now() + (o.timeoutMs ?? 120_000);
  let problem = 'no answer';
  do {
    const res = await doFetch(url, {
      headers: testRouteHeaders(o.color, o.testKey),
      signal: AbortSignal.timeout(5000),
    }).catch((e: Error) => e);
    problem =
      res instanceof Error
        ? `${url}: ${res.message}`
        : (readinessProblem(res.status, await res.text(), o) ?? '');
    if (problem === '') return;
    await new Promise((r) => setTimeout(r, o.intervalMs ?? 5000));
  } while (Date.now() < deadline);
  throw new VerifyError(problem, {
    hint: `check the ${o.color} service's logs and "npx exchange deploy-check --color ${o.color}"`,
  });
}
