// The transition semantics: which threads can move in a state, and what one move does.
// A move runs one visible instruction (a lock operation, an access to shared state, or a choice) and then
// every following thread-local instruction up to the next visible one: local steps commute with every other
// thread's steps, so merging them changes no reachable lock state, edge or finding, and saves states.
import { assertNever } from '../assert-never';
import {
  CompiledModel,
  H_READ,
  H_RECURSIVE_READ,
  H_TRY,
  heldEntry,
  heldInst,
  Instr,
  LValue,
  T_HELD,
  T_NHELD,
  T_PC,
  T_RCU,
  isSchedulingPoint,
  T_SEC,
  WAIT_NONE,
  WAIT_QUEUED,
  WAIT_RUNNING,
  waitEntry,
  waitItem,
  waitPhase,
  WorkSlots,
} from '../model/ir';
import { ModelRuntimeError } from '../model/runtime-error';
import { MAX_LOCAL_STEPS } from '../model/codegen';
import { lockKind } from '../model/lock-kinds';
import { instanceName } from '../model/instances';

export type EventKind = 'assertion' | 'unlock-not-held' | 'held-at-exit' | 'sleep-in-rcu';

export interface MachineEvent {
  kind: EventKind;
  thread: number;
  instr: Instr;
  message: string;
  /** lock instances concerned (held-at-exit: the leaked locks) */
  locks?: number[];
}

/** One executed instruction, for traces. */
export interface LoggedStep {
  thread: number;
  instr: Instr;
  /** e.g. the lock instance an acquire resolved to, the branch taken, a trylock result */
  detail?: string;
  /** the state slot a write went to (an assign, a pick, a trylock's result), and the value it wrote */
  wrote?: { slot: number; value: number };
}

export type WaitReason =
  | { kind: 'lock'; inst: number; read: boolean; holders: number[]; queuedWriters: number[] }
  | { kind: 'readers'; srcu: number; readers: number[] }
  | { kind: 'condition'; text: string }
  /** a flush_work or cancel_work_sync waiting for a run of `item` (its worker: `worker`) to return */
  | { kind: 'work'; entry: number; item: number; run: 'queued' | 'running'; worker: number }
  | { kind: 'completion'; name: string }
  | { kind: 'empty-pick' };

export class Machine {
  readonly m: CompiledModel;
  private readonly ends: number[];
  /** per thread and instruction: the local slots to zero when a step ends there (dead there) */
  private readonly dead: (readonly number[])[][];
  /** the state, thread and event sink of the generated local run in progress, for its two callbacks */
  private runS: Int32Array = new Int32Array(0);
  private runT = 0;
  private runEvents: (e: MachineEvent) => void = () => undefined;
  private readonly runFail = (k: number) => {
    const i = this.m.threads[this.runT].code[k];
    if (i.op === 'assert') this.runEvents({ kind: 'assertion', thread: this.runT, instr: i, message: i.message });
  };
  private readonly runOther = (k: number) => {
    const th = this.m.threads[this.runT];
    this.exec(this.runS, this.runT, th.code[k], 0, this.runEvents);
    return this.runS[th.base + T_PC];
  };

  constructor(m: CompiledModel) {
    this.m = m;
    this.ends = m.threads.map((t) => t.code.length - 1);
    this.dead = m.threads.map((t) => t.deadLocals ?? t.code.map(() => []));
  }

  /** The initial state: every thread's leading local statements run (logged per thread into `logs`, if given). */
  initial(events: (e: MachineEvent) => void, logs?: LoggedStep[][]): Int32Array {
    const m = this.m;
    const s = new Int32Array(m.width);
    for (const g of m.globals) s.set(g.init, g.offset);
    m.threads.forEach((t, i) => {
      s.set(t.initLocals, t.base + T_HELD + m.maxHeld);
      const log = logs ? (logs[i] = []) : undefined;
      try {
        this.runLocal(s, i, events, log);
      } catch (e) {
        this.runtimeError(s, i, e, events, log);
      }
    });
    return s;
  }

  isDone(s: Int32Array, t: number): boolean {
    return s[this.m.threads[t].base + T_PC] === this.ends[t];
  }

