// Stage "explore": breadth-first search over every interleaving, so the first path to any state is a
// shortest one. States are stored once (StateStore); the frontier is simply the range of stored states not yet
// expanded. Each expansion feeds the lockdep validator with every pending acquisition, and records events,
// deadlock states and their witnesses for the analyse stage.
import { CompiledModel, Instr, T_HELD, T_NHELD } from '../model/ir';
import { ModelRuntimeError } from '../model/expr-compile';
import { LockdepValidator } from '../lockdep/validator';
import { Machine, MachineEvent } from './machine';
import { StateStore } from './store';
import { PartialOrder } from './por';
import { makeCanonicalizer, symmetryGroups } from './symmetry';

export interface ExploreOptions {
  maxStates?: number;
  maxSeconds?: number;
  /** checked every few thousand states; returns true to stop (SIGINT) */
  shouldStop?: () => boolean;
  /** time source, injectable for tests */
  now?: () => number;
  onProgress?: (p: { states: number; depth: number; frontier: number; seconds: number }) => void;
  /** partial-order reduction (default on) */
  por?: boolean;
  /** symmetry reduction over copies of a thread (default on) */
  symmetry?: boolean;
  /** stop when the heap grows past this many bytes */
  maxMemoryBytes?: number;
}

export interface EventRecord {
  event: MachineEvent;
  /** the state the move started from (-1: while setting up the initial state) */
  state: number;
  /** the move that raised it: thread << 16 | choice (-1: none, the event belongs to the state) */
  move: number;
  /** raised by this thread's pending step, checked before it runs (sleep-in-rcu) */
  attempt?: number;
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
  stopped?: 'max-states' | 'max-seconds' | 'max-memory' | 'interrupted';
  /** states expanded by one thread only (partial-order reduction) */
  reduced: number;
}

export function explore(m: CompiledModel, opts: ExploreOptions = {}): Exploration {
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  const machine = new Machine(m);
  const lockdep = new LockdepValidator(m);
  const store = new StateStore(m.width, 1 << 12, opts.symmetry === false ? undefined : makeCanonicalizer(m, symmetryGroups(m)));
  const events: EventRecord[] = [];
  const eventKeys = new Set<string>();
  const deadlocks: number[] = [];
  const deadlockKeys = new Set<string>();
  let deadlockStates = 0;
  let transitions = 0;

  const record = (e: MachineEvent, state: number, move: number, attempt?: number) => {
    const key = `${e.kind}:${e.instr.src.file}:${e.instr.src.line}:${e.instr.src.col}:${m.threads[e.thread].decl}:${e.message}`;
    if (eventKeys.has(key)) return;
    eventKeys.add(key);
    events.push(attempt === undefined ? { event: e, state, move } : { event: e, state, move, attempt });
  };

  const init = machine.initial((e) => record(e, -1, -1));
  store.insert(init, -1, -1);

  const s = new Int32Array(m.width);
  const next = new Int32Array(m.width);
  const T = m.threads.length;
  const moves = new Int32Array(T);
  const analysis = opts.por === false ? undefined : new PartialOrder(m);
  const por = analysis?.enabled ? analysis : undefined;
  let reduced = 0;
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
      if (opts.maxMemoryBytes !== undefined && (idx & 4095) === 0 && process.memoryUsage().rss > opts.maxMemoryBytes) {
        stopped = 'max-memory';
        break;
      }
      opts.onProgress?.({ states: store.count, depth, frontier: store.count - idx, seconds: sec });
    }
    store.get(idx, s);
    let anyMove = false;
    let live = false;
    for (let t = 0; t < T; t++) {
      moves[t] = 0;
      const instr = machine.instrAt(s, t);
      if (instr.op === 'end') continue;
      if (!machine.isIdle(s, t)) live = true;
      try {
        // Checks made at the attempt, whether or not it can proceed: lockdep's, and sleeping under RCU.
        if ((instr.op === 'acquire' && !instr.trylock) || (instr.op === 'sync_begin' && instr.srcu)) {
          const b = m.threads[t].base;
          const inst = instr.op === 'acquire' ? instr.lock(s, b) : instr.srcu!(s, b);
          const nest = instr.op === 'acquire' && instr.nest ? instr.nest(s, b) : -1;
          const nh = s[b + T_NHELD];
          const asAcquire = instr.op === 'acquire' ? instr : { ...instr, op: 'acquire' as const, read: false, subclass: 0, trylock: false, into: -1, lock: instr.srcu! };
          if (nh > 0) lockdep.attempt(idx, t, Array.from(s.subarray(b + T_HELD, b + T_HELD + nh)), inst, asAcquire, nest);
        }
        if (machine.inRcu(s, t) && mightSleep(m, instr, s, m.threads[t].base))
          record({ kind: 'sleep-in-rcu', thread: t, instr, message: `${m.threads[t].name} may sleep (${instr.text}) inside an RCU read-side section` }, idx, -1, t);
        moves[t] = machine.moves(s, t);
      } catch (e) {
        if (!(e instanceof ModelRuntimeError)) throw e;
        moves[t] = 1; // the move reports the error and ends the thread
      }
    }
    const expand = (t: number): boolean => {
      // returns whether every successor was new (for the cycle proviso)
      let allNew = true;
      for (let c = 0; c < moves[t]; c++) {
        anyMove = true;
        transitions++;
        next.set(s);
        machine.step(next, t, c, (e) => record(e, idx, (t << 16) | c));
        if (!store.insert(next, idx, (t << 16) | c).added) allNew = false;
        if (store.count >= maxStates && store.count > idx + 1) {
          stopped = 'max-states';
          return allNew;
        }
      }
      return allNew;
    };
    let ample = -1;
    if (por) {
      const pc = (u: number) => s[m.threads[u].base];
      for (let t = 0; t < T && ample < 0; t++) if (moves[t] > 0 && por.independent(t, pc)) ample = t;
    }
    if (ample >= 0 && expand(ample)) reduced++;
    else for (let t = 0; t < T && !stopped; t++) if (t !== ample) expand(t);
    if (stopped) break;
    if (live && !anyMove) {
      deadlockStates++;
      const key = deadlockShape(machine, s);
      if (!deadlockKeys.has(key)) {
        deadlockKeys.add(key);
        deadlocks.push(idx);
      }
    } else if (!anyMove) {
      // The run has ended (threads done, workers idle): check the spec's final assertions.
      for (const f of m.finals) {
        if (f.cond(s, 0)) continue;
        const key = `final:${f.src.line}:${f.src.col}`;
        if (eventKeys.has(key)) continue;
        eventKeys.add(key);
        events.push({ event: { kind: 'assertion', thread: -1, instr: { op: 'end', src: f.src, text: 'final', frames: [] }, message: f.message }, state: idx, move: -1 });
      }
    }
  }
  return { machine, lockdep, store, events, deadlocks, deadlockStates, transitions, depth, seconds: now() - t0, stopped, reduced };
}

/** Steps that may sleep: sleeping locks, grace periods, waits (spinlocks, rwlocks and trylocks do not). */
function mightSleep(m: CompiledModel, i: Instr, s: Int32Array, base: number): boolean {
  switch (i.op) {
    case 'acquire': {
      if (i.trylock) return false;
      const kind = m.classes[m.instances[i.lock(s, base)].cls].kind;
      return kind === 'mutex' || kind === 'rwsem';
    }
    case 'sync_begin':
    case 'wait':
      return true;
    default:
      return false;
  }
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
