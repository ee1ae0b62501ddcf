// Stage "explore": breadth-first search over every interleaving, so the first path to any state is a
// shortest one. States are stored once (StateStore); the frontier is simply the range of stored states not yet
// expanded. Each expansion feeds the lockdep validator with every pending acquisition, and records events,
// deadlock states and their witnesses for the analyse stage.
import { CompiledModel, T_HELD, T_NHELD } from '../model/ir';
import { ModelRuntimeError } from '../model/expr-compile';
import { LockdepValidator } from '../lockdep/validator';
import { Machine, MachineEvent } from './machine';
import { StateStore } from './store';

export interface ExploreOptions {
  maxStates?: number;
  maxSeconds?: number;
  /** checked every few thousand states; returns true to stop (SIGINT) */
  shouldStop?: () => boolean;
  /** time source, injectable for tests */
  now?: () => number;
  onProgress?: (p: { states: number; depth: number; frontier: number; seconds: number }) => void;
}

export interface EventRecord {
  event: MachineEvent;
  /** the state the move started from (-1: while setting up the initial state) */
  state: number;
  /** the move that raised it: thread << 16 | choice (-1: initial state) */
  move: number;
}

export interface Exploration {
  machine: Machine;
  store: StateStore;
  lockdep: LockdepValidator;
  /** first occurrence of each distinct event (by kind and instruction) */
  events: EventRecord[];
  /** first deadlock state of each distinct shape (which threads wait where) */
  deadlocks: number[];
  deadlockStates: number;
  transitions: number;
  depth: number;
  seconds: number;
  stopped?: 'max-states' | 'max-seconds' | 'interrupted';
}

export function explore(m: CompiledModel, opts: ExploreOptions = {}): Exploration {
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  const machine = new Machine(m);
  const lockdep = new LockdepValidator(m);
  const store = new StateStore(m.width);
  const events: EventRecord[] = [];
  const eventKeys = new Set<string>();
  const deadlocks: number[] = [];
  const deadlockKeys = new Set<string>();
  let deadlockStates = 0;
  let transitions = 0;

  const record = (e: MachineEvent, state: number, move: number) => {
    const key = `${e.kind}:${e.instr.src.file}:${e.instr.src.line}:${e.instr.src.col}:${m.threads[e.thread].decl}:${e.message}`;
    if (eventKeys.has(key)) return;
    eventKeys.add(key);
    events.push({ event: e, state, move });
  };

  const init = machine.initial((e) => record(e, -1, -1));
  store.insert(init, -1, -1);

  const s = new Int32Array(m.width);
  const next = new Int32Array(m.width);
  const T = m.threads.length;
  let depth = 0;
  let levelEnd = 1;
  let stopped: Exploration['stopped'];
  const maxStates = opts.maxStates ?? Infinity;

  for (let idx = 0; idx < store.count; idx++) {
    if (idx === levelEnd) {
      depth++;
      levelEnd = store.count;
    }
    if ((idx & 255) === 0 && idx > 0) {
      const sec = now() - t0;
      if (opts.maxSeconds !== undefined && sec > opts.maxSeconds) {
        stopped = 'max-seconds';
        break;
      }
      if (opts.shouldStop?.()) {
        stopped = 'interrupted';
        break;
      }
      opts.onProgress?.({ states: store.count, depth, frontier: store.count - idx, seconds: sec });
    }
    store.get(idx, s);
    let anyMove = false;
    let live = false;
    for (let t = 0; t < T; t++) {
      const instr = machine.instrAt(s, t);
      if (instr.op === 'end') continue;
      live = true;
      let n: number;
      try {
        if (instr.op === 'acquire' && !instr.trylock) {
          const b = m.threads[t].base;
          const inst = instr.lock(s, b);
          const nest = instr.nest ? instr.nest(s, b) : -1;
          const nh = s[b + T_NHELD];
          if (nh > 0) lockdep.attempt(idx, t, Array.from(s.subarray(b + T_HELD, b + T_HELD + nh)), inst, instr, nest);
        }
        n = machine.moves(s, t);
      } catch (e) {
        if (!(e instanceof ModelRuntimeError)) throw e;
        n = 1; // the move reports the error and ends the thread
      }
      for (let c = 0; c < n; c++) {
        anyMove = true;
        transitions++;
        next.set(s);
        machine.step(next, t, c, (e) => record(e, idx, (t << 16) | c));
        store.insert(next, idx, (t << 16) | c);
        if (store.count >= maxStates && store.count > idx + 1) {
          stopped = 'max-states';
          break;
        }
      }
      if (stopped) break;
    }
    if (stopped) break;
    if (live && !anyMove) {
      deadlockStates++;
      const key = deadlockShape(machine, s);
      if (!deadlockKeys.has(key)) {
        deadlockKeys.add(key);
        deadlocks.push(idx);
      }
    }
  }
  return { machine, lockdep, store, events, deadlocks, deadlockStates, transitions, depth, seconds: now() - t0, stopped };
}

/** Two deadlock states have the same shape when the same threads wait at the same places. */
function deadlockShape(machine: Machine, s: Int32Array): string {
  const parts: string[] = [];
  machine.m.threads.forEach((th, t) => {
    const i = machine.instrAt(s, t);
    if (i.op !== 'end') parts.push(`${th.decl}@${i.src.line}:${i.src.col}`);
  });
  return parts.sort().join(' ');
}
