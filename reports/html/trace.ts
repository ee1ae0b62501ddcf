// A counterexample as swim lanes: a column per thread, a row per step. The acting thread's cell says what it
// did and quotes the source line; every cell lists the locks its thread holds after the step (a lock just
// taken is marked new). A deadlock's trace ends in an extra row for its final state: the blocked threads,
// what each waits for and who holds it, the wait-for cycle marked. A TOCTOU window's check, write and use
// rows are marked. Threads' leading local statements (the trace's setup) come first, as step 0. Beside the
// table, one detail panel per position (shown one at a time by the page's script): the step, its call chain
// with each frame's position, its source in context, the locks every thread holds, and the variables
// (shared vars, each thread's locals, the procedure locals the step wrote) with the ones it changed marked.
import { StackFrame, Trace, TraceStep, Value, VarChange, VarValue } from '../../checker/result';
import { esc, lockChip, posText, sourceContext, sourceRef, threadName } from './markup';
import { Sources } from './sources';

export interface TraceViewOptions {
  /** unique within the page */
  id: string;
  title: string;
  sources: Sources;
  /** TOCTOU window: step numbers */
  window?: { check?: number; write?: number; use?: number };
  /** threads of the wait-for cycle */
  cycle?: Set<string>;
  /** what the final state is, e.g. "deadlock" */
  endLabel?: string;
}

/** Lanes: threads in order of first appearance (steps, then holders, then blocked threads). */
export function laneThreads(t: Trace): string[] {
  const names: string[] = [];
  const add = (n: string) => {
    if (!names.includes(n)) names.push(n);
  };
  const all = [...(t.setup ?? []), ...t.steps];
  for (const s of all) add(s.thread);
  for (const s of all) for (const th of Object.keys(s.held)) add(th);
  for (const b of t.blocked ?? []) {
    add(b.thread);
    for (const h of b.heldBy) add(h);
  }
  return names;
}

const WINDOW_LABEL: Record<string, string> = { check: '① check', write: '② write', use: '③ use' };

function windowMarks(opts: TraceViewOptions): Map<number, string> {
  const m = new Map<number, string>();
  for (const k of ['check', 'write', 'use'] as const) {
    const n = opts.window?.[k];
    if (typeof n === 'number') m.set(n, m.has(n) ? `${m.get(n)} ${k}` : k);
  }
  return m;
}

function actionText(s: TraceStep): string {
  return `${esc(s.action)}${s.detail ? ` <span class="arrow">→</span> <b class="detail">${esc(s.detail)}</b>` : ''}`;
}

/** The choices of a step's folded statements (the action's own is in the action). */
function choicesLine(s: TraceStep): string {
  const cs = (s.choices ?? []).filter((c) => !(c.action === s.action && posText(c.src) === posText(s.src)));
  if (!cs.length) return '';
  return `<div class="choices">chose ${cs.map((c) => `${esc(c.action)} <span class="arrow">→</span> <b class="detail">${esc(showValue(c.value))}</b>`).join(', ')}</div>`;
}

function heldCell(now: string[], before: string[]): string {
  if (now.length === 0) return '';
  return `<div class="held">${now.map((l) => lockChip(l, before.includes(l) ? '' : 'new')).join(' ')}</div>`;
}

function heldTable(threads: string[], held: Record<string, string[]>, cycle: Set<string>): string {
  const rows = threads.map((th) => {
    const locks = held[th] ?? [];
    return `<tr data-thread="${esc(th)}"><th>${threadName(th, cycle.has(th) ? 'in-cycle' : '')}</th><td>${locks.length ? locks.map((l) => lockChip(l)).join(' ') : '<span class="none">nothing</span>'}</td></tr>`;
  });
  return `<table class="held-now"><caption>locks held</caption>${rows.join('')}</table>`;
}

const showValue = (v: Value) => (Array.isArray(v) ? `{${v.join(', ')}}` : String(v));
const varKey = (thread: string | undefined, name: string) => `${thread ?? ''}\u0000${name}`;

/** The call chain, outermost first, each frame with its position. */
function stackList(stack: StackFrame[] | undefined): string {
  if (!stack || stack.length < 2) return '';
  const items = stack.map((f) => `<li><span class="fn">${esc(f.name)}</span> <span class="pos">${esc(posText(f.src))}</span></li>`);
  return `<ol class="stack" aria-label="call chain, outermost first">${items.join('')}</ol>`;
}

function changeText(c: VarChange): string {
  const to = `<b class="new-value">${esc(showValue(c.to))}</b>`;
  const eq = c.param ? '= ' : '';
  if (c.from === undefined || (c.param && showValue(c.from) === showValue(c.to))) return eq + to;
  return `${eq}<span class="old-value">${esc(showValue(c.from))}</span> <span class="arrow">→</span> ${to}`;
}

