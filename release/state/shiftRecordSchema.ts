// The shift record's schema, checked on every read (S3 document or local file): a truncated, hand-edited
// or foreign document fails here with the field that is wrong, before anything acts on it or writes over
// it. zod (MIT) rather than hand-written checks: nested paths in its issues name the bad field for free.
import { z } from 'zod';
import { COLORS } from '../../contract/index.ts';
import { MAX_WEIGHT } from '../../contract/weights.ts';
import { ACTIONS, type ShiftRecord } from './shiftRecord.ts';

const color = z.enum(COLORS);
const weight = z.number().int().min(0).max(MAX_WEIGHT);
const weights = z
  .object({ blue: weight, green: weight })
  .refine((w) => w.blue + w.green > 0, 'weights are all 0');
const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO time');
const epochMs = z.number().nonnegative().nullable();

const step = z.looseObject({
  index: z.number().int().min(1),
  percent: z.number().int().min(1).max(100),
  weights,
  bakeSeconds: z.number().nonnegative(),
});

const plan = z.looseObject({
  from: color,
  to: color,
  strategy: z.string(),
  steps: z.array(step).min(1),
  stepDeadlineSeconds: z.number().positive(),
});

const tally = z.object({
  pass: z.number().int().nonnegative(),
  fail: z.number().int().nonnegative(),
  noData: z.number().int().nonnegative(),
});

// Loose objects: fields a newer writer adds survive a read-modify-write by this version.
const record = z
  .looseObject({
    schema: z.literal(1),
    id: z.string().min(1),
    from: color,
    to: color,
    toVersion: z.string(),
    fromVersion: z.string(),
    plan,
    status: z.enum(['running', 'paused', 'rolling-back', 'promoted', 'rolled-back', 'failed']),
    currentStep: z.number().int().min(0),
    weights,
    writing: z.boolean(),
    bakeStartedMs: epochMs,
    stepWrittenMs: epochMs,
    lastDecision: z.looseObject({ action: z.enum(ACTIONS), reason: z.string(), time: iso }).nullable(),
    request: z.enum(['pause', 'promote', 'abort']).nullable(),
    startedAt: iso,
    updatedAt: iso,
    heartbeatAt: iso.optional(),
    stoppedAt: iso.nullable().optional(),
    gateCounts: z.record(z.string(), tally).optional(),
    completedAt: iso.nullable(),
    lastError: z.string().nullable(),
  })
  .superRefine((r, ctx) => {
    const problem = consistency(r);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, path: [] });
  });

function consistency(r: z.infer<typeof record>): string | undefined {
  if (r.from === r.to) return `from and to are both ${r.from}`;
  if (r.plan.from !== r.from || r.plan.to !== r.to)
    return `the plan goes ${r.plan.from} → ${r.plan.to} but the record ${r.from} → ${r.to}`;
  if (r.currentStep > r.plan.steps.length)
    return `currentStep ${r.currentStep} is past the plan's ${r.plan.steps.length} steps`;
  return undefined;
}

/** "plan.steps[0].weights.blue: expected number, received string" — the first problem, with its path. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const path = issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  const message = issue.message.replace(/^Invalid input: /, '');
  return path === '' ? message : `${path}: ${message}`;
}

/** The record, or an Error whose message is the first bad field ("weights.green: expected number…"). */
export function parseShiftRecord(raw: unknown): ShiftRecord {
  const r = record.safeParse(raw);
  if (!r.success) throw new Error(firstIssue(r.error));
  return r.data as ShiftRecord;
}
