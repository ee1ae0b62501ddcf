// ITF reporter (--format itf): every counterexample as a trace in the Informal Trace Format of Apalache and
// Quint (ADR-015: {"#meta", "vars", "states"}, integers as {"#bigint"}, sets as {"#set"}, maps as {"#map"}).
// The output is a JSON array with one ITF trace per finding trace (and per lock-order-cycle chain), in result
// order; each element stands alone, so it can be saved as its own .itf.json. State 0 is the initial state;
// state k is the state after step k. Variables:
//   step (int), thread (who moved; "" initially), action (what it did), src ("file:line:col"),
//   held (map thread -> set of locks, every thread of the trace present), blocked (map thread ->
//   {waitsFor, heldBy} in the final state of a deadlock, empty before), mbt::actionTaken (Quint's name for
//   the action label), then the spec's data: each shared var under its own name (an array as a list; a name
//   that is one of these gets the prefix "var::"), locals (map thread -> record of the thread's own locals),
//   changed (the set of variables the step changed: "len", "writer[0].a", "writer[0].rtnl_nets_add.i").
//   Values: integers as {"#bigint"}, lock instances as their names, sets of instances as {"#set"}.
//   State 0 is after the threads' leading local statements (the trace's setup). Pure, stable output.
import { CheckResult, Finding, SpecResult, Trace, TraceStep, Value, VarChange, VarValue } from '../checker/result';
import { fingerprint } from './fingerprint';
import { toctouWindow } from '../checker/facts';

export type ItfValue =
  string | boolean | ItfValue[] | { '#bigint': string } | { '#set': ItfValue[] } | { '#map': [ItfValue, ItfValue][] } | { [k: string]: ItfValue };

export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
}

export const ITF_VARS = ['step', 'thread', 'action', 'src', 'held', 'blocked', 'mbt::actionTaken'];
/** the data variables every trace has after ITF_VARS (before them: one per shared var) */
const DATA_VARS = ['locals', 'changed'];

const int = (n: number): ItfValue => ({ '#bigint': String(n) });
const set = (xs: string[]): ItfValue => ({ '#set': [...xs].sort() });

function threadsOf(t: Trace): string[] {
  const names = new Set<string>();
  for (const s of [...(t.setup ?? []), ...t.steps]) {
    names.add(s.thread);
    for (const th of Object.keys(s.held)) names.add(th);
  }
  for (const b of t.blocked ?? []) {
    names.add(b.thread);
    for (const h of b.heldBy) names.add(h);
  }
  return [...names].sort();
}

const value = (v: Value): ItfValue => (typeof v === 'number' ? int(v) : Array.isArray(v) ? { '#set': v.map((x) => (typeof x === 'number' ? int(x) : x)) } : v);

/** The spec's variables in one state, as ITF variables: shared vars by name, arrays as lists, locals per thread. */
class Data {
  /** shared var -> its elements (a scalar: one), and per thread its own locals likewise */
  private shared = new Map<string, { array: boolean; values: Value[] }>();
  private locals = new Map<string, Map<string, { array: boolean; values: Value[] }>>();

  constructor(initial: VarValue[], threads: string[]) {
    for (const th of threads) this.locals.set(th, new Map());
    for (const v of initial) this.set(v.thread, v.var, v.value, true);
  }

  private set(thread: string | undefined, name: string, v: Value, declare = false) {
    const m = /^(.*)\[(\d+)\]$/.exec(name);
    const base = m ? m[1] : name;
    let table = this.shared;
    if (thread !== undefined) {
      if (!this.locals.has(thread)) this.locals.set(thread, new Map());
      table = this.locals.get(thread)!;
    }
    const entry = table.get(base) ?? (declare ? { array: !!m, values: [] } : undefined);
    if (!entry) return; // not a variable of the initial state (a procedure's): only in `changed`
    table.set(base, entry);
    entry.values[m ? Number(m[2]) : 0] = v;
  }

  apply(changes: VarChange[] | undefined) {
    for (const c of changes ?? []) if (c.frame === undefined) this.set(c.thread, c.var, c.to);
  }

