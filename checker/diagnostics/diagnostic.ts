// Diagnostics are values: stages return them, the CLI prints them as FILE:LINE:COL: error: message.
import { CODES, CodeName } from './codes';

export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
  pos: SourcePos;
  /** JSON pointer of the offending value, when there is one. */
  pointer?: string;
}

/** Control characters and line separators in a name would split the one line a diagnostic gets: escape them. */
function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function fill(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => (Object.prototype.hasOwnProperty.call(args, k) ? oneLine(String(args[k])) : ''));
}

export function diag(name: CodeName, pos: SourcePos, args: Record<string, string | number> = {}, pointer?: string): Diagnostic {
  const t = CODES[name];
  const hint = 'hint' in t && t.hint ? fill(t.hint, args) : undefined;
  return { code: t.code, severity: 'error', message: fill(t.message, args), hint: hint || undefined, pos, pointer };
}

export function formatDiagnostic(d: Diagnostic): string {
  let s = `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.severity}: ${d.message} [${d.code}]`;
  if (d.pointer !== undefined) s += `\n    at ${d.pointer === '' ? '/' : oneLine(d.pointer)}`;
  if (d.hint) s += `\n    hint: ${d.hint}`;
  return s;
}

/** Suggest the nearest known name ("did you mean ...?"), for hints. */
export function suggest(name: string, known: Iterable<string>): string {
  let best = '';
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best && bestD <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean "${best}"?` : '';
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
