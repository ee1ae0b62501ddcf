// Stage "explore": breadth-first search over every interleaving, so the first path to any state is a
// shortest one. States are stored once (StateStore); the frontier is simply the range of stored states not yet
// expanded. Each expansion feeds the lockdep validator with every pending acquisition, and records events,
// deadlock states and their witnesses for the analyse stage.
import { CompiledModel, heldEntry, heldInst, Instr, NO_ACCESS, T_HELD, T_NHELD } from '../model/ir';
import { assertNever } from '../assert-never';
import { ModelRuntimeError } from '../model/runtime-error';
import { lockKind } from '../model/lock-kinds';
import { LockdepValidator } from '../lockdep/validator';
import { Machine, MachineEvent } from './machine';
import { StateStore } from './store';
import { PartialOrder } from './por';
import { makeCanonicalizer, symmetryGroups } from './symmetry';
import { SharedVisited } from './shared-visited';
import { estimateSecondsLeft } from './estimate';

export interface ExploreOptions {
  maxStates?: number;
  maxSeconds?: number;
  /** checked every few thousand states; returns true to stop (SIGINT) */
  shouldStop?: () => boolean;
  /** time source, injectable for tests */
  now?: () => number;
  /** `eta`: seconds left, estimated where possible (estimate.ts) */
  onProgress?: (p: { states: number; depth: number; frontier: number; seconds: number; eta?: number }) => void;
  /** partial-order reduction (default on) */
  por?: boolean;
  /** symmetry reduction over copies of a thread (default on) */
  symmetry?: boolean;
  /** stop when the heap grows past this many bytes */
  maxMemoryBytes?: number;
  /** keep every state vector and compare vectors, not only 64-bit fingerprints */
  exact?: boolean;
  /** bitstate (supertrace) mode: visited states as 2 bits each in a table of 2^bitstateBits bits */
  bitstateBits?: number;
  /** explore one shard of the state space */
  shard?: Shard;
  /** only this deep: states at this depth are examined (deadlocks, attempts) but not expanded */
  maxDepth?: number;
  /** breadth-first (the default: shortest traces) or depth-first (SPIN's: memory for the path, not the level) */
  strategy?: 'bfs' | 'dfs';
  /**
   * --jobs: the visited set the shards' workers share (shared-visited.ts); below the split level each state is
   * stored and expanded by the one worker that claims it. Used only with `shard`, fingerprint storage.
   */
  sharedVisited?: SharedArrayBuffer;
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
  /** states at maxDepth that had moves left unexplored: the depth bound cut the search there */
  depthCut: number;
  /** states expanded by one thread only (partial-order reduction) */
  reduced: number;
  /** simulation: the walk that first reached a state */
  walkOf?: (state: number) => number;
  /** a shard: the depth at which the frontier was split (-1: never reached) */
  splitDepth?: number;
  /**
   * a shard sharing its visited set: what it had done when it reached the split level, which every shard did
   * alike (the merged counts subtract the copies)
   */
  prefix?: SharedPrefix;
}

export interface SharedPrefix {
  states: number;
  transitions: number;
  deadlockStates: number;
  reduced: number;
}

/**
 * Split an exhaustive search: states at `depth` are expanded only by the shard their fingerprint falls in
 * (every state deeper down descends from one of them, so the shards together cover every state).
 * depth -1: the first level with at least SPLIT_STATES_PER_SHARD states per shard.
 */
export interface Shard {
  index: number;
  count: number;
  depth: number;
}

export interface SimulateOptions {
  walks: number;
  seed: string;
  /** only this walk (to replay one from a reproduce line) */
  walk?: number;
  maxDepth?: number;
  /**
   * swarm verification: each walk draws a weight per thread and picks among the threads that can move in
   * proportion to them (then a move of that thread uniformly), so that some walks starve some threads, as the
   * schedules that reach deep deadlocks do; plain walks pick a move uniformly
   */
  swarm?: boolean;
  /** swarm: the worker threads the walks are spread over (walk k on worker k mod jobs; a walk's seed is its own) */
  jobs?: number;
  /** the worker this is: only its walks */
  part?: number;
}

/**
 * The search state shared by exhaustive and random exploration: the store, the lockdep validator, events,
 * deadlocks, and the expansion of one state (attempt checks, moves, partial-order reduction).
 */
