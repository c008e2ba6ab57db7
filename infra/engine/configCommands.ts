// Documented `pulumi config set|rm` commands, replayed the way the CLI stores them
// (pkg/cmd/pulumi/config/config.go): a top-level value is always text; with --path, "true"/"false"
// become booleans, integers numbers, anything else text, and `a.b` / `a[0]` build maps and lists.
import type { StoredValue } from './projectConfig.ts';

export interface ConfigCommand {
  /** 1-based line in the document. */
  line: number;
  text: string;
  op: 'set' | 'rm';
  /** Top-level key as written (`environments`, or `aws:region`). */
  key: string;
  /** Path below the key, e.g. ['green'] or [0]; empty without --path. */
  path: (string | number)[];
  value?: string;
  secret: boolean;
  /** `--stack` value, or undefined when the command relies on the selected stack. */
  stack?: string;
  /** Directory the document had `cd`-ed into (relative to the repository root), '' = root. */
  cwd: string;
}

/** Minimal POSIX-style word splitting: quotes, backslash escapes, `#` comments. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur = (cur ?? '') + line[++i];
      else cur = (cur ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      cur = cur ?? '';
    } else if (/\s/.test(c)) {
      if (cur !== undefined) words.push(cur);
      cur = undefined;
    } else if (c === '#' && cur === undefined) break;
    else cur = (cur ?? '') + c;
  }
  if (cur !== undefined) words.push(cur);
  return words;
}

function parsePath(spec: string): { key: string; path: (string | number)[] } {
  const parts: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/g;
  for (let m = re.exec(spec); m; m = re.exec(spec)) {
    if (m[2] !== undefined) parts.push(Number(m[2]));
    else parts.push((m[1] ?? m[3]) as string);
  }
  const [key, ...path] = parts;
  return { key: String(key), path };
}

function fromWords(words: string[], line: number, text: string, cwd: string): ConfigCommand | undefined {
  const op = words[2];
  if (words[0] !== 'pulumi' || words[1] !== 'config' || (op !== 'set' && op !== 'rm')) return undefined;
  const positional: string[] = [];
  let usesPath = false;
  let secret = false;
  let stack: string | undefined;
  for (let i = 3; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--path') usesPath = true;
    else if (w === '--secret') secret = true;
    else if (w === '--stack' || w === '-s') stack = words[++i];
    else if (w.startsWith('--stack=')) stack = w.slice('--stack='.length);
    else if (w === '--type' || w === '--config-file' || w === '-C' || w === '--cwd') i++;
    else if (!w.startsWith('-') || positional.length > 0) positional.push(w);
  }
  const spec = positional[0];
  if (spec === undefined) return undefined;
  const { key, path } = usesPath ? parsePath(spec) : { key: spec, path: [] };
  return { line, text, op, key, path, value: positional[1], secret, ...(stack ? { stack } : {}), cwd };
}

/** Every `pulumi config set|rm` inside the document's fenced code blocks, with the `cd` in force. */
export function extractConfigCommands(markdown: string): ConfigCommand[] {
  const out: ConfigCommand[] = [];
  let inFence = false;
  let cwd: string[] = [];
  markdown.split('\n').forEach((raw, idx) => {
    if (/^\s*```/.test(raw)) {
      inFence = !inFence;
      return;
    }
    if (!inFence) return;
    // `( cd dir && … )` runs in a subshell: its cd ends with the line.
    const saved = raw.trim().startsWith('(') ? cwd : undefined;
    for (const part of raw.split(/&&|;/)) {
      const words = shellWords(part.trim().replace(/^\(/, ''));
      if (words[0] === 'cd' && words[1] !== undefined) cwd = applyCd(cwd, words[1]);
      const cmd = fromWords(words, idx + 1, raw.trim(), cwd.join('/'));
      if (cmd) out.push(cmd);
    }
    if (saved) cwd = saved;
  });
  return out;
}

function applyCd(cwd: string[], target: string): string[] {
  const next = target.startsWith('/') ? [] : [...cwd];
  for (const seg of target.split('/')) {
    if (seg === '..') next.pop();
    else if (seg !== '.' && seg !== '') next.push(seg);
  }
  return next;
}

/** A --path leaf value: the CLI's own conversion. */
export function pathLeaf(value: string): unknown {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^-?\d+$/.test(value)) return Number(value);
  return value;
}

/** The stored value after the command, given the value before it (undefined = unset). */
export function applyCommand(before: StoredValue | undefined, cmd: ConfigCommand): StoredValue | undefined {
  if (cmd.op === 'rm' && cmd.path.length === 0) return undefined;
  if (cmd.secret) return { kind: 'secure' };
  if (cmd.path.length === 0) return { kind: 'text', text: cmd.value ?? '' };
  const root: unknown =
    before?.kind === 'object' ? structuredClone(before.value) : typeof cmd.path[0] === 'number' ? [] : {};
  let node = root as Record<string | number, unknown>;
  cmd.path.forEach((seg, i) => {
    const last = i === cmd.path.length - 1;
    if (last) {
      if (cmd.op === 'rm') {
        if (Array.isArray(node) && typeof seg === 'number') node.splice(seg, 1);
        else delete node[seg];
      } else node[seg] = pathLeaf(cmd.value ?? '');
      return;
    }
    const nextIsIndex = typeof cmd.path[i + 1] === 'number';
    if (typeof node[seg] !== 'object' || node[seg] === null) node[seg] = nextIsIndex ? [] : {};
    node = node[seg] as Record<string | number, unknown>;
  });
  // A list index past the end leaves holes; they are no item of any type, so the type rule reports them.
  return { kind: 'object', value: JSON.parse(JSON.stringify(root)) as unknown };
}