/** The variables after a step: every shared var and thread local (the changed ones marked), then the procedure locals it wrote. */
function varsTable(values: Map<string, VarValue>, changes: VarChange[]): string {
  if (values.size === 0 && changes.length === 0) return '';
  const changed = new Map(changes.filter((c) => c.frame === undefined).map((c) => [varKey(c.thread, c.var), c]));
  const label = (v: { thread?: string; var: string; frame?: string }) =>
    v.thread === undefined ? esc(v.var) : `${threadName(v.thread)}${v.frame ? ` <span class="fn">${esc(v.frame)}</span>` : ''} ${esc(v.var)}`;
  const rows = [...values.values()].map((v) => {
    const c = changed.get(varKey(v.thread, v.var));
    return `<tr class="var${c ? ' changed' : ''}" data-var="${esc(v.var)}"${v.thread ? ` data-thread="${esc(v.thread)}"` : ''}><th>${label(v)}</th><td>${c ? changeText(c) : esc(showValue(v.value))}</td></tr>`;
  });
  for (const c of changes.filter((x) => x.frame !== undefined))
    rows.push(
      `<tr class="var changed frame-var" data-var="${esc(c.var)}" data-thread="${esc(c.thread ?? '')}" data-frame="${esc(c.frame!)}"><th>${label(c)}</th><td>${changeText(c)}</td></tr>`,
    );
  return `<table class="vars-now"><caption>variables after the step (changed ones marked)</caption>${rows.join('')}</table>`;
}

/** One-line summary of a step's changes, for its lane cell: shared vars and thread locals (procedure locals: how many). */
function changesCell(changes: VarChange[] | undefined): string {
  if (!changes?.length) return '';
  const own = changes.filter((c) => c.frame === undefined);
  const inProcs = changes.length - own.length;
  const items = own.map((c) => `${esc(c.var)} ${changeText(c)}`);
  if (inProcs) items.push(`<span class="muted">${inProcs} procedure local${inProcs === 1 ? '' : 's'}</span>`);
  return `<div class="changes">${items.join(', ')}</div>`;
}