class Search {
  readonly machine: Machine;
  readonly lockdep: LockdepValidator;
  readonly store: StateStore;
  readonly events: EventRecord[] = [];
  readonly deadlocks: number[] = [];
  deadlockStates = 0;
  transitions = 0;
  reduced = 0;
  depthCut = 0;
  stopped: Exploration['stopped'];
  private readonly eventKeys = new Set<string>();
  private readonly deadlockKeys = new Set<string>();
  private readonly T: number;
  readonly moves: Int32Array;
  readonly s: Int32Array;
  private readonly next: Int32Array;
  private readonly por?: PartialOrder;
  private readonly maxStates: number;
  /** the state and move being stepped, for onStepEvent: one callback for every step, not a closure per step */
  private stepFrom = -1;
  private stepMove = -1;
  private readonly onStepEvent = (e: MachineEvent) => this.record(e, this.stepFrom, this.stepMove);

  constructor(
    readonly m: CompiledModel,
    readonly opts: ExploreOptions,
  ) {
    this.machine = new Machine(m);
    this.lockdep = new LockdepValidator(m);
    const canon = opts.symmetry === false ? undefined : makeCanonicalizer(m, symmetryGroups(m));
    this.store = new StateStore(m.width, 1 << 10, canon, opts.bitstateBits, opts.exact === true);
    this.T = m.threads.length;
    this.moves = new Int32Array(this.T);
    this.s = new Int32Array(m.width);
    this.next = new Int32Array(m.width);
    const analysis = opts.por === false ? undefined : new PartialOrder(m);
    this.por = analysis?.enabled ? analysis : undefined;
    this.maxStates = opts.maxStates ?? Infinity;
    const init = this.machine.initial((e) => this.record(e, -1, -1));
    this.store.insert(init, -1, -1);
  }

  record(e: MachineEvent, state: number, move: number, attempt?: number) {
    const key = `${e.kind}:${e.instr.src.file}:${e.instr.src.line}:${e.instr.src.col}:${this.m.threads[e.thread].decl}:${e.message}`;
    if (this.eventKeys.has(key)) return;
    this.eventKeys.add(key);
    this.events.push(attempt === undefined ? { event: e, state, move } : { event: e, state, move, attempt });
  }

