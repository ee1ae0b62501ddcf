// Text reporter: what a person reads in a terminal, in lockdep's words where lockdep has them. Colour (ANSI)
// only when the caller asks for it (the CLI does on a TTY without NO_COLOR); the words are the same either way.
import { formatDiagnostic } from '../checker/diagnostics/diagnostic';
import { toctouWindow } from '../checker/facts';
import { expectationText, isUnexpected } from '../checker/analyse/expect';
import { CheckResult, Finding, SpecResult, StackFrame, Trace, TraceStep, Value, VarChange } from '../checker/result';

const loc = (p: { file: string; line: number; col: number }) => `${p.file}:${p.line}:${p.col}`;

export interface TextOptions {
  /** print full traces (default) or only the findings */
  traces?: boolean;
  /** ANSI colour (default off) */
  color?: boolean;
}

/** SGR codes, closed each time, so a cut line never leaves the terminal coloured. */
export interface Paint {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  cyan: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

export function paint(color: boolean | undefined): Paint {
  const sgr = (open: string, close: string) => (s: string) => (color && s ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { red: sgr('31', '39'), green: sgr('32', '39'), yellow: sgr('33', '39'), cyan: sgr('36', '39'), bold: sgr('1', '22'), dim: sgr('2', '22') };
}

/**
 * Every string of the result as it may reach a terminal: control characters (ESC, CR, newlines inside a value,
 * the C1 controls such as CSI, line separators) come from a spec's names and messages, and printed raw they
 * could move the cursor or forge lines (a fake summary). They are shown as escapes instead.
 */
export function printable<T>(x: T): T {
  if (typeof x === 'string') return escapeControls(x) as T;
  if (Array.isArray(x)) return x.map(printable) as T;
  if (x !== null && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [escapeControls(k), printable(v)])) as T;
  return x;
}

function escapeControls(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const short: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return short[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

export function renderText(result: CheckResult, opts: TextOptions = {}): string {
  const out: string[] = [];
  const p = paint(opts.color);
  result = printable(result);
  for (const r of result.results) out.push(renderSpec(r, opts, p));
  out.push(summary(result, p));
  return out.join('\n').replace(/[ \t]+$/gm, '') + '\n';
}

function renderSpec(r: SpecResult, opts: TextOptions, p: Paint): string {
  const lines: string[] = [];
  if (r.verdict === 'error') {
    lines.push(`${p.bold(r.file)}: ${p.red('error')}: the spec has ${r.diagnostics.length} problem${r.diagnostics.length === 1 ? '' : 's'}`);
    return lines.join('\n') + '\n';
  }
  const kinds = [...new Set(r.findings.map((f) => f.kind))];
  const good = r.matches && r.verdict !== 'incomplete';
  let head = `${p.bold(r.file)}: ${r.verdict === 'ok' ? p.green(r.verdict) : r.verdict === 'incomplete' ? p.yellow(r.verdict) : good ? r.verdict : p.red(r.verdict)}`;
  if (r.verdict === 'incomplete') head += ` (${r.incomplete})`;
  // an unfinished search can only say that nothing contradicts the expectation yet
  const known = r.findings.filter((f) => f.known).length;
  // under --baseline a spec whose findings main already had is not "ok": it says they are known
  if (r.expected)
    head += r.matches ? (r.verdict === 'incomplete' ? ', nothing unexpected so far' : `, ${p.green('as expected')}`) : `, ${p.bold(p.red('NOT as expected'))}`;
  else if (r.matches && known > 0) head += `, ${p.yellow(known === r.findings.length ? 'all known' : 'known')}`;
  if (kinds.length > 0) head += ` [${kinds.join(', ')}]`;
  if (known > 0) head += ` (${known} known, ${r.findings.length - known} new)`;
  lines.push(head);
  if (!r.matches) {
    if (r.unexpected.length) lines.push(`  ${p.red('unexpected')}: ${r.unexpected.join(', ')}`);
    if (r.missing.length) lines.push(`  ${p.red('expected but not found')}: ${r.missing.join(', ')}`);
    for (const e of r.unmatched ?? []) lines.push(`  ${p.red('expected but not found')}: ${expectationText(e)}`);
  }
  if (r.stats) {
    const s = r.stats;
    lines.push(
      `  ${s.states} states, ${s.transitions} transitions, depth ${s.depth}, ${s.threads} threads${s.seconds !== undefined ? `, ${s.seconds} s` : ''}`,
    );
  }
  // a search that proved nothing: what it covered and what to try next
  if (r.guidance) lines.push(`  covered: ${r.guidance.covered}`, ...r.guidance.suggestions.map((g) => `  try ${g.try}: ${g.why}`));
  if (r.variants) {
    const breaking = r.variants.filter((v) => v.findings.length > 0);
    lines.push(`  ${r.variants.length} orders of the "any" attributes tried; ${breaking.length} give findings:`);
    for (const v of breaking) lines.push(`    ${v.order}: ${v.findings.join(', ')}`);
  }
  for (const f of r.findings) lines.push('', ...renderFinding(f, opts, isUnexpected(r, f)).map((l) => (l ? '  ' + l : l)));
  return lines.join('\n') + '\n';
}

/** A finding with its lockdep report and traces; `unexpected` colours its kind red rather than yellow. */
export function renderFinding(f: Finding, opts: TextOptions = {}, unexpected = true): string[] {
  const p = paint(opts.color);
  const lines = [`${p.bold(unexpected ? p.red(f.kind) : p.yellow(f.kind))}${f.known ? ' (known)' : ''}: ${f.message}`];
  if (f.location && f.stack && f.stack.length > 1) lines.push(...backtrace(f.stack, p).map((l) => '  ' + l));
  else if (f.location) lines.push(`  at ${p.cyan(loc(f.location))}${f.calledFrom ? `, called from ${p.cyan(loc(f.calledFrom))}` : ''}`);
  if (f.order !== undefined) lines.push(`  with ${f.order}`);
  if (f.kind === 'lock-order-cycle' || f.kind === 'recursive-locking') lines.push(...lockdepReport(f, p).map((l) => (l ? '  ' + l : l)));
  if (opts.traces === false) return lines;
  if (f.trace && (f.trace.steps.length > 0 || f.trace.setup?.length)) lines.push(...renderTrace(f.trace, p, windowOf(f)).map((l) => '  ' + l));
  for (const c of f.chains ?? []) {
    lines.push(`  chain ${c.label}:`);
    lines.push(...renderTrace(c.trace, p).map((l) => '    ' + l));
  }
  return lines;
}

/** A call chain as a backtrace, innermost first: "at FILE:LINE:COL in proc", then each "called from". */
function backtrace(stack: StackFrame[], p: Paint): string[] {
  return [...stack].reverse().map((f, k) => `${k === 0 ? 'at' : '   called from'} ${p.cyan(loc(f.src))} in ${f.name}`);
}

/** A value as the spec writes it: an integer, an instance name, a set {a, b}. */
export function showValue(v: Value): string {
  return Array.isArray(v) ? `{${v.join(', ')}}` : String(v);
}

/** One change: "len 0 -> 1"; a parameter bound by a call "n = net1" (then changed: "n = net1 -> net2"). */
export function showChange(c: VarChange): string {
  const from = c.from === undefined ? undefined : showValue(c.from);
  const to = showValue(c.to);
  if (c.param) return `${c.var} = ${from === undefined || from === to ? to : `${from} -> ${to}`}`;
  return from === undefined ? `${c.var} = ${to}` : `${c.var} ${from} -> ${to}`;
}

/** A step's changes: the thread's own locals, then each procedure's ("in rtnl_nets_add: ..."), then shared vars. */
export function changesText(changes: VarChange[]): string {
  const groups = new Map<string, string[]>();
  const add = (label: string, c: VarChange) => groups.set(label, [...(groups.get(label) ?? []), showChange(c)]);
  for (const c of changes) if (c.thread !== undefined && c.frame === undefined) add('', c);
  for (const c of changes) if (c.thread !== undefined && c.frame !== undefined) add(`in ${c.frame}: `, c);
  for (const c of changes) if (c.thread === undefined) add('shared: ', c);
  return [...groups].map(([label, cs]) => label + cs.join(', ')).join('; ');
}

/** The lines under a step: its choices, its changes, its call chain. */
function stepData(s: TraceStep): string[] {
  const out: string[] = [];
  // a choice made by the step's own action is already in the action column
  const choices = (s.choices ?? []).filter((c) => !(c.action === s.action && loc(c.src) === loc(s.src)));
  if (choices.length) out.push(`chose: ${choices.map((c) => `${c.action} -> ${showValue(c.value)} (${loc(c.src)})`).join(', ')}`);
  if (s.changes?.length) out.push(`changed: ${changesText(s.changes)}`);
  if (s.stack && s.stack.length > 1) out.push(`calls: ${s.stack.map((f, k) => (k === s.stack!.length - 1 ? f.name : `${f.name} ${loc(f.src)}`)).join(' > ')}`);
  return out;
}

/** A TOCTOU finding's window: step number -> "check" | "write" | "use". */
function windowOf(f: Finding): Map<number, string> {
  const w = toctouWindow(f);
  const m = new Map<number, string>();
  if (w) for (const k of ['check', 'write', 'use'] as const) m.set(w[k], k);
  return m;
}

export function renderTrace(t: Trace, p: Paint = paint(false), window: Map<number, string> = new Map()): string[] {
  const rows = [...(t.setup ?? []), ...t.steps].map((s) => {
    const action = `${s.action}${s.detail ? ` -> ${s.detail}` : ''}`;
    const held = Object.entries(s.held)
      .map(([th, locks]) => `${th}{${locks.join(', ')}}`)
      .join(' ');
    const at = loc(s.src) + (s.frames.length ? ` (in ${s.frames[s.frames.length - 1]})` : '');
    const mark = window.get(s.step);
    return {
      n: String(s.step),
      th: s.thread,
      action,
      at,
      held,
      data: stepData(s),
      note: mark && !s.note?.startsWith(`${mark}:`) ? `${mark}${s.note ? `: ${s.note}` : ''}` : s.note,
    };
  });
  const w = (k: 'n' | 'th' | 'action' | 'at') => Math.max(...rows.map((r) => r[k].length), k === 'n' ? 1 : 6);
  const [wn, wt, wa, wl] = [w('n'), w('th'), w('action'), w('at')];
  const lines = [`${'#'.padStart(wn)}  ${'thread'.padEnd(wt)}  ${'action'.padEnd(wa)}  ${'source'.padEnd(wl)}  holds after the step`];
  for (const r of rows) {
    // Pad before painting: escape codes have no width.
    lines.push(`${r.n.padStart(wn)}  ${p.bold(r.th.padEnd(wt))}  ${r.action.padEnd(wa)}  ${p.dim(r.at.padEnd(wl))}  ${r.held || '-'}`);
    for (const d of r.data) lines.push(`${''.padStart(wn)}  ${''.padEnd(wt)}  ${p.dim(d)}`);
    if (r.note) lines.push(`${''.padStart(wn)}  ${''.padEnd(wt)}  ${p.yellow(`^ ${r.note}`)}`);
  }
  for (const b of t.blocked ?? []) {
    const by = [
      b.heldBy.length ? `${b.readers ? 'for the readers' : 'held by'} ${b.heldBy.join(', ')}` : '',
      b.queuedBehind ? `queued behind the waiting writer ${b.queuedBehind.join(', ')}` : '',
    ].filter(Boolean);
    lines.push(`${p.red('blocked')}: ${b.thread} waits for ${b.waitsFor}${by.length ? `, ${by.join(', ')}` : ''} (${loc(b.src)})`);
  }
  if (t.path) lines.push(p.dim(`path: ${t.path}`));
  if (t.shortest === false)
    lines.push(
      p.dim(
        '(not known to be a shortest trace: this search was reduced beyond confirmation, incomplete, sharded, simulated or bitstate; a complete search gives a shortest one)',
      ),
    );
  return lines;
}

function banner(title: string, p: Paint): string[] {
  const rule = (c: string) => c.repeat(title.length);
  return [rule('='), p.bold(p.red(title)), rule('-')];
}

/** The finding as lockdep prints it (kernel/locking/lockdep.c: print_circular_bug(), print_deadlock_bug()). */
function lockdepReport(f: Finding, p: Paint): string[] {
  if (f.kind === 'recursive-locking') {
    const d = f.facts;
    const cls = d.class;
    return [
      '',
      ...banner('WARNING: possible recursive locking detected', p),
      `${d.thread} is trying to acquire lock:`,
      ` (${d.acquired}), at: ${f.location ? loc(f.location) : '?'}`,
      '',
      'but task is already holding lock:',
      ` (${d.held}), at: ${d.heldAt ? loc(d.heldAt) : '?'}`,
      '',
      'other info that might help us debug this:',
      ' Possible unsafe locking scenario:',
      '',
      '       CPU0',
      '       ----',
      `  lock(${cls});`,
      `  lock(${cls});`,
      '',
      p.bold(' *** DEADLOCK ***'),
      '',
      d.how === 'reacquire' ? ' (the same lock, taken twice)' : ' May be due to missing lock nesting notation',
      '',
    ];
  }
  if (f.kind !== 'lock-order-cycle') return [];
  const edges = f.facts.edges;
  if (edges.length === 0) return [];
  const closing = edges[edges.length - 1];
  const out = [
    '',
    ...banner('WARNING: possible circular locking dependency detected', p),
    `${closing.thread} is trying to acquire lock:`,
    ` (${closing.acquired}), at: ${loc(closing.at)}`,
    '',
    'but task is already holding lock:',
    ` (${closing.held}), at: ${closing.heldAt ? loc(closing.heldAt) : '?'}`,
    '',
    'which lock already depends on the new lock.',
    '',
    'the existing dependency chain (in reverse order) is:',
  ];
  for (let k = edges.length - 1; k >= 0; k--) {
    const e = edges[k];
    out.push(
      '',
      `-> #${k} (${e.to}):`,
      `       ${e.thread}: lock(${e.acquired}) at ${loc(e.at)}`,
      `       while holding ${e.held}${e.heldAt ? `, taken at ${loc(e.heldAt)}` : ''}`,
    );
  }
  out.push('', 'other info that might help us debug this:', '', ...scenario(f), '');
  return out;
}

/** lockdep's "Possible unsafe locking scenario" for two classes, and its chain form for longer cycles. */
function scenario(f: Finding): string[] {
  const classes = f.kind === 'lock-order-cycle' ? f.facts.classes : [];
  if (classes.length === 2) {
    const [a, b] = classes;
    const col = Math.max(24, a.length + 12);
    const l = (x: string, y = '') => `       ${x.padEnd(col)}${y}`;
    return [
      ' Possible unsafe locking scenario:',
      '',
      l('CPU0', 'CPU1'),
      l('----', '----'),
      l(`lock(${a});`),
      l('', `lock(${b});`),
      l('', `lock(${a});`),
      l(`lock(${b});`),
      '',
      ' *** DEADLOCK ***',
    ];
  }
  return [
    `Chain exists of:`,
    `  ${[...classes, classes[0]].join(' --> ')}`,
    '',
    ' Possible unsafe locking scenario: each lock above is taken while holding the one before it, on',
    ` ${classes.length} CPUs at once.`,
    '',
    ' *** DEADLOCK ***',
  ];
}

function summary(result: CheckResult, p: Paint): string {
  const rs = result.results;
  const n = (p: (r: SpecResult) => boolean) => rs.filter(p).length;
  const ok = n((r) => r.verdict !== 'error' && r.verdict !== 'incomplete' && r.matches);
  const differ = n((r) => r.verdict !== 'error' && !r.matches);
  const errors = n((r) => r.verdict === 'error');
  const incomplete = n((r) => r.verdict === 'incomplete');
  const n0 = (k: number, s: string, bad: (x: string) => string) => (k > 0 ? bad(s) : s);
  // under --baseline: specs that match only because their findings are known are counted apart
  const findings = rs.flatMap((r) => r.findings);
  const baseline = findings.some((f) => f.known !== undefined);
  const knownOnly = baseline ? n((r) => r.verdict !== 'error' && r.matches && !r.expected && r.findings.length > 0) : 0;
  const known = findings.filter((f) => f.known).length;
  const tail = baseline ? `; findings: ${n0(findings.length - known, `${findings.length - known} new`, p.red)}, ${known} known` : '';
  const knownSpecs = knownOnly > 0 ? `, ${p.yellow(`${knownOnly} with known findings only`)}` : '';
  return `${rs.length} spec${rs.length === 1 ? '' : 's'}: ${p.green(`${ok - knownOnly} as expected`)}${knownSpecs}, ${n0(differ, `${differ} not as expected`, p.red)}, ${n0(incomplete, `${incomplete} incomplete`, p.yellow)}, ${n0(errors, `${errors} with errors`, p.red)}${tail}`;
}

export function renderDiagnostics(result: CheckResult): string {
  return result.results.flatMap((r) => r.diagnostics.map(formatDiagnostic)).join('\n');
}