export function renderTraceView(t: Trace, opts: TraceViewOptions): string {
  const setup = t.setup ?? [];
  const threads = laneThreads(t);
  const cycle = opts.cycle ?? new Set<string>();
  const blocked = t.blocked ?? [];
  const marks = windowMarks(opts);
  const all = [...setup, ...t.steps];
  const total = all.length + (blocked.length ? 1 : 0);
  // the values of shared vars and thread locals, replayed from the initial ones through each step's changes
  const values = new Map<string, VarValue>((t.initial ?? []).map((v) => [varKey(v.thread, v.var), { ...v }]));
  const head = `<tr><th class="n" scope="col">#</th>${threads
    .map((th) => {
      const b = blocked.some((x) => x.thread === th);
      return `<th scope="col" class="lane-head${b ? ' blocked' : ''}${cycle.has(th) ? ' in-cycle' : ''}" data-thread="${esc(th)}">${esc(th)}${b ? ' <span class="badge blocked-badge" title="blocked at the end">blocked</span>' : ''}</th>`;
    })
    .join('')}</tr>`;
  const rows: string[] = [];
  const panels: string[] = [];
  all.forEach((s, k) => {
    const pos = k + 1;
    const before = k > setup.length ? all[k - 1].held : {};
    for (const c of s.changes ?? []) {
      const v = values.get(varKey(c.thread, c.var));
      if (c.frame === undefined && v) v.value = c.to;
    }
    const mark = marks.get(s.step);
    const inWindow = opts.window?.check !== undefined && opts.window?.use !== undefined && s.step > opts.window.check && s.step < opts.window.use;
    const cls = ['step', ...(mark ? mark.split(' ').map((m) => `win-${m}`) : []), inWindow ? 'in-window' : '', s.note ? 'noted' : ''].filter(Boolean).join(' ');
    const cells = threads.map((th) => {
      const held = heldCell(s.held[th] ?? [], before[th] ?? []);
      if (th !== s.thread) return `<td class="cell${(s.held[th] ?? []).length ? '' : ' idle'}" data-thread="${esc(th)}">${held}</td>`;
      const badge = mark
        ? mark
            .split(' ')
            .map((m) => `<span class="badge win">${esc(WINDOW_LABEL[m] ?? m)}</span>`)
            .join(' ')
        : '';
      const frames = s.frames.length ? `<div class="frames">in ${s.frames.map(esc).join(' › ')}</div>` : '';
      const note = s.note ? `<div class="note">${esc(s.note)}</div>` : '';
      return `<td class="cell act" data-thread="${esc(th)}">${badge}<div class="action">${actionText(s)}</div><div class="where">${sourceRef(opts.sources, s.src)}</div>${frames}${choicesLine(s)}${changesCell(s.changes)}${note}${held}</td>`;
    });
    rows.push(`<tr class="${cls}${s.step === 0 ? ' setup' : ''}" data-pos="${pos}" data-step="${s.step}"><td class="n">${s.step}</td>${cells.join('')}</tr>`);
    const markLine = mark
      ? `<p class="win-line">${mark
          .split(' ')
          .map((m) => `<span class="badge win">${esc(WINDOW_LABEL[m] ?? m)}</span>`)
          .join(' ')} of the TOCTOU window</p>`
      : '';
    panels.push(
      `<div class="step-detail" data-pos="${pos}"${pos === 1 ? '' : ' hidden'}>` +
        `<h5>${s.step === 0 ? 'Before the first step' : `Step ${s.step} of ${t.steps.length}`}: ${threadName(s.thread)}</h5>${markLine}` +
        `<p class="action">${actionText(s)}</p>` +
        (s.frames.length ? `<p class="frames">in ${s.frames.map(esc).join(' › ')}</p>` : '') +
        stackList(s.stack) +
        choicesLine(s) +
        (s.note ? `<p class="note">${esc(s.note)}</p>` : '') +
        sourceContext(opts.sources, s.src) +
        `<div class="state-now">${heldTable(threads, s.held, cycle)}${varsTable(values, s.changes ?? [])}</div>` +
        `</div>`,
    );
  });
  if (blocked.length) {
    const pos = all.length + 1;
    const lastHeld = t.steps.length ? t.steps[t.steps.length - 1].held : {};
    const cells = threads.map((th) => {
      const b = blocked.find((x) => x.thread === th);
      const held = heldCell(lastHeld[th] ?? [], lastHeld[th] ?? []);
      if (!b) return `<td class="cell idle" data-thread="${esc(th)}">${held}</td>`;
      const by = b.heldBy.length
        ? `, ${b.readers ? 'for the readers' : 'held by'} ${b.heldBy.map((h) => threadName(h, cycle.has(h) ? 'in-cycle' : '')).join(', ')}`
        : '';
      const behind = b.queuedBehind?.length ? `, queued behind ${b.queuedBehind.map((w) => threadName(w)).join(', ')}` : '';
      const cyc = cycle.has(th) ? ' <span class="badge cycle-badge">in the wait-for cycle</span>' : '';
      return `<td class="cell blocked${cycle.has(th) ? ' in-cycle' : ''}" data-thread="${esc(th)}"><div class="action"><span class="badge blocked-badge">blocked</span> waits for ${lockChip(b.waitsFor, 'wanted')}${by}${behind}${cyc}</div><div class="where">${sourceRef(opts.sources, b.src)}</div>${held}</td>`;
    });
    rows.push(`<tr class="step end" data-pos="${pos}"><td class="n">end</td>${cells.join('')}</tr>`);
    const list = blocked
      .map(
        (b) =>
          `<li class="${cycle.has(b.thread) ? 'in-cycle' : ''}">${threadName(b.thread)} waits for ${lockChip(b.waitsFor, 'wanted')}${b.heldBy.length ? `, ${b.readers ? 'for the readers' : 'held by'} ${b.heldBy.map((h) => threadName(h)).join(', ')}` : ''}${b.queuedBehind?.length ? `, queued behind ${b.queuedBehind.map((w) => threadName(w)).join(', ')}` : ''}${cycle.has(b.thread) ? ' <span class="badge cycle-badge">in the wait-for cycle</span>' : ''}</li>`,
      )
      .join('');
    panels.push(
      `<div class="step-detail" data-pos="${pos}"${pos === 1 ? '' : ' hidden'}>` +
        `<h5>End: ${esc(opts.endLabel ?? 'blocked')}</h5><p>No thread can move:</p><ul class="blocked-list">${list}</ul>` +
        stackList(blocked[0].stack) +
        sourceContext(opts.sources, blocked[0].src) +
        `<div class="state-now">${heldTable(threads, lastHeld, cycle)}${varsTable(values, [])}</div>` +
        `</div>`,
    );
  }
  const controls =
    `<div class="controls" role="toolbar" aria-label="step through the trace">` +
    `<button type="button" data-act="first" title="first step (Home)">|◀ first</button>` +
    `<button type="button" data-act="prev" title="previous step (← or k)">◀ prev</button>` +
    `<span class="where-am-i" aria-live="polite">1 / ${total}</span>` +
    `<button type="button" data-act="next" title="next step (→ or j)">next ▶</button>` +
    `<button type="button" data-act="last" title="last step (End)">last ▶|</button>` +
    `<span class="keys">keys: ← → (or j k) step, Home End</span></div>`;
  return (
    `<section class="trace" id="${esc(opts.id)}" tabindex="0" data-total="${total}" aria-label="${esc(opts.title)}">` +
    `<h4>${esc(opts.title)}</h4>${controls}` +
    `<div class="trace-body"><div class="lanes-wrap"><table class="lanes"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>` +
    `<aside class="step-panel">${panels.join('')}</aside></div>` +
    (t.path ? `<p class="path">replay path: <code>${esc(t.path)}</code></p>` : '') +
    (t.shortest === false ? '<p class="path">not known to be a shortest trace: a shorter one may exist (a complete search gives a shortest one)</p>' : '') +
    `</section>`
  );
}