  /** Loads state idx into this.s, makes the checks due at each pending step, and counts every thread's moves. */
  examine(idx: number, vector?: Int32Array): { live: boolean; any: boolean } {
    const { m, machine, s, moves } = this;
    if (vector) s.set(vector);
    else this.store.get(idx, s);
    let live = false;
    let any = false;
    for (let t = 0; t < this.T; t++) {
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
          const asAcquire =
            instr.op === 'acquire' ? instr : { ...instr, op: 'acquire' as const, read: false, subclass: 0, trylock: false, into: -1, lock: instr.srcu! };
          const held = Array.from(s.subarray(b + T_HELD, b + T_HELD + nh));
          const seen = this.lockdepHeld(t, held);
          // lockdep's "Nested lock was not taken": the nest lock named by the acquisition is not held
          if (nest >= 0 && !held.some((e) => heldInst(e) === nest))
            this.record(
              {
                kind: 'assertion',
                thread: t,
                instr,
                message: `nested lock was not taken: ${m.threads[t].name} acquires ${m.instances[inst].name} under nest lock ${m.instances[nest].name}, which it does not hold`,
                locks: [nest],
              },
              idx,
              -1,
              t,
            );
          if (seen.length > 0) this.lockdep.attempt(idx, t, seen, inst, asAcquire, nest);
        }
        // flush_work that finds a run, or cancel_work_sync that finds one running (a queued one it takes off the
        // queue before start_flush_work() looks): touch_work_lockdep_map() acquires the item's map
        if (instr.op === 'flush_begin') {
          const b = m.threads[t].base;
          const w = instr.work;
          const k = instr.item ? instr.item(s, b) : 0;
          if (k >= 0 && k < w.items) {
            const { queued, running } = machine.itemState(s, w, k);
            const seen = this.lockdepHeld(t, Array.from(s.subarray(b + T_HELD, b + T_HELD + s[b + T_NHELD])));
            if ((instr.cancel ? running : queued || running) && seen.length > 0) {
              const asAcquire = { ...instr, op: 'acquire' as const, lock: () => 0, cls: -1, read: false, subclass: 0, trylock: false, into: -1 };
              this.lockdep.attempt(idx, t, seen, this.lockdep.workMap(w.entry, k), asAcquire, -1);
            }
          }
        }
        if (machine.inRcu(s, t) && mightSleep(m, instr, s, m.threads[t].base))
          this.record(
            { kind: 'sleep-in-rcu', thread: t, instr, message: `${m.threads[t].name} may sleep (${instr.text}) inside an RCU read-side section` },
            idx,
            -1,
            t,
          );
        moves[t] = machine.moves(s, t);
      } catch (e) {
        if (!(e instanceof ModelRuntimeError)) throw e;
        moves[t] = 1; // the move reports the error and ends the thread
      }
      if (moves[t] > 0) any = true;
    }
    return { live, any };
  }

  /** The held locks lockdep sees for thread t: a worker's run holds its item's completion map first. */
  private lockdepHeld(t: number, held: number[]): number[] {
    const work = this.m.threads[t].work;
    return work ? [heldEntry(this.lockdep.workMap(work.entry, work.item), 0, 0), ...held] : held;
  }

  /** Performs move (t, c) from the examined state idx; returns the successor's index (store.added: whether it is new). */
  step(idx: number, t: number, c: number): number {
    this.transitions++;
    this.next.set(this.s);
    this.stepFrom = idx;
    this.stepMove = (t << 16) | c;
    this.machine.step(this.next, t, c, this.onStepEvent);
    const index = this.store.insert(this.next, idx, (t << 16) | c);
    if (this.store.count >= this.maxStates) this.stopped = 'max-states';
    return index;
  }

  /** Performs move (t, c) from the examined state idx into `out`, recording its events, without storing it. */
  stepInto(idx: number, t: number, c: number, out: Int32Array) {
    this.transitions++;
    out.set(this.s);
    this.stepFrom = idx;
    this.stepMove = (t << 16) | c;
    this.machine.step(out, t, c, this.onStepEvent);
  }

  /** The thread partial-order reduction may expand alone in the examined state, or -1. */
  ampleThread(): number {
    if (!this.por) return -1;
    const pc = (u: number) => this.s[this.m.threads[u].base];
    for (let t = 0; t < this.T; t++) if (this.moves[t] > 0 && this.por.independent(t, pc)) return t;
    return -1;
  }

  /**
   * Every successor of the examined state idx, or one thread's when partial-order reduction allows.
   * `nextLevel` is the index of the first state of the next breadth-first level: a stored state below it is no
   * deeper than idx.
   */
  expandAll(idx: number, nextLevel: number) {
    const { T, moves } = this;
    /** expands thread t; true when a successor closes a cycle (it was stored no deeper than idx) */
    const expand = (t: number): boolean => {
      let closes = false;
      // (bitstate storage returns -1 for a state seen before: its depth is unknown, so it counts as closing)
      for (let c = 0; c < moves[t] && !this.stopped; c++) if (this.step(idx, t, c) < nextLevel) closes = true;
      return closes;
    };
    const ample = this.ampleThread();
    // Cycle proviso, for breadth-first search: every cycle of the reduced graph has an edge from its deepest
    // state to a state no deeper, which is already stored when that state is expanded; so expanding fully
    // wherever the chosen thread leads to such a state leaves no cycle on which a thread is ignored forever.
    // (A successor stored in the next level is not on a cycle through idx by this edge: it is deeper.)
    if (ample >= 0 && !expand(ample)) this.reduced++;
    else for (let t = 0; t < T && !this.stopped; t++) if (t !== ample) expand(t);
  }

  /** A state where nothing can move: a deadlock if a live thread remains, else the end of a run. */
  deadEnd(idx: number, live: boolean) {
    const { m, s } = this;
    if (live) {
      this.deadlockStates++;
      const key = deadlockShape(this.machine, s);
      if (!this.deadlockKeys.has(key)) {
        this.deadlockKeys.add(key);
        this.deadlocks.push(idx);
      }
      return;
    }
    // The run has ended (threads done, workers idle): check the spec's final assertions.
    for (const f of m.finals) {
      let message = f.message;
      try {
        if (f.cond(s, 0)) continue;
      } catch (e) {
        if (!(e instanceof ModelRuntimeError)) throw e;
        message = `runtime error in a final assertion: ${e.message}`;
      }
      const key = `final:${f.src.line}:${f.src.col}`;
      if (this.eventKeys.has(key)) continue;
      this.eventKeys.add(key);
      this.events.push({
        event: { kind: 'assertion', thread: -1, instr: { op: 'end', src: f.src, text: 'final', frames: [], access: NO_ACCESS }, message },
        state: idx,
        move: -1,
      });
    }
  }

  result(depth: number, seconds: number): Exploration {
    const { machine, lockdep, store, events, deadlocks, deadlockStates, transitions, stopped, reduced, depthCut } = this;
    return { machine, lockdep, store, events, deadlocks, deadlockStates, transitions, depth, seconds, stopped, reduced, depthCut };
  }
}

