// Counterexample traces: the parent links give the shortest path to a state; replaying it through the
// machine with logging recovers each step's action, source position and call chain, the locks every thread
// holds, the choices it made and the variables it changed. Only this replay computes data: the search keeps
// none of it.
import { instanceName } from '../model/instances';
import { CompiledModel, H_READ, heldInst, Instr, T_HELD, ValueKind } from '../model/ir';
import { StackFrame, Trace, TraceChoice, TraceStep, Value, VarChange, VarValue } from '../result';
import { LoggedStep, Machine } from './machine';
import { StateStore } from './store';

export function pathTo(store: StateStore, index: number): number[] {
  const moves: number[] = [];
  for (let i = index; i > 0; i = store.parent[i]) moves.push(store.via[i]);
  return moves.reverse();
}

/**
 * A `path:` line back to moves (thread << 16 | choice): steps separated by ":", each "THREAD.CHOICE" with the
 * thread's index (the order of the spec's threads, copies expanded) and the choice among its moves (0 unless
 * the step picks, chooses or tries); "" is the initial state. A malformed line gives the reason.
 */
export function parsePath(text: string): number[] | string {
  const t = text.trim();
  if (t === '') return [];
  const moves: number[] = [];
  for (const [k, part] of t.split(':').entries()) {
    const m = /^([0-9]+)\.([0-9]+)$/.exec(part);
    if (!m) return `step ${k + 1} of the path is "${part}", not THREAD.CHOICE (two numbers with a dot, e.g. 0.0)`;
    const thread = Number(m[1]);
    const choice = Number(m[2]);
    if (thread > 0x7fff || choice > 0xffff) return `step ${k + 1} of the path, "${part}", is out of range`;
    moves.push((thread << 16) | choice);
  }
  return moves;
}

/** What thread t holds in s, as traces show it: "rcu_read_lock" first when inside RCU, read locks as "X (read)". */
export function heldNames(machine: Machine, s: Int32Array, t: number): string[] {
  const held = machine.heldBy(s, t).map((e) => machine.m.instances[heldInst(e)].name + (e & H_READ ? ' (read)' : ''));
  if (machine.inRcu(s, t)) held.unshift('rcu_read_lock');
  return held;
}

export function heldSnapshot(machine: Machine, s: Int32Array): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  machine.m.threads.forEach((th, t) => {
    const held = heldNames(machine, s, t);
    if (held.length > 0) out[th.name] = held;
  });
  return out;
}

/** The call chain of an instruction of `thread`, outermost first: the thread's body, then each procedure. */
export function stackOf(thread: string, i: Pick<Instr, 'src' | 'frames' | 'calls'>): StackFrame[] {
  const calls = i.calls ?? [];
  if (i.frames.length === 0 || calls.length !== i.frames.length) return [{ name: thread, src: i.src }];
  return [{ name: thread, src: calls[0] }, ...i.frames.map((f, k) => ({ name: f, src: k + 1 < calls.length ? calls[k + 1] : i.src }))];
}

/** A value as the program means it: a lock instance by name, a set by its members. */
export function showValue(m: CompiledModel, v: number, kind: ValueKind | undefined): Value {
  // a value is a position within its class: 0 is the class's first instance, and prints as it
  const name = (x: number) => instanceName(m, kind!.cls, x) ?? x;
  if (kind?.of === 'instance') return name(v);
  if (kind?.of === 'set') {
    const out: (string | number)[] = [];
    for (let b = 0; b < 32; b++) if ((v >>> b) & 1) out.push(name(b));
    return out;
  }
  return v;
}

/** Every shared var (element by element) and every thread's own locals in state s. */
export function variablesOf(m: CompiledModel, s: Int32Array): VarValue[] {
  const out: VarValue[] = [];
  for (const g of m.globals) {
    if (g.internal) continue;
    for (let k = 0; k < g.size; k++) out.push({ var: g.array || g.size > 1 ? `${g.name}[${k}]` : g.name, value: showValue(m, s[g.offset + k], g.kind) });
  }
  for (const th of m.threads)
    for (const l of th.localNames) {
      if (l.frame !== undefined || l.temp || l.name === 'self') continue;
      for (let k = 0; k < l.size; k++)
        out.push({ var: l.array || l.size > 1 ? `${l.name}[${k}]` : l.name, thread: th.name, value: showValue(m, s[th.base + l.offset + k], l.kind) });
    }
  return out;
}