  /** A worker waiting for work that nobody queued: not live, so not part of a deadlock. */
  isIdle(s: Int32Array, t: number): boolean {
    const th = this.m.threads[t];
    if (!th.worker) return false;
    const i = th.code[s[th.base + T_PC]];
    return i.op === 'idle' && s[i.pending] === 0;
  }

  /** Is thread u inside a read-side section: of RCU (srcu < 0) or of the srcu_struct instance srcu? */
  private inSection(s: Int32Array, u: number, srcu: number): boolean {
    const b = this.m.threads[u].base;
    if (srcu < 0) return s[b + T_RCU] > 0;
    const n = s[b + T_NHELD];
    for (let k = 0; k < n; k++) if (heldInst(s[b + T_HELD + k]) === srcu) return true;
    return false;
  }

  /** Readers that a grace period started by t still waits for (they were inside when it began). */
  pendingReaders(s: Int32Array, t: number, srcu: number): number[] {
    const th = this.m.threads[t];
    const out: number[] = [];
    for (let u = 0; u < this.m.threads.length; u++) {
      const snap = s[th.base + th.snapOffset + u];
      if (snap !== 0 && this.inSection(s, u, srcu) && s[this.m.threads[u].base + T_SEC] + 1 === snap) out.push(u);
    }
    return out;
  }

  /** A read-side section starts a new "generation" only when the thread was in none before. */
  private outsideAllSections(s: Int32Array, t: number): boolean {
    const b = this.m.threads[t].base;
    if (s[b + T_RCU] > 0) return false;
    const n = s[b + T_NHELD];
    for (let k = 0; k < n; k++) if (lockKind(this.m.classes[this.m.instances[heldInst(s[b + T_HELD + k])].cls].kind).srcu) return false;
    return true;
  }

  inRcu(s: Int32Array, t: number): boolean {
    return s[this.m.threads[t].base + T_RCU] > 0;
  }

  instrAt(s: Int32Array, t: number): Instr {
    const th = this.m.threads[t];
    return th.code[s[th.base + T_PC]];
  }

  /**
   * How many moves thread t has in state s: 0 when it is done or blocked, >1 for a choice.
   * Throws ModelRuntimeError when evaluating the instruction fails.
   */
  moves(s: Int32Array, t: number): number {
    const th = this.m.threads[t];
    const i = th.code[s[th.base + T_PC]];
    switch (i.op) {
      case 'end':
        return 0;
      case 'acquire':
        return i.trylock || this.available(s, t, i.lock(s, th.base), i.read) ? 1 : 0;
      case 'choose':
        return i.targets.length;
      case 'pick':
        return popcount(i.set(s, th.base));
      case 'idle':
        return s[i.pending] !== 0 ? 1 : 0;
      case 'wait':
        return i.cond(s, th.base) ? 1 : 0;
      case 'sync_wait':
        return this.pendingReaders(s, t, i.srcu ? i.srcu(s, th.base) : -1).length === 0 ? 1 : 0;
      case 'flush_wait':
        return waitPhase(s[i.work.waits + t]) === WAIT_NONE ? 1 : 0;
      case 'completion':
        return i.act !== 'wait_for_completion' || s[i.slot + this.itemOf(s, th.base, i.item, i.size, i.name)] !== 0 ? 1 : 0;
      case 'flush_begin':
      case 'release':
      case 'assign':
      case 'branch':
      case 'jump':
      case 'assert':
      case 'assert_held':
      case 'rcu_lock':
      case 'rcu_unlock':
      case 'sync_begin':
      case 'work_return':
        return 1;
      default:
        return assertNever(i);
    }
  }

  /** Can thread t take instance inst now (read or write side)? */
  available(s: Int32Array, t: number, inst: number, read: boolean): boolean {
    const lb = this.m.locksBase + 2 * inst;
    if (s[lb] !== 0) return false; // a writer holds it (possibly t itself: AA)
    if (!read) return s[lb + 1] === 0;
    const kind = this.m.classes[this.m.instances[inst].cls].kind;
    if (!lockKind(kind).readersQueueBehindWriters) return true; // recursive readers (rwlock, SRCU) never wait
    // rwsem: a reader queues behind a writer that is already waiting for the readers to leave
    return s[lb + 1] === 0 || this.queuedWriters(s, t, inst).length === 0;
  }

