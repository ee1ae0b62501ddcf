// Counterexample traces: the parent links give the shortest path to a state; replaying it through the
// machine with logging recovers each step's action, source position and the locks every thread holds.
import { H_READ, heldInst, Instr } from '../model/ir';
import { Trace, TraceStep } from '../result';
import { LoggedStep, Machine } from './machine';
import { StateStore } from './store';

export function pathTo(store: StateStore, index: number): number[] {
  const moves: number[] = [];
  for (let i = index; i > 0; i = store.parent[i]) moves.push(store.via[i]);
  return moves.reverse();
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

/** The trace of a run given as its moves (thread << 16 | choice) from the initial state, replayed with logging. */
export function traceOfMoves(machine: Machine, moves: number[], focus?: Instr): { trace: Trace; state: Int32Array; logs: LoggedStep[][] } {
  const s = machine.initial(() => undefined);
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
    const first = focused ?? log[0];
    steps.push({
      step: steps.length + 1,
      thread: machine.m.threads[t].name,
      action: first ? first.instr.text : '(no step)',
      detail: first?.detail,
      src: first ? first.instr.src : machine.m.threads[t].code[0].src,
      frames: first ? first.instr.frames : [],
      held: heldSnapshot(machine, s),
    });
  }
  return { trace: { steps, path: moves.map((mv) => `${mv >>> 16}.${mv & 0xffff}`).join(':') }, state: s, logs };
}
