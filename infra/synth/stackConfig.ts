// Stack config files for synth: Pulumi.<stack>.yaml (or the same map as JSON) → the string map the
// Pulumi runtime holds. Encrypted values cannot be decrypted offline and are replaced by a marker.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { REDACTED } from './redact.ts';

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

export interface RuntimeConfig {
  /** `<namespace>:<key>` → value; structured values as JSON text, as the Pulumi CLI passes them. */
  config: Record<string, string>;
  /** Keys whose value was `{ secure: … }` in the file. */
  secretKeys: string[];
}

/** Parses a stack file's text (YAML or JSON): `{ config: {...} }` or a bare `{ "ns:key": value }` map. */
export function parseStackConfig(text: string, source: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    throw new StackConfigError(`${source} is not valid YAML/JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const map =
    typeof doc === 'object' && doc !== null && 'config' in doc ? (doc as { config: unknown }).config : doc;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new StackConfigError(
      `${source} has no config map (expected "config:" with "<namespace>:<key>" entries)`,
    );
  }
  if (typeof doc === 'object' && doc !== null && 'config' in doc)
    assertSecretsDecryptable(doc as StackFileDoc, map as Record<string, unknown>, source);
  const bad = Object.keys(map).find((k) => !/^[\w.-]+:[\w.-]+$/.test(k));
  if (bad !== undefined)
    throw new StackConfigError(
      `${source}: config key "${bad}" is not "<namespace>:<key>" (e.g. exchange:color)`,
    );
  return map as Record<string, unknown>;
}

interface StackFileDoc {
  encryptionsalt?: unknown;
  secretsprovider?: unknown;
  encryptedkey?: unknown;
}

/**
 * A `secure:` value decrypts only with the key material the file carries. With the passphrase provider
 * that is `encryptionsalt`: when a stack file has none, the CLI makes a new salt from the passphrase
 * (pulumi/pulumi pkg/secrets/passphrase/manager.go NewPromptingPassphraseSecretsManager; the state's salt
 * is used only with PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER, pkg/cmd/pulumi/stack/secrets.go), which
 * cannot decrypt values encrypted under the original one. A cloud provider (awskms://…) needs
 * `encryptedkey` the same way.
 */
function assertSecretsDecryptable(doc: StackFileDoc, map: Record<string, unknown>, source: string): void {
  const secure = Object.keys(map).filter((k) => isSecure(map[k]));
  if (secure.length === 0) return;
  const provider = typeof doc.secretsprovider === 'string' ? doc.secretsprovider : 'passphrase';
  const passphrase = provider === 'passphrase' || provider === 'default';
  const material = passphrase ? 'encryptionsalt' : 'encryptedkey';
  if (typeof doc[material] === 'string' && doc[material] !== '') return;
  throw new StackConfigError(
    `${source}: ${secure.join(', ')} ${secure.length === 1 ? 'is' : 'are'} encrypted (secure:) but the file has no ` +
      `${material}, so no other checkout (CI) can decrypt ${secure.length === 1 ? 'it' : 'them'}: commit the stack file ` +
      `exactly as pulumi config set --secret left it, ${material} line included`,
  );
}

export function loadStackConfig(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StackConfigError(
      `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  return parseStackConfig(text, path);
}

function isSecure(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length === 1 && 'secure' in v;
}

/** Strings stay as they are; numbers, booleans, maps and lists become text the way the CLI sends them. */
export function toRuntimeConfig(map: Record<string, unknown>): RuntimeConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (isSecure(value)) {
      config[key] = REDACTED;
      secretKeys.push(key);
    } else {
      config[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { config, secretKeys };
}