/** The state before any thread has run: shared vars and locals at their declared values. */
function declaredState(m: CompiledModel): Int32Array {
  const s = new Int32Array(m.width);
  for (const g of m.globals) s.set(g.init, g.offset);
  for (const t of m.threads) s.set(t.initLocals, t.base + T_HELD + m.maxHeld);
  return s;
}

interface Written {
  slot: number;
  name: string;
  frame?: string;
  kind?: ValueKind;
}

/**
 * Reads a replayed run's data off its log: what each logged instruction wrote (as the program says: the
 * target of an assign or pick, a trylock's declared result variable), and its choices. Compiler-inserted
 * writes (WriteRole "reset" and "temp") are skipped; "param" and "init" start a variable of a new frame.
 */
class DataReader {
  /** per thread: the variable of a procedure frame each local slot holds now, by the write that started it */
  private live: Map<number, { name: string; frame?: string; gen: number }>[];
  private gen = 0;
  /**
   * Each slot's value as the program last wrote it: what a change's old value is. The state may hold
   * something else where the compiler zeroed a dead variable (so that states differing only there are one).
   */
  private readonly written0: Int32Array;

  constructor(
    private readonly m: CompiledModel,
    declared: Int32Array,
  ) {
    this.live = m.threads.map(() => new Map());
    this.written0 = declared.slice();
  }

  /** What a logged instruction wrote, as the program says: its variable, or nothing to show. */
  private written(t: number, e: LoggedStep): (Written & { role?: string }) | undefined {
    const th = this.m.threads[t];
    const i = e.instr;
    const slot = e.wrote?.slot;
    if (slot === undefined) return undefined;
    if (i.op === 'acquire' || i.op === 'flush_begin') return i.intoVar ? { slot, name: i.intoVar.name, frame: i.intoVar.frame } : undefined;
    if (i.op !== 'assign' && i.op !== 'pick') return undefined;
    const role = i.op === 'assign' ? i.role : undefined;
    if (role === 'temp') return undefined;
    if (role === 'reset') return { slot, name: '', role };
    const lv = i.target;
    if (lv.global) {
      const g = this.m.globals.find((v) => slot >= v.offset && slot < v.offset + v.size);
      if (!g || g.internal) return undefined;
      return { slot, name: g.array || g.size > 1 ? `${g.name}[${slot - g.offset}]` : g.name, kind: lv.kind };
    }
    const decl = lv.decl ?? { name: lv.name };
    const name = lv.index || lv.size > 1 ? `${decl.name}[${slot - th.base - lv.offset}]` : decl.name;
    return { slot, name, frame: decl.frame, kind: lv.kind, role };
  }

  /** The changes and choices of one step (or a thread's setup), from its log. */
  read(t: number, log: LoggedStep[]): { changes: VarChange[]; choices: TraceChoice[] } {
    const m = this.m;
    const th = m.threads[t];
    const live = this.live[t];
    /** per variable, in the order first written: its value before (a new frame's: its first), its last value */
    const seen = new Map<string, { var: string; frame?: string; local: boolean; kind?: ValueKind; param: boolean; from: number; to: number }>();
    const choices: TraceChoice[] = [];
    for (const e of log) {
      const i = e.instr;

      if (i.op === 'choose') choices.push({ action: i.text, value: Number(/^branch (\d+)/.exec(e.detail ?? '')?.[1] ?? 0), src: i.src });
      const w = this.written(t, e);
      // a pick's value as its variable prints it (an instance by name, else its integer)
      if (i.op === 'pick') choices.push({ action: i.text, value: w ? showValue(m, e.wrote!.value, w.kind) : (e.detail ?? ''), src: i.src });
      if (!w) continue;
      const local = w.slot >= th.base && w.slot < th.base + threadWidth(m, t);
      if (w.role === 'reset') {
        live.delete(w.slot);
        continue;
      }
      const starts = w.role === 'param' || w.role === 'init';
      let { name, frame } = w;
      if (local && starts) live.set(w.slot, { name, frame, gen: ++this.gen });
      const owner = local ? live.get(w.slot) : undefined;
      // a write through a by_ref parameter names the caller's variable: the frame that holds the slot
      if (owner && !starts) ({ name, frame } = owner);
      const key = local ? `l${w.slot}:${owner?.gen ?? 0}` : `g${w.slot}`;
      const value = e.wrote!.value;
      const was = this.written0[w.slot];
      this.written0[w.slot] = value;
      const old = seen.get(key);
      if (old) old.to = value;
      // a new frame's parameter starts from its argument, a local from its declared value
      else seen.set(key, { var: name, frame, local, kind: w.kind, param: w.role === 'param', from: starts ? value : was, to: value });
    }
    const changes: VarChange[] = [];
    for (const v of seen.values()) {
      if (v.from === v.to && !v.param) continue;
      const c: VarChange = {
        var: v.var,
        ...(v.local ? { thread: th.name } : {}),
        ...(v.local && v.frame !== undefined ? { frame: v.frame } : {}),
      } as VarChange;
      c.from = showValue(m, v.from, v.kind);
      c.to = showValue(m, v.to, v.kind);
      if (v.param) c.param = true;
      changes.push(c);
    }
    return { changes, choices };
  }
}

