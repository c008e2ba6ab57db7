// Parses duration flags such as `--max-age 36h`: "3600" (seconds), "90s", "90m", "36h", "2d", "1h30m".
import { UsageError } from '../lib/errors.ts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const PART = /(\d+(?:\.\d+)?)([smhd])/g;

/** Seconds in `text`, or a UsageError naming `flag` and the accepted forms. */
export function parseDuration(text: string, flag: string): number {
  const value = text.trim().toLowerCase();
  let seconds: number | undefined;
  if (/^\d+(\.\d+)?$/.test(value)) {
    seconds = Number(value);
  } else if (/^(\d+(\.\d+)?[smhd])+$/.test(value)) {
    seconds = 0;
    for (const [, amount, unit] of value.matchAll(PART))
      seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--${flag} "${text}" is not a positive duration`, {
      hint: `use seconds ("3600") or a number with a unit s, m, h or d ("90m", "36h", "1h30m")`,
    });
  }
  return seconds;
}