/**
 * Says when to look at the clock, the memory and the stop flag: every `every` states, with `every` adapted so
 * that looks come about every 10 ms whether a state takes a microsecond or, on a huge model, 50 ms. A fixed
 * count would either cost time on small states or let --max-seconds overshoot by minutes on huge ones.
 */
class Pacer {
  private every = 1;
  private left = 1;
  private last: number;
  constructor(private readonly now: () => number) {
    this.last = now();
  }
  due(): boolean {
    if (--this.left > 0) return false;
    const t = this.now();
    const dt = t - this.last;
    this.last = t;
    if (dt < 0.005 && this.every < 4096) this.every *= 2;
    else if (dt > 0.02 && this.every > 1) this.every >>= 1;
    this.left = this.every;
    return true;
  }
}

function checkBounds(opts: ExploreOptions, search: Search, t0: number, now: () => number, progress: () => void, visited?: SharedVisited): boolean {
  const sec = now() - t0;
  const elsewhere = visited?.stopped();
  if (elsewhere) search.stopped = elsewhere;
  else if (opts.maxSeconds !== undefined && sec > opts.maxSeconds) search.stopped = 'max-seconds';
  else if (opts.shouldStop?.()) search.stopped = 'interrupted';
  else if (opts.maxMemoryBytes !== undefined && process.memoryUsage().rss > opts.maxMemoryBytes) search.stopped = 'max-memory';
  else progress();
  return search.stopped !== undefined;
}