  queuedWriters(s: Int32Array, t: number, inst: number): number[] {
    const out: number[] = [];
    this.m.threads.forEach((th, u) => {
      if (u === t) return;
      const i = th.code[s[th.base + T_PC]];
      if (i.op !== 'acquire' || i.read || i.trylock) return;
      try {
        if (i.lock(s, th.base) === inst) out.push(u);
      } catch {
        /* its own move reports the error */
      }
    });
    return out;
  }

  /** What a blocked thread waits for, and who holds it. */
  waitReason(s: Int32Array, t: number): WaitReason {
    const th = this.m.threads[t];
    const i = th.code[s[th.base + T_PC]];
    if (i.op === 'sync_wait') {
      const srcu = i.srcu ? i.srcu(s, th.base) : -1;
      return { kind: 'readers', srcu, readers: this.pendingReaders(s, t, srcu) };
    }
    if (i.op === 'wait') return { kind: 'condition', text: i.text };
    if (i.op === 'flush_wait') {
      const v = s[i.work.waits + t];
      const item = waitItem(v);
      const worker = this.m.works[i.work.entry].workers[item];
      return { kind: 'work', entry: i.work.entry, item, run: waitPhase(v) === WAIT_QUEUED ? 'queued' : 'running', worker };
    }
    if (i.op === 'completion') {
      const k = this.itemOf(s, th.base, i.item, i.size, i.name);
      return { kind: 'completion', name: i.items[k] };
    }
    if (i.op !== 'acquire') return { kind: 'empty-pick' };
    const inst = i.lock(s, th.base);
    const holders: number[] = [];
    const writer = s[this.m.locksBase + 2 * inst] - 1;
    if (writer >= 0) holders.push(writer);
    if (!i.read) for (const u of this.readersOf(s, inst)) if (!holders.includes(u)) holders.push(u);
    const queued = i.read && writer < 0 ? this.queuedWriters(s, t, inst) : [];
    return { kind: 'lock', inst, read: i.read, holders, queuedWriters: queued };
  }

  readersOf(s: Int32Array, inst: number): number[] {
    const out: number[] = [];
    this.m.threads.forEach((th, u) => {
      const n = s[th.base + T_NHELD];
      for (let k = 0; k < n; k++) {
        const e = s[th.base + T_HELD + k];
        if (heldInst(e) === inst && e & H_READ) {
          out.push(u);
          break;
        }
      }
    });
    return out;
  }

  heldBy(s: Int32Array, t: number): number[] {
    const th = this.m.threads[t];
    const n = s[th.base + T_NHELD];
    const out: number[] = [];
    for (let k = 0; k < n; k++) out.push(s[th.base + T_HELD + k]);
    return out;
  }

  /**
   * Performs move `choice` of thread t on s (in place), then the thread's local steps.
   * A runtime error in the model ends the thread with an assertion event.
   */
  step(s: Int32Array, t: number, choice: number, events: (e: MachineEvent) => void, log?: LoggedStep[]): void {
    const th = this.m.threads[t];
    const i = th.code[s[th.base + T_PC]];
    // no closure here: this runs once per transition
    try {
      this.exec(s, t, i, choice, events, log);
      this.runLocal(s, t, events, log);
    } catch (e) {
      this.runtimeError(s, t, e, events, log);
    }
  }

  /** A runtime error in the model (bad index, division by zero, ...) ends the thread with an assertion event. */
  private runtimeError(s: Int32Array, t: number, e: unknown, events: (e: MachineEvent) => void, log: LoggedStep[] | undefined) {
    if (!(e instanceof ModelRuntimeError)) throw e;
    const th = this.m.threads[t];
    const at = th.code[s[th.base + T_PC]];
    events({ kind: 'assertion', thread: t, instr: at, message: `runtime error: ${e.message}` });
    log?.push({ thread: t, instr: at, detail: `runtime error: ${e.message}; the thread stops` });
    s[th.base + T_PC] = this.ends[t];
    this.forgetDead(s, t);
  }

  /** Zeroes the locals that are dead where the thread now is: states that differ only there are one state. */
  private forgetDead(s: Int32Array, t: number) {
    const b = this.m.threads[t].base;
    const z = this.dead[t][s[b + T_PC]];
    for (let k = 0; k < z.length; k++) s[b + z[k]] = 0;
  }

