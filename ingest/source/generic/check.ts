// Small validators for mapping JSON: each failure names the key path and the allowed values.
import { MappingError } from '../errors.ts';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function checkKeys(path: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new MappingError(`${path}.${key}`, 'is not a known key', allowed.join(', '));
  }
}

export function checkEnum(path: string, v: unknown, allowed: readonly string[]): void {
  if (v === undefined) return;
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw new MappingError(path, `"${String(v)}" is not allowed`, allowed.join(', '));
  }
}

export function optString(path: string, v: unknown): void {
  if (v !== undefined && (typeof v !== 'string' || v === ''))
    throw new MappingError(path, 'must be a non-empty string');
}

export function optBool(path: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean')
    throw new MappingError(path, `"${String(v)}" must be true or false`);
}

export function optNumber(path: string, v: unknown, rule: { integer: boolean; min: number }): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || (rule.integer && !Number.isInteger(v)) || v < rule.min) {
    throw new MappingError(
      path,
      `"${String(v)}" must be ${rule.integer ? 'an integer' : 'a number'} >= ${rule.min}`,
    );
  }
}

export function checkRegex(path: string, v: unknown): void {
  if (v === undefined) return;
  optString(path, v);
  try {
    new RegExp(v as string);
  } catch (err) {
    throw new MappingError(path, `is not a valid regular expression (${(err as Error).message})`);
  }
}