/** Exhaustive search: breadth-first (optionally one shard of it), or depth-first with `strategy: 'dfs'`. */
export function explore(m: CompiledModel, opts: ExploreOptions = {}): Exploration {
  if (opts.strategy === 'dfs') return exploreDfs(m, opts);
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  const search = new Search(m, opts);
  const { store } = search;
  let depth = 0;
  let levelEnd = 1;
  let levelStart = 0;
  let previousLevel = 0;
  const shard = opts.shard;
  let splitDepth = shard ? shard.depth : -1;
  const pacer = new Pacer(now);
  const visited =
    shard && opts.sharedVisited && opts.bitstateBits === undefined && !opts.exact ? new SharedVisited(opts.sharedVisited, shard.count) : undefined;
  let prefix: SharedPrefix | undefined;
  let finished = false;
  // sharing a visited set: each level is expanded in the order of its states' keys, not of their arrival, so
  // that what a worker records first (a finding's witness) does not depend on the other workers' timing
  let order: Float64Array | undefined;
  try {
    for (let pos = 0; ; pos++) {
      if (pos === levelEnd) {
        const claimedLevel = prefix !== undefined;
        if (prefix) {
          // sharing a visited set: the next level starts when every worker has finished this one
          const total = visited!.barrier(store.count - levelEnd);
          if (typeof total === 'string') search.stopped ??= total;
          if (typeof total === 'string' || total === 0) break;
        } else if (pos === store.count) break;
        depth++;
        // "auto" split depth: the first level wide enough to share out (the same in every shard: BFS is deterministic)
        if (shard && splitDepth < 0 && (store.count - levelEnd >= SPLIT_STATES_PER_SHARD * shard.count || depth >= 64)) splitDepth = depth;
        previousLevel = levelEnd - levelStart;
        levelStart = levelEnd;
        levelEnd = store.count;
        store.nextLevel = levelEnd;
        order = claimedLevel ? keyOrder(store, levelStart, levelEnd) : undefined;
        if (visited && !prefix && depth === splitDepth) {
          prefix = { states: store.count, transitions: search.transitions, deadlockStates: search.deadlockStates, reduced: search.reduced };
          store.claim = (h1, h2, key) => visited.claim(h1, h2, key);
          store.claimedSlot = () => visited.lastSlot;
          store.workerBits = shard!.index;
        }
        // none of this level's states is this worker's: wait for the next level at the barrier
        if (pos === levelEnd) {
          pos--;
          continue;
        }
      }
      const idx = order ? order[pos - levelStart] : pos;
      if (
        pos > 0 &&
        pacer.due() &&
        checkBounds(
          opts,
          search,
          t0,
          now,
          () => {
            const seconds = now() - t0;
            const levelsLeft = opts.maxDepth === undefined ? Infinity : opts.maxDepth - depth;
            // (a shard or a worker of --jobs expands part of each level: its own rate and levels still give its time)
            const eta = estimateSecondsLeft({ expanded: pos, seconds, levelLeft: levelEnd - pos, level: levelEnd - levelStart, previousLevel, levelsLeft });
            opts.onProgress?.({ states: store.count, depth, frontier: store.count - pos, seconds, ...(eta !== undefined ? { eta } : {}) });
          },
          visited,
        )
      )
        break;
      if ((pos & 255) === 0) store.release(order ? levelStart : pos); // bitstate mode keeps only the frontier
      // a shard expands only its part of the frontier at the split depth
      if (shard && depth === splitDepth && store.fingerprint(idx) % shard.count !== shard.index) continue;
      // sharing a visited set: a state this worker stored but another reached by a smaller key is the other's
      if (prefix && store.lostTo(idx, (slot) => visited!.keyAt(slot))) {
        store.stale++;
        continue;
      }
      const { live, any } = search.examine(idx);
      if (!any) search.deadEnd(idx, live);
      else if (opts.maxDepth === undefined || depth < opts.maxDepth) search.expandAll(idx, levelEnd);
      else search.depthCut++;
      if (prefix && opts.maxStates !== undefined && prefix.states + visited!.claims >= opts.maxStates) search.stopped = 'max-states';
      if (search.stopped) break;
    }
    finished = true;
  } finally {
    // a worker that stops (a bound, or an error on its way out) stops the others, which wait for it at the barrier
    if (prefix && (search.stopped || !finished)) visited!.stop(search.stopped ?? 'interrupted');
  }
  const r = search.result(depth, now() - t0);
  if (shard) r.splitDepth = splitDepth;
  if (prefix) r.prefix = prefix;
  return r;
}

/** A state on the depth-first stack: its successors, made when it was pushed, visited one by one. */
interface Frame {
  /** the state's index for parent links and traces */
  idx: number;
  /** the index lookups find it under (the first copy), for the stack and the depths */
  key: number;
  depth: number;
  succ: (Int32Array | undefined)[];
  via: number[];
  next: number;
}

/**
 * Exhaustive depth-first search (SPIN's): memory for the stack of the current path, not for a breadth-first
 * level, and a deep finding is reached without enumerating every shallower state first. Traces follow the path
 * that first reached a state, not a shortest one. Partial-order reduction uses SPIN's stack proviso instead of
 * the breadth-first one: an ample set with a successor on the stack closes a cycle of the reduced graph, on
 * which the other threads would be ignored forever, so that state is expanded fully. With a depth bound a state
 * first reached deep is explored again when a shorter path reaches it, so that every state within the bound is
 * expanded from its shallowest known depth (SPIN's -i idea, without its iteration).
 */