  private runLocal(s: Int32Array, t: number, events: (e: MachineEvent) => void, log?: LoggedStep[]) {
    const th = this.m.threads[t];
    // generated code runs the local instructions up to the next scheduling point (traces, which log every
    // instruction, take the interpreter's path below)
    if (th.runLocal && !log) {
      this.runS = s;
      this.runT = t;
      this.runEvents = events;
      th.runLocal(s, th.base, s[th.base + T_PC], this.runFail, this.runOther);
    }
    for (let n = 0; ; n++) {
      const i = th.code[s[th.base + T_PC]];
      if (i.op === 'end') {
        this.checkExit(s, t, i, 'ends', events);
        this.forgetDead(s, t);
        return;
      }
      // a step that touches nothing another thread sees runs with the step before it
      if (isSchedulingPoint(i)) {
        this.forgetDead(s, t);
        return;
      }
      if (n > MAX_LOCAL_STEPS) throw new ModelRuntimeError(`more than ${MAX_LOCAL_STEPS} local steps without a visible one (an unbounded loop?)`);
      this.exec(s, t, i, 0, events, log);
    }
  }

  /** A thread that ends, or a work function that returns, must hold no lock and be outside RCU. */
  private checkExit(s: Int32Array, t: number, i: Instr, verb: string, events: (e: MachineEvent) => void) {
    const th = this.m.threads[t];
    const held = this.heldBy(s, t);
    if (held.length > 0) {
      const locks = held.map(heldInst);
      events({
        kind: 'held-at-exit',
        thread: t,
        instr: i,
        message: `${th.name} ${verb} holding ${locks.map((l) => this.m.instances[l].name).join(', ')}`,
        locks,
      });
    }
    if (s[th.base + T_RCU] > 0) events({ kind: 'held-at-exit', thread: t, instr: i, message: `${th.name} ${verb} inside an RCU read-side section` });
  }

