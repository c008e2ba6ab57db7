// How the judge writes numbers in its findings: percentages and p-values a person reads at a glance.

/** 0.0123 → "1.23", 0.5 → "50.0": a share as percent with enough digits to tell 0.8 from 1. */
export function pct(share: number): string {
  const p = share * 100;
  return p === 0 ? '0' : p < 1 ? p.toFixed(2) : p < 10 ? p.toFixed(1) : p.toFixed(0);
}

/** "0.01", or as a result "= 0.034" / "< 0.001". */
export function formatP(p: number, asResult = false): string {
  if (!asResult) return String(Number(p.toPrecision(2)));
  return p < 0.001 ? '< 0.001' : `= ${Number(p.toPrecision(2))}`;
}

export function ms(v: number | null): string {
  return v === null ? '—' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
}