  get names(): string[] {
    return [...this.shared.keys()].map((n) => (ITF_VARS.includes(n) || DATA_VARS.includes(n) ? `var::${n}` : n));
  }

  vars(): Record<string, ItfValue> {
    const out: Record<string, ItfValue> = {};
    const show = (e: { array: boolean; values: Value[] }): ItfValue => (e.array ? e.values.map(value) : value(e.values[0]));
    for (const [n, e] of this.shared) out[ITF_VARS.includes(n) || DATA_VARS.includes(n) ? `var::${n}` : n] = show(e);
    out.locals = {
      '#map': [...this.locals].map(([th, vars]): [ItfValue, ItfValue] => [th, Object.fromEntries([...vars].map(([n, e]) => [n, show(e)]))]),
    };
    return out;
  }
}

const changedName = (c: VarChange) => [c.thread, c.frame, c.var].filter((x) => x !== undefined).join('.');

function state(index: number, threads: string[], s: TraceStep | undefined, blocked: Trace['blocked']): Record<string, unknown> {
  const held = s?.held ?? {};
  const label = s ? `${s.thread}: ${s.action}${s.detail ? ` -> ${s.detail}` : ''}` : 'init';
  return {
    '#meta': { index },
    step: int(index),
    thread: s?.thread ?? '',
    action: s ? `${s.action}${s.detail ? ` -> ${s.detail}` : ''}` : '',
    src: s ? `${s.src.file}:${s.src.line}:${s.src.col}` : '',
    held: { '#map': threads.map((th): [ItfValue, ItfValue] => [th, set(held[th] ?? [])]) },
    blocked: { '#map': (blocked ?? []).map((b): [ItfValue, ItfValue] => [b.thread, { waitsFor: b.waitsFor, heldBy: set(b.heldBy) }]) },
    'mbt::actionTaken': label,
  };
}

function withData(st: Record<string, unknown>, data: Data, changed: VarChange[]): Record<string, unknown> {
  return { ...st, ...data.vars(), changed: set(changed.map(changedName)) };
}

export function traceToItf(t: Trace, meta: Record<string, unknown>): ItfTrace {
  const threads = threadsOf(t);
  const last = t.steps.length;
  const data = new Data(t.initial ?? [], threads);
  const setupChanges = (t.setup ?? []).flatMap((s) => s.changes ?? []);
  data.apply(setupChanges);
  const states = [withData(state(0, threads, undefined, last === 0 ? t.blocked : []), data, setupChanges)];
  t.steps.forEach((s, k) => {
    data.apply(s.changes);
    states.push(withData(state(k + 1, threads, s, k + 1 === last ? t.blocked : []), data, s.changes ?? []));
  });
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', ...meta },
    vars: [...ITF_VARS, ...data.names, ...DATA_VARS],
    states,
  };
}

function findingTraces(r: SpecResult, f: Finding, index: number): ItfTrace[] {
  const base = { source: r.file, description: `${f.kind}: ${f.message}` };
  const lc = { spec: r.file, finding: index, kind: f.kind, fingerprint: f.fingerprint ?? fingerprint(r.file, f) };
  const out: ItfTrace[] = [];
  if (f.trace && (f.trace.steps.length > 0 || f.trace.blocked?.length || f.trace.setup?.length)) {
    const window = toctouWindow(f);
    out.push(traceToItf(f.trace, { ...base, lockcheck: { ...lc, path: f.trace.path, ...(window ? { window } : {}) } }));
  }
  for (const c of f.chains ?? []) {
    out.push(traceToItf(c.trace, { ...base, description: `${f.kind} chain ${c.label}`, lockcheck: { ...lc, chain: c.label, path: c.trace.path } }));
  }
  return out;
}

export function resultToItf(result: CheckResult): ItfTrace[] {
  return result.results.flatMap((r) => r.findings.flatMap((f, i) => findingTraces(r, f, i)));
}

export function renderItf(result: CheckResult): string {
  return JSON.stringify(resultToItf(result), null, 2) + '\n';
}