  private exec(s: Int32Array, t: number, i: Instr, choice: number, events: (e: MachineEvent) => void, log?: LoggedStep[]) {
    const m = this.m;
    const th = m.threads[t];
    const b = th.base;
    const pc = s[b + T_PC];
    let next = pc + 1;
    let detail: string | undefined;
    /** the slot this instruction wrote, for the log (-1: none) */
    let wrote = -1;
    switch (i.op) {
      case 'acquire': {
        const inst = i.lock(s, b);
        const lb = m.locksBase + 2 * inst;
        if (i.trylock && !this.available(s, t, inst, false)) {
          if (i.into >= 0) s[(wrote = b + i.into)] = 0;
          detail = `${m.instances[inst].name}: busy, trylock fails`;
          break;
        }
        const n = s[b + T_NHELD];
        if (n >= m.maxHeld) throw new ModelRuntimeError(`${th.name} holds more than ${m.maxHeld} locks (raise "options": {"max_held": N})`);
        const kind = m.classes[i.cls].kind;
        const rules = lockKind(kind);
        const recursive = i.read && rules.recursiveRead;
        if (rules.srcu && this.outsideAllSections(s, t)) s[b + T_SEC]++;
        const flags = (i.read ? H_READ : 0) | (recursive ? H_RECURSIVE_READ : 0) | (i.trylock ? H_TRY : 0);
        s[b + T_HELD + n] = heldEntry(inst, i.subclass, flags);
        s[b + T_NHELD] = n + 1;
        if (i.read) s[lb + 1]++;
        else s[lb] = t + 1;
        if (i.into >= 0) s[(wrote = b + i.into)] = 1;
        detail = m.instances[inst].name + (i.trylock ? ': trylock succeeds' : '');
        break;
      }
      case 'release': {
        const inst = i.lock(s, b);
        const n = s[b + T_NHELD];
        let k = n - 1;
        while (k >= 0 && heldInst(s[b + T_HELD + k]) !== inst) k--;
        if (i.onlyIf >= 0 && s[b + i.onlyIf] === 0) {
          detail = `${m.instances[inst].name}: its trylock failed, skipped`;
          break;
        }
        if (k < 0) {
          events({
            kind: 'unlock-not-held',
            thread: t,
            instr: i,
            message: `${th.name} releases ${m.instances[inst].name}, which it does not hold`,
            locks: [inst],
          });
          detail = `${m.instances[inst].name}: not held`;
          break;
        }
        const e = s[b + T_HELD + k];
        for (let j = k; j < n - 1; j++) s[b + T_HELD + j] = s[b + T_HELD + j + 1];
        s[b + T_HELD + n - 1] = 0;
        s[b + T_NHELD] = n - 1;
        const lb = m.locksBase + 2 * inst;
        if (e & H_READ) s[lb + 1]--;
        else s[lb] = 0;
        detail = m.instances[inst].name;
        break;
      }
      case 'assign': {
        const v = i.value(s, b);
        wrote = this.store(s, t, i.target, v, i, events);
        break;
      }
      case 'branch':
        if (!i.cond(s, b)) next = i.elseTarget;
        detail = next === i.elseTarget ? 'false' : 'true';
        break;
      case 'jump':
        next = i.target;
        break;
      case 'choose':
        next = i.targets[choice];
        detail = `branch ${choice + 1} of ${i.targets.length}`;
        break;
      case 'pick': {
        let set = i.set(s, b);
        for (let k = 0; k < choice; k++) set &= set - 1;
        const v = 31 - Math.clz32(set & -set);
        wrote = this.store(s, t, i.target, v, i, events);
        detail = instanceName(m, i.target.kind?.of === 'instance' ? i.target.kind.cls : -1, v) ?? String(v);
        break;
      }
      case 'assert':
        if (!i.cond(s, b)) {
          events({ kind: 'assertion', thread: t, instr: i, message: i.message });
          detail = 'FAILS';
        }
        break;
      case 'assert_held': {
        const inst = i.lock(s, b);
        if (!this.heldBy(s, t).some((e) => heldInst(e) === inst)) {
          events({ kind: 'assertion', thread: t, instr: i, message: `${th.name} does not hold ${m.instances[inst].name}`, locks: [inst] });
          detail = 'FAILS';
        }
        break;
      }
      case 'rcu_lock':
        if (this.outsideAllSections(s, t)) s[b + T_SEC]++;
        s[b + T_RCU]++;
        break;
      case 'rcu_unlock':
        if (s[b + T_RCU] === 0) {
          events({ kind: 'unlock-not-held', thread: t, instr: i, message: `${th.name} calls rcu_read_unlock() outside an RCU read-side section` });
          detail = 'not in a read-side section';
        } else s[b + T_RCU]--;
        break;
      case 'sync_begin': {
        // The grace period waits for the readers inside a section now, and for no later one; the caller's
        // own section too, so a grace period started inside it never ends (as on PREEMPT_RCU kernels).
        const srcu = i.srcu ? i.srcu(s, b) : -1;
        const waits: string[] = [];
        for (let u = 0; u < m.threads.length; u++) {
          const inside = this.inSection(s, u, srcu);
          s[b + th.snapOffset + u] = inside ? s[m.threads[u].base + T_SEC] + 1 : 0;
          if (inside) waits.push(m.threads[u].name);
        }
        detail = waits.length ? `waits for ${waits.join(', ')}` : 'no reader to wait for';
        break;
      }
      // moves() found these ready; evaluate again so that a condition that fails at run time is reported
      // (by runtimeError) rather than stepped over
      case 'sync_wait':
        i.srcu?.(s, b);
        break;
      case 'wait':
        i.cond(s, b);
        break;
      case 'idle':
        s[i.pending] = 0;
        if (i.run) {
          s[i.run.running] = 1;
          this.moveFlushers(s, i.run.waits, i.run.item, WAIT_QUEUED, WAIT_RUNNING);
        }
        detail = 'queued: runs';
        break;
      case 'work_return':
        this.checkExit(s, t, i, 'returns from its work function', events);
        if (i.run) {
          s[i.run.running] = 0;
          this.moveFlushers(s, i.run.waits, i.run.item, WAIT_RUNNING, WAIT_NONE);
        }
        break;
      case 'flush_begin': {
        // README "Flushing and cancelling work", step 1 (the lockdep check is made at the attempt, in explore.ts)
        const w = i.work;
        const k = this.itemOf(s, b, i.item, w.items, w.name);
        const { queued, running } = this.itemState(s, w, k);
        const name = m.works[w.entry].items[k];
        let phase: number;
        if (i.cancel) {
          if (queued) {
            s[w.pending + k] = 0;
            // that run never happens: a flusher that noted it has nothing left to wait for (its barrier runs)
            this.moveFlushers(s, w.waits, k, WAIT_QUEUED, WAIT_NONE);
          }
          phase = running ? WAIT_RUNNING : WAIT_NONE;
          s[w.disabled + k]++;
          detail = `${name}: ${queued ? 'queued, taken off its queue' : 'not queued'}; ${running ? 'waits for the running run' : 'no run to wait for'}; disabled`;
        } else {
          phase = queued ? WAIT_QUEUED : running ? WAIT_RUNNING : WAIT_NONE;
          detail = `${name}: ${queued ? 'waits for the queued run' : running ? 'waits for the running run' : 'idle, no run to wait for'}`;
        }
        s[w.waits + t] = waitEntry(k, phase);
        if (i.into >= 0) s[(wrote = b + i.into)] = (i.cancel ? queued : queued || running) ? 1 : 0;
        break;
      }
      case 'flush_wait': {
        const w = i.work;
        const k = waitItem(s[w.waits + t]);
        s[w.waits + t] = 0;
        if (i.cancel) s[w.disabled + k]--;
        detail = `${m.works[w.entry].items[k]}${i.cancel ? ': enabled again' : ''}`;
        break;
      }
      case 'completion': {
        const k = this.itemOf(s, b, i.item, i.size, i.name);
        const at = i.slot + k;
        switch (i.act) {
          case 'wait_for_completion':
            if (s[at] > 0) s[at]--;
            break;
          case 'complete':
            if (s[at] >= 0) s[at]++;
            break;
          case 'complete_all':
            s[at] = COMPLETION_ALL;
            break;
          case 'reinit_completion':
            s[at] = 0;
            break;
          default:
            assertNever(i.act);
        }
        detail = `${i.items[k]}: ${s[at] === COMPLETION_ALL ? 'all' : s[at]}`;
        break;
      }
      case 'end':
        return;
    }
    log?.push(wrote >= 0 ? { thread: t, instr: i, detail, wrote: { slot: wrote, value: s[wrote] } } : { thread: t, instr: i, detail });
    s[b + T_PC] = next;
  }