export function exploreDfs(m: CompiledModel, opts: ExploreOptions = {}): Exploration {
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  const search = new Search(m, opts);
  const { store } = search;
  const maxDepth = opts.maxDepth ?? Infinity;
  const bounded = opts.maxDepth !== undefined;
  const maxStates = opts.maxStates ?? Infinity;
  let onStack = new Uint8Array(1 << 12);
  let depthOf = new Int32Array(1 << 12);
  const stack: Frame[] = [];
  const pacer = new Pacer(now);
  let deepest = 0;

  const push = (idx: number, key: number, depth: number, vector: Int32Array, again: boolean) => {
    if (key >= onStack.length) {
      const n = Math.max(key + 1, onStack.length * 2);
      const a = new Uint8Array(n);
      a.set(onStack);
      onStack = a;
      const d = new Int32Array(n);
      d.set(depthOf);
      depthOf = d;
    }
    onStack[key] = 1;
    depthOf[key] = depth;
    if (depth > deepest) deepest = depth;
    const frame: Frame = { idx, key, depth, succ: [], via: [], next: 0 };
    stack.push(frame);
    const { live, any } = search.examine(idx, vector);
    if (!any) {
      if (!again) search.deadEnd(idx, live);
      return;
    }
    if (depth >= maxDepth) {
      search.depthCut++;
      return;
    }
    const gen = (t: number) => {
      for (let c = 0; c < search.moves[t]; c++) {
        const out = new Int32Array(m.width);
        search.stepInto(idx, t, c, out);
        frame.succ.push(out);
        frame.via.push((t << 16) | c);
      }
    };
    const ample = search.ampleThread();
    if (ample >= 0) {
      gen(ample);
      const closes = frame.succ.some((v) => {
        const i = store.find(v!);
        return i === -2 || (i >= 0 && onStack[i] === 1); // (a bitstate hit's index is unknown: it may be on the stack)
      });
      if (!closes) {
        search.reduced++;
        return;
      }
    }
    for (let t = 0; t < search.moves.length; t++) if (t !== ample) gen(t);
  };

  push(0, 0, 0, store.get(0, new Int32Array(m.width)), false);
  while (stack.length > 0 && !search.stopped) {
    if (
      pacer.due() &&
      checkBounds(opts, search, t0, now, () => opts.onProgress?.({ states: store.count, depth: stack.length - 1, frontier: stack.length, seconds: now() - t0 }))
    )
      break;
    const f = stack[stack.length - 1];
    if (f.next === f.succ.length) {
      onStack[f.key] = 0;
      stack.pop();
      continue;
    }
    const k = f.next++;
    const v = f.succ[k]!;
    f.succ[k] = undefined; // the stack keeps only the vectors still to visit
    const i = store.insert(v, f.idx, f.via[k]);
    if (store.added) push(i, i, f.depth + 1, v, false);
    else if (bounded && i >= 0 && onStack[i] === 0 && depthOf[i] > f.depth + 1) push(store.appendCopy(v, f.idx, f.via[k]), i, f.depth + 1, v, true);
    if (store.count >= maxStates) search.stopped = 'max-states';
    if ((store.count & 1023) === 0) store.release(store.count); // the stack holds its own vectors
  }
  return search.result(deepest, now() - t0);
}

/**
 * The states from..to-1 of a level in the order of their keys (ties, and levels of 2^22 states or more, in the
 * order they were stored): a key (at most 2^30) and a position packed into one double, exact below 2^53.
 */
function keyOrder(store: StateStore, from: number, to: number): Float64Array | undefined {
  const n = to - from;
  if (n >= 2 ** 22) return undefined;
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = store.keyOf(from + i) * 2 ** 22 + i;
  a.sort();
  for (let i = 0; i < n; i++) a[i] = from + (a[i] % 2 ** 22);
  return a;
}

/**
 * A shard's split level is the first breadth-first level with this many states per shard (or depth 64).
 * LOCKCHECK_SPLIT_STATES lowers it for tests, so that the oracle's small specs split too.
 */
export const SPLIT_STATES_PER_SHARD = Number(process.env.LOCKCHECK_SPLIT_STATES) || 100;

/**
 * Seeded random walks, for models too large to exhaust: walk k follows rng(seed:k), so any walk replays
 * from its seed and index. Every state a walk visits is stored with its parent, so findings get traces.
 */
