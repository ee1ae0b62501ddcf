// Small HTML helpers for the report: escaping, and the fragments that several parts share (a lock chip, a
// source position with its line). Everything that reaches the page from a result passes through esc().
import { SourcePos } from '../../checker/diagnostics/diagnostic';
import { Sources } from './sources';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const posText = (p: SourcePos) => `${p.file}:${p.line}:${p.col}`;

export function lockChip(lock: string, cls = ''): string {
  return `<span class="lock${cls ? ` ${cls}` : ''}">${esc(lock)}</span>`;
}

export function threadName(t: string, cls = ''): string {
  return `<span class="thread${cls ? ` ${cls}` : ''}">${esc(t)}</span>`;
}

/**
 * What a position points at in its source: a JSON object or array (a structured statement) collapsed to one
 * line, or a shorthand step such as L(A) inside its line; the line's last row is where the statement ends.
 */
export function statementAt(sources: Sources, p: SourcePos): { before: string; mark: string; after: string; endLine: number } | undefined {
  const lines = sources[p.file];
  const line = lines?.[p.line - 1];
  if (!lines || line === undefined) return undefined;
  const c = p.col - 1;
  if (line[c] === '{' || line[c] === '[') {
    let depth = 0;
    let inString = false;
    let text = '';
    for (let n = p.line - 1, i = c; n < lines.length && text.length < 400; n++, i = 0) {
      const l = lines[n];
      for (; i < l.length; i++) {
        const ch = l[i];
        text += ch;
        if (inString) {
          if (ch === '\\') text += l[++i] ?? '';
          else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) return { before: clip(text.replace(/\s+/g, ' ')), mark: '', after: '', endLine: n + 1 };
        }
      }
      text += ' ';
    }
    return { before: clip(text.replace(/\s+/g, ' ')), mark: '', after: '', endLine: p.line };
  }
  const token = /^[A-Z]\([^)]*\)/.exec(line.slice(c));
  if (token) return { before: line.slice(0, c).trimStart(), mark: token[0], after: line.slice(c + token[0].length).trimEnd(), endLine: p.line };
  return { before: line.trim(), mark: '', after: '', endLine: p.line };
}

const clip = (s: string) => (s.length > 160 ? `${s.slice(0, 159)}…` : s);

/** "file:line:col" and what it points at (marked); the position alone when the file was not read. */
export function sourceRef(sources: Sources, p: SourcePos): string {
  const at = `<span class="pos">${esc(posText(p))}</span>`;
  const st = statementAt(sources, p);
  if (!st) return at;
  return `${at} <code class="src-line">${esc(st.before)}${st.mark ? `<mark>${esc(st.mark)}</mark>` : ''}${esc(st.after)}</code>`;
}

/** Lines around a position (through the end of the statement it points at), numbered, its line marked. */
export function sourceContext(sources: Sources, p: SourcePos, around = 2): string {
  const lines = sources[p.file];
  if (!lines || p.line < 1 || p.line > lines.length) return `<p class="pos">${esc(posText(p))}</p>`;
  const st = statementAt(sources, p);
  const from = Math.max(1, p.line - around);
  const to = Math.min(lines.length, Math.max(p.line + around, Math.min((st?.endLine ?? p.line) + 1, p.line + 8)));
  const width = String(to).length;
  const rows: string[] = [];
  for (let n = from; n <= to; n++) {
    const here = n === p.line;
    const text = lines[n - 1];
    const token = here ? /^[A-Z]\([^)]*\)/.exec(text.slice(p.col - 1)) : null;
    const body = token ? `${esc(text.slice(0, p.col - 1))}<mark>${esc(token[0])}</mark>${esc(text.slice(p.col - 1 + token[0].length))}` : esc(text);
    rows.push(`<span class="ln${here ? ' here' : ''}">${esc(String(n).padStart(width))}${here ? ' &gt; ' : '   '}${body}</span>`);
  }
  return `<figure class="source"><figcaption>${esc(posText(p))}</figcaption><pre>${rows.join('\n')}</pre></figure>`;
}
