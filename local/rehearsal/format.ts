// The rehearsal report as a person reads it: the verdict, the totals, then one block per step with
// the written weights, the split the load saw, and every gate's value against its threshold.
import { COLORS } from '../../contract/index.ts';
import { formatWeights } from '../../contract/weights.ts';
import { faultLabel } from './fault.ts';
import type { RehearsalReport } from './report.ts';

const ms = (v: number | null): string => (v === null ? '—' : `${v} ms`);

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `    ${r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}

export function formatRehearsal(r: RehearsalReport): string {
  const fault = r.fault ? faultLabel(r.fault) : 'none';
  const lines = [
    `${r.ok ? 'PASS' : 'FAIL'}  ${r.verdict}`,
    ``,
    `  shift            ${r.from} → ${r.to}, strategy ${r.strategy}, fault ${fault}, load ${r.rps} req/s`,
    `  outcome          ${r.status}: ${r.reason}`,
    `  requests         ${r.totalRequests} total, ${r.failedRequests} failed (blue ${r.failedByColor.blue}, green ${r.failedByColor.green}, unknown ${r.failedByColor.unknown}; unexplained ${r.unexplainedFailures})`,
    `  rollback         ${r.rolledBack ? 'yes' : 'no'}; detected in ${r.detectionRounds ?? '—'} check rounds (budget ${r.budgetRounds ?? '—'}${r.budgetTerms ? `: ${r.budgetTerms}` : ''}) + a ${ms(r.rollbackWriteMs)} write`,
    `  wall clock       fault → rollback ${ms(r.faultToRollbackMs)} (nominal ${r.rollbackBudgetMs} ms), detect → rollback ${ms(r.detectToRollbackMs)}; load ${r.load.before.toFixed(2)} → ${r.load.after.toFixed(2)} on ${r.load.cpus} cores`,
    `  final weights    ${formatWeights(r.finalWeights)}`,
    `  duration         ${r.durationMs} ms`,
  ];
  for (const s of r.steps) {
    const seen = `${COLORS.map((c) => `${c} ${s.observedSplit[c]}`).join(' / ')} answers (${r.to} ${s.observedSplit.newSharePct ?? '—'}%)`;
    lines.push(``, `  step ${s.step}  written ${formatWeights(s.writtenWeights)}   load saw ${seen}`);
    lines.push(
      ...table([
        ['gate', 'outcome', 'value', 'threshold'],
        ...s.gates.map((g) => [g.gate, g.outcome, g.value, g.threshold]),
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