export function simulate(m: CompiledModel, sim: SimulateOptions, opts: ExploreOptions = {}): Exploration & { walks: number } {
  const now = opts.now ?? (() => performance.now() / 1000);
  const t0 = now();
  const search = new Search(m, { ...opts, por: false, bitstateBits: undefined, shard: undefined, exact: true }); // walks revisit old states
  const walkOf: number[] = [0];
  const maxDepth = sim.maxDepth ?? 100000;
  let depth = 0;
  let walks = 0;
  const pacer = new Pacer(now);
  const first = sim.walk ?? 0;
  const last = sim.walk ?? sim.walks - 1;
  // loaded here, not at start-up: only --simulate needs it
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const seedrandom = require('seedrandom') as typeof import('seedrandom');
  for (let k = first; k <= last && !search.stopped; k++) {
    if (sim.part !== undefined && sim.walk === undefined && k % (sim.jobs ?? 1) !== sim.part) continue;
    const rng = seedrandom(`${sim.seed}:${k}`);
    // (cubed: most threads get a low weight, a few a high one)
    const weights = sim.swarm ? Array.from(search.moves, () => 0.01 + rng() ** 3) : undefined;
    walks++;
    let idx = 0;
    for (let d = 0; d < maxDepth; d++) {
      const { live, any } = search.examine(idx);
      if (!any) {
        search.deadEnd(idx, live);
        break;
      }
      let t = 0;
      let pick: number;
      if (weights) {
        let total = 0;
        for (let u = 0; u < search.moves.length; u++) if (search.moves[u] > 0) total += weights[u];
        let x = rng() * total;
        t = -1;
        for (let u = 0; u < search.moves.length; u++)
          if (search.moves[u] > 0) {
            t = u;
            x -= weights[u];
            if (x < 0) break;
          }
        pick = Math.floor(rng() * search.moves[t]);
      } else {
        let total = 0;
        for (let u = 0; u < search.moves.length; u++) total += search.moves[u];
        pick = Math.floor(rng() * total);
        while (pick >= search.moves[t]) pick -= search.moves[t++];
      }
      if (pacer.due() && checkBounds(opts, search, t0, now, () => undefined)) break;
      const next = search.step(idx, t, pick);
      if (search.store.added) walkOf[next] = k;
      idx = next;
      depth = Math.max(depth, d + 1);
      if (search.stopped) break;
    }
  }
  return { ...search.result(depth, now() - t0), walks, walkOf: (i) => walkOf[i] ?? first };
}

/** Why a path cannot be replayed: the 1-based step where it goes wrong, and what is wrong there. */
export interface ReplayError {
  step: number;
  reason: string;
}

/**
 * Runs one path (moves thread << 16 | choice, as a trace's `path:` line gives them) from the initial state,
 * making every check a search makes at each state it passes, without searching: the findings are those of
 * this one run. A move the state does not allow is an error at its step.
 */
export function replayMoves(m: CompiledModel, moves: number[]): Exploration | ReplayError {
  const search = new Search(m, { por: false, symmetry: false, exact: true });
  const name = (t: number) => `${t} (${m.threads[t].name})`;
  let idx = 0;
  for (let k = 0; k < moves.length; k++) {
    search.examine(idx);
    const t = moves[k] >>> 16;
    const c = moves[k] & 0xffff;
    if (t >= m.threads.length) return { step: k + 1, reason: `there is no thread ${t}: the threads are numbered 0 to ${m.threads.length - 1}` };
    const n = search.moves[t];
    if (n === 0)
      return {
        step: k + 1,
        reason: `thread ${name(t)} cannot move there: ${search.machine.instrAt(search.s, t).op === 'end' ? 'it has ended' : 'it is blocked'}`,
      };
    if (c >= n) return { step: k + 1, reason: `thread ${name(t)} has ${n === 1 ? 'one move' : `${n} moves`} there (choices 0 to ${n - 1}), not choice ${c}` };
    idx = search.step(idx, t, c);
  }
  const { live, any } = search.examine(idx);
  if (!any) search.deadEnd(idx, live);
  return search.result(moves.length, 0);
}

/** Steps that may sleep: sleeping locks, grace periods, waits (spinlocks, rwlocks and trylocks do not). */
function mightSleep(m: CompiledModel, i: Instr, s: Int32Array, base: number): boolean {
  switch (i.op) {
    case 'acquire': {
      if (i.trylock) return false;
      const kind = m.classes[m.instances[i.lock(s, base)].cls].kind;
      return lockKind(kind).maySleep;
    }
    case 'sync_begin':
    case 'wait':
    case 'flush_begin':
    case 'flush_wait':
      return true;
    case 'completion':
      return i.act === 'wait_for_completion';
    case 'release':
    case 'assign':
    case 'branch':
    case 'jump':
    case 'choose':
    case 'pick':
    case 'assert':
    case 'assert_held':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'sync_wait':
    case 'idle':
    case 'work_return':
    case 'end':
      return false;
    default:
      return assertNever(i);
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
