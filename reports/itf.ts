// ITF reporter (--format itf): every counterexample as a trace in the Informal Trace Format of Apalache and
// Quint (ADR-015: {"#meta", "vars", "states"}, integers as {"#bigint"}, sets as {"#set"}, maps as {"#map"}).
// The output is a JSON array with one ITF trace per finding trace (and per lock-order-cycle chain), in result
// order; each element stands alone, so it can be saved as its own .itf.json. State 0 is the initial state;
// state k is the state after step k. Variables:
//   step (int), thread (who moved; "" initially), action (what it did), src ("file:line:col"),
//   held (map thread -> set of locks, every thread of the trace present), blocked (map thread ->
//   {waitsFor, heldBy} in the final state of a deadlock, empty before), mbt::actionTaken (Quint's name for
//   the action label). Pure, stable output.
import { CheckResult, Finding, SpecResult, Trace, TraceStep } from '../checker/result';
import { fingerprint } from './fingerprint';

export type ItfValue =
  string | boolean | ItfValue[] | { '#bigint': string } | { '#set': ItfValue[] } | { '#map': [ItfValue, ItfValue][] } | { [k: string]: ItfValue };

export interface ItfTrace {
  '#meta': Record<string, unknown>;
  vars: string[];
  states: Record<string, unknown>[];
}

export const ITF_VARS = ['step', 'thread', 'action', 'src', 'held', 'blocked', 'mbt::actionTaken'];

const int = (n: number): ItfValue => ({ '#bigint': String(n) });
const set = (xs: string[]): ItfValue => ({ '#set': [...xs].sort() });

function threadsOf(t: Trace): string[] {
  const names = new Set<string>();
  for (const s of t.steps) {
    names.add(s.thread);
    for (const th of Object.keys(s.held)) names.add(th);
  }
  for (const b of t.blocked ?? []) {
    names.add(b.thread);
    for (const h of b.heldBy) names.add(h);
  }
  return [...names].sort();
}

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

export function traceToItf(t: Trace, meta: Record<string, unknown>): ItfTrace {
  const threads = threadsOf(t);
  const last = t.steps.length;
  const states = [state(0, threads, undefined, last === 0 ? t.blocked : [])];
  t.steps.forEach((s, k) => states.push(state(k + 1, threads, s, k + 1 === last ? t.blocked : [])));
  return {
    '#meta': { format: 'ITF', 'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html', ...meta },
    vars: ITF_VARS,
    states,
  };
}

function findingTraces(r: SpecResult, f: Finding, index: number): ItfTrace[] {
  const base = { source: r.file, description: `${f.kind}: ${f.message}` };
  const lc = { spec: r.file, finding: index, kind: f.kind, fingerprint: fingerprint(r.file, f) };
  const out: ItfTrace[] = [];
  if (f.trace && (f.trace.steps.length > 0 || f.trace.blocked?.length)) {
    const window = f.details?.window;
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