  /** The rank of a work item or completion an instruction names (0: the only one), range-checked. */
  private itemOf(s: Int32Array, b: number, item: ((s: Int32Array, b: number) => number) | undefined, size: number, name: string): number {
    if (!item) return 0;
    const k = item(s, b);
    if (k < 0 || k >= size) throw new ModelRuntimeError(`index ${k} out of range for ${name}[${size}]`);
    return k;
  }

  /** Is item k of a flushed works entry queued, running? */
  itemState(s: Int32Array, w: WorkSlots, k: number): { queued: boolean; running: boolean } {
    return { queued: s[w.pending + k] !== 0, running: s[w.running + k] !== 0 };
  }

  /** A run's start or return moves the flushers of its item from one phase to the next. */
  private moveFlushers(s: Int32Array, waits: number, item: number, from: number, to: number) {
    const a = waitEntry(item, from);
    for (let u = 0; u < this.m.threads.length; u++) if (s[waits + u] === a) s[waits + u] = waitEntry(item, to);
  }

  /** Writes v where lv says; returns the absolute slot written. */
  private store(s: Int32Array, t: number, lv: LValue, v: number, i: Instr, events: (e: MachineEvent) => void): number {
    const b = this.m.threads[t].base;
    let off = lv.offset;
    if (lv.index) {
      const k = lv.index(s, b);
      if (k < 0 || k >= lv.size) throw new ModelRuntimeError(`index ${k} out of range for ${lv.name}[${lv.size}]`);
      off += k;
    }
    if (lv.global) {
      if (lv.guard >= 0 && !this.heldBy(s, t).some((e) => heldInst(e) === lv.guard))
        events({
          kind: 'assertion',
          thread: t,
          instr: i,
          message: `${this.m.threads[t].name} writes ${lv.name} without holding its guard ${this.m.instances[lv.guard].name}`,
          locks: [lv.guard],
        });
      s[off] = v;
      return off;
    }
    s[b + off] = v;
    return b + off;
  }
}

/** A completion's count after complete_all(): UINT_MAX in the kernel, which wait_for_completion() leaves as it is. */
export const COMPLETION_ALL = -1;

function popcount(x: number): number {
  let n = 0;
  while (x) {
    x &= x - 1;
    n++;
  }
  return n;
}
