// The two documents a traffic shift keeps: the weights every `up` of the shared stack applies, and
// the shift record. Parsers validate what is read, so a hand-edited object fails with its location.
import { COLORS } from '../../contract/index.ts';
import type { ShiftRecord, Weights } from '../../shift/port.ts';
import type { DocumentStore } from './store.ts';

export const WEIGHTS_DOCUMENT = 'traffic/weights';
export const SHIFT_DOCUMENT = 'traffic/shift';

export interface WeightsDocument {
  weights: Weights;
  /** ISO time of the write. */
  updatedAt: string;
  /** Who wrote it: a shift id, "rollback <id>", or "bootstrap". */
  writer: string;
}

export function parseWeightsDocument(raw: unknown): WeightsDocument {
  const d = raw as Partial<WeightsDocument> | null;
  const w = d?.weights as Record<string, unknown> | undefined;
  if (typeof d !== 'object' || d === null || typeof w !== 'object' || w === null)
    throw new Error('expected { weights: { blue, green }, updatedAt, writer }');
  for (const c of COLORS) {
    const v = w[c];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 999)
      throw new Error(`weights.${c} ${JSON.stringify(v)} is not an integer 0–999`);
  }
  if (COLORS.every((c) => w[c] === 0)) throw new Error('weights are all zero');
  return {
    weights: Object.fromEntries(COLORS.map((c) => [c, w[c]])) as Weights,
    updatedAt: String(d.updatedAt ?? ''),
    writer: String(d.writer ?? ''),
  };
}

export function parseShiftRecord(raw: unknown): ShiftRecord {
  const r = raw as Partial<ShiftRecord> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    r.schema !== 1 ||
    typeof r.id !== 'string' ||
    r.plan === undefined
  )
    throw new Error('expected a shift record (schema 1, id, plan, status, weights)');
  return r as ShiftRecord;
}

/**
 * Records the weights every later `up` applies: read-then-conditional-write, so a writer that read
 * an older document loses with ConflictError instead of silently overwriting a newer shift's weights.
 */
export async function recordWeights(
  store: DocumentStore,
  weights: Weights,
  writer: string,
  now: Date,
): Promise<string> {
  const current = await store.read(WEIGHTS_DOCUMENT, parseWeightsDocument);
  const doc: WeightsDocument = { weights, updatedAt: now.toISOString(), writer };
  return store.write(WEIGHTS_DOCUMENT, doc, current?.etag ?? null);
}
