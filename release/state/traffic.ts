// The two documents a traffic shift keeps: the weights every `up` of the shared stack applies, and
// the shift record. Parsers validate what is read, so a hand-edited object fails with its location.
export { parseShiftRecord } from './shiftRecordSchema.ts';
import { COLORS } from '../../contract/index.ts';
import { checkWeights, weightProblem, type Weights } from '../../contract/weights.ts';
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
  if (typeof d !== 'object' || d === null || typeof d.weights !== 'object' || d.weights === null)
    throw new Error('expected { weights: { blue, green }, updatedAt, writer }');
  // Name the document's own path (weights.blue) for a bad value, as a hand edit needs it.
  for (const c of COLORS) {
    const problem = weightProblem((d.weights as Record<string, unknown>)[c]);
    if (problem) throw new Error(`weights.${c} ${problem}`);
  }
  return {
    weights: checkWeights(d.weights),
    updatedAt: String(d.updatedAt ?? ''),
    writer: String(d.writer ?? ''),
  };
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
