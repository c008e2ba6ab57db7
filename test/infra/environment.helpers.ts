// Shared by the environment and config specs: the real stack files as Pulumi would pass them.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

/** `config:` of Pulumi.<stack>.yaml, every value stringified as the Pulumi runtime holds it. */
export function stackFileConfig(stack: string): Record<string, string> {
  const file = new URL(`../../Pulumi.${stack}.yaml`, import.meta.url);
  const doc = load(readFileSync(file, 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(doc.config).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}