function threadWidth(m: CompiledModel, t: number): number {
  return (t + 1 < m.threads.length ? m.threads[t + 1].base : m.width) - m.threads[t].base;
}

/**
 * The trace to stored state `index`, followed by `extra` moves (thread << 16 | choice), e.g. the move that
 * raised an event. Returns the trace and the final state.
 */
export function buildTrace(
  machine: Machine,
  store: StateStore,
  index: number,
  extra: number[] = [],
  focus?: Instr,
): { trace: Trace; state: Int32Array; logs: LoggedStep[][] } {
  return traceOfMoves(machine, index >= 0 ? [...pathTo(store, index), ...extra] : [], focus);
}

function stepOf(
  machine: Machine,
  t: number,
  n: number,
  log: LoggedStep[],
  s: Int32Array,
  data: { changes: VarChange[]; choices: TraceChoice[] },
  focused: LoggedStep | undefined,
): TraceStep {
  const th = machine.m.threads[t];
  const first = focused ?? log[0];
  const instr = first?.instr ?? th.code[0];
  const step: TraceStep = {
    step: n,
    thread: th.name,
    action: first ? instr.text : '(no step)',
    detail: first?.detail,
    src: instr.src,
    frames: first ? instr.frames : [],
    stack: stackOf(th.name, first ? instr : { src: instr.src, frames: [], calls: [] }),
    held: heldSnapshot(machine, s),
  };
  if (data.changes.length > 0) step.changes = data.changes;
  if (data.choices.length > 0) step.choices = data.choices;
  return step;
}

/** The trace of a run given as its moves (thread << 16 | choice) from the initial state, replayed with logging. */
export function traceOfMoves(machine: Machine, moves: number[], focus?: Instr): { trace: Trace; state: Int32Array; logs: LoggedStep[][] } {
  const m = machine.m;
  const declared = declaredState(m);
  const reader = new DataReader(m, declared);
  const setupLogs: LoggedStep[][] = [];
  const s = machine.initial(() => undefined, setupLogs);
  const setup: TraceStep[] = [];
  // each thread's leading local statements, from the declared values (local: no thread sees another's)
  setupLogs.forEach((log, t) => {
    if (log.length === 0) return;
    const focused = focus && moves.length === 0 ? log.find((e) => e.instr === focus) : undefined;
    setup.push(stepOf(machine, t, 0, log, s, reader.read(t, log), focused));
  });
  const steps: TraceStep[] = [];
  const logs: LoggedStep[][] = [];
  for (const mv of moves) {
    const t = mv >>> 16;
    const c = mv & 0xffff;
    const log: LoggedStep[] = [];
    machine.step(s, t, c, () => undefined, log);
    logs.push(log);
    // The last step shows the instruction the finding is about (e.g. the assert that failed), when it ran.
    const focused = focus && logs.length === moves.length ? log.find((e) => e.instr === focus) : undefined;
    steps.push(stepOf(machine, t, steps.length + 1, log, s, reader.read(t, log), focused));
  }
  const trace: Trace = { steps, path: moves.map((mv) => `${mv >>> 16}.${mv & 0xffff}`).join(':'), initial: variablesOf(m, declared) };
  if (setup.length > 0) trace.setup = setup;
  return { trace, state: s, logs };
}
