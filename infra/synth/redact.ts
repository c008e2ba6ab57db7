// Pure redaction for synth output: nothing secret may reach stdout, even inside JSON-text inputs
// (container definitions, policies) or name/value environment lists.

export const REDACTED = '[secret]';

/** Pulumi's wire marker for a secret value (the mock runtime hands secrets over wrapped in it). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

const SECRET_KEY = /secret|password|passwd|passphrase|token|private.?key|credential|api.?key/i;

function isSecretWrapper(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** References to secrets (ARNs) are not secrets and stay visible for review. */
function isReference(v: unknown): boolean {
  return typeof v === 'string' && v.startsWith('arn:');
}

/** Returns a redacted copy of `value`; `hidden` marks a subtree under a secret-looking key. */
export function redact(value: unknown, hidden = false): unknown {
  if (isSecretWrapper(value)) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, hidden));
  if (typeof value === 'string') return hidden && !isReference(value) ? REDACTED : redactJsonText(value);
  if (typeof value !== 'object' || value === null) return hidden && value !== null ? REDACTED : value;
  const record = value as Record<string, unknown>;
  // `{ name: "DB_PASSWORD", value: "…" }` (ECS environment, tags): the name says the value is secret.
  const namedSecret = typeof record.name === 'string' && SECRET_KEY.test(record.name) && 'value' in record;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    out[k] = redact(v, hidden || SECRET_KEY.test(k) || (namedSecret && k === 'value'));
  }
  return out;
}

/** JSON text inputs are redacted inside; untouched text is returned byte for byte. */
function redactJsonText(text: string): string {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return text;
  }
  const cleaned = redact(parsed);
  return JSON.stringify(cleaned) === JSON.stringify(parsed) ? text : JSON.stringify(cleaned);
}
