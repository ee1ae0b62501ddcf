// TOCTOU windows: an assert or assert_held that fails because a value was checked under its declared guard (a
// lock, or RCU), the guard was dropped, another thread wrote the value, and the thread then acted on what it
// had checked. The rule is a monitor of the failing thread (ToctouMonitor), fed the run one step at a time:
// every value read under its guard is a copy that goes through the contract's sequence on its own (read under
// the guard -> guard dropped -> written by another thread; a write while still under the guard counts once
// it is dropped), every local carries the copies whose values flowed into it. The use is a TOCTOU when what
// it depends on (its locals' copies, its own read of the var under its guard, the enclosing branch conditions,
// and for assert_held the expressions that named its locks) includes a stale copy. A use of a value read
// without its guard, or read again after the write, is a plain assertion. A later read under the guard makes
// a new copy and leaves older ones as stale as they are. Marks three steps: check, interfering write, use.
import { CompiledModel, GlobalVar, Instr } from '../model/ir';
import { LoggedStep } from '../explore/machine';
import { Trace } from '../result';

export interface ToctouWindow {
  check: number; // 1-based step numbers in the trace
  write: number;
  use: number;
  variable: string;
  reader: string;
  writer: string;
  guard: string;
}

const RCU = 'rcu_read_lock';

/**
 * A copy is one value read under its guard by the monitored thread, named by its var and where it stands in
 * the contract's sequence: H read and still under the guard, W under the guard but written by another thread
 * since, D guard dropped, S stale (dropped, and written since the read). Two copies of one var in the same
 * state change alike from then on, so a copy is the pair `STATE:var`, and the monitor's states stay finite.
 */
type Copy = string;
type CopyState = 'H' | 'W' | 'D' | 'S';
const copyOf = (st: CopyState, g: string): Copy => `${st}:${g}`;
const stateOf = (c: Copy) => c[0] as CopyState;
const varOf = (c: Copy) => c.slice(2);
const AFTER_WRITE: Record<CopyState, CopyState> = { H: 'W', W: 'W', D: 'S', S: 'S' };
const AFTER_DROP: Record<CopyState, CopyState> = { H: 'D', W: 'S', D: 'D', S: 'S' };

/** Where a copy was read and written, for the trace marks (not part of the monitor's state). */
interface CopyInfo {
  checkedAt: number; // 0-based step of the read under the guard
  writtenAt?: number; // 0-based step of another thread's first write since
  writer?: string;
}

/** Does the instruction write any slot of the shared var (by its access set: also through a by_ref param)? */
function writesGlobal(i: Instr, v: GlobalVar): boolean {
  return i.access.writes.some((w) => w >= v.offset && w < v.offset + v.size);
}

/** The local an instruction writes, and whether it replaces its whole value (an array element does not). */
function writtenLocal(i: Instr): { slot: number; whole: boolean } | undefined {
  return (i.op === 'assign' || i.op === 'pick') && !i.target.global ? { slot: i.target.offset, whole: i.target.index === undefined } : undefined;
}

/** For each branch pc, the pcs it encloses: its then/loop body, and an else part reached by its jump. */
function enclosures(code: Instr[]): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  code.forEach((i, b) => {
    if (i.op !== 'branch') return;
    const before = code[i.elseTarget - 1];
    const end = before && before.op === 'jump' && before.target > i.elseTarget ? before.target : i.elseTarget;
    out.set(b, [b + 1, end]);
  });
  return out;
}

/** What a check (an assert or assert_held) of the monitored thread depended on when it ran: a stale copy, or nothing stale. */
export interface CheckVerdict {
  stale?: { variable: string; checkedAt: number; writtenAt: number; writer: string; guard: string };
}

const NONE: ReadonlySet<Copy> = new Set();

/**
 * The rule as a monitor of one thread, fed a run one step at a time: findToctou replays a counterexample
 * through it, and the search that settles each failing check's kinds (check-kinds.ts) carries one per thread
 * in its states. Every local carries the copies whose values flowed into it (assignments, parameter binding,
 * picks, the condition of an enclosing branch); each held lock the copies of the expression that named it.
 * `key()` is the monitor's state without step numbers, for telling search states apart.
 */
export class ToctouMonitor {
  private taint = new Map<number, ReadonlySet<Copy>>(); // local slot -> copies whose values reach it
  private branchTaint = new Map<number, ReadonlySet<Copy>>(); // branch pc -> copies of its condition when last taken
  private lockTaint: ReadonlySet<Copy> = NONE; // copies of the expressions that named the thread's acquisitions
  private lastRead = new Map<string, Copy>(); // var -> the copy of the thread's latest read of it under its guard
  private info = new Map<Copy, CopyInfo>();
  private readonly reader: string;

  constructor(
    private readonly m: CompiledModel,
    private readonly thread: number,
    private readonly shape = monitorShape(m, thread),
  ) {
    this.reader = m.threads[thread].name;
  }

  clone(): ToctouMonitor {
    const c = new ToctouMonitor(this.m, this.thread, this.shape);
    c.taint = new Map(this.taint);
    c.branchTaint = new Map(this.branchTaint);
    c.lockTaint = this.lockTaint;
    c.lastRead = new Map(this.lastRead);
    c.info = new Map(this.info);
    return c;
  }

  key(): string {
    const sets = (m: Map<number, ReadonlySet<Copy>>) =>
      [...m]
        .filter(([, v]) => v.size > 0)
        .sort((a, b) => a[0] - b[0])
        .map(([k, v]) => `${k}=${[...v].sort().join(',')}`)
        .join(';');
    const last = [...this.lastRead.values()].sort().join(',');
    return `${sets(this.taint)}|${sets(this.branchTaint)}|${[...this.lockTaint].sort().join(',')}|${last}`;
  }

  /**
   * Observes step k (0-based): its log, and the locks the monitored thread holds before and after it. Returns
   * the verdict of each check the thread ran in the step (its first run there), taken before its own reads.
   */
  observe(k: number, log: LoggedStep[], heldBefore: string[], heldAfter: string[]): Map<Instr, CheckVerdict> {
    const { m, shape } = this;
    const verdicts = new Map<Instr, CheckVerdict>();
    for (let j = 0; j < log.length; j++) {
      const e = log[j];
      const i = e.instr;
      if (e.thread !== this.thread) {
        for (const g of this.lastRead.keys())
          if (writesGlobal(i, shape.byName.get(g)!))
            this.evolve(g, AFTER_WRITE, (inf) => (inf.writtenAt === undefined ? { ...inf, writtenAt: k, writer: m.threads[e.thread].name } : inf));
        continue;
      }
      // the step's visible instruction runs with the locks held before it, the local ones after it
      const held = j === 0 ? heldBefore : heldAfter;
      const { copies, direct } = this.dependsOn(i, held);
      if ((i.op === 'assert' || i.op === 'assert_held') && !verdicts.has(i)) {
        // a check that reads the var under its guard itself acts on the thread's latest such read
        const deps = [...copies, ...direct.map((g) => this.lastRead.get(g)).filter((c): c is Copy => c !== undefined)];
        if (i.op === 'assert_held') deps.push(...this.lockTaint);
        const stale = deps.find((c) => stateOf(c) === 'S');
        const inf = stale && this.info.get(stale);
        verdicts.set(
          i,
          stale && inf && inf.writtenAt !== undefined
            ? {
                stale: { variable: varOf(stale), checkedAt: inf.checkedAt, writtenAt: inf.writtenAt, writer: inf.writer!, guard: shape.guardOf(varOf(stale))! },
              }
            : {},
        );
      }
      // what the instruction computes carries the copies it read: a read under the guard is a fresh copy
      const fresh = direct.map((g) => copyOf('H', g));
      for (const c of fresh) this.info.set(c, { checkedAt: k });
      const d: ReadonlySet<Copy> = fresh.length === 0 ? copies : new Set([...copies, ...fresh]);
      const w = writtenLocal(i);
      // an array is tracked as one value: writing one element keeps what the others carry
      if (w !== undefined) this.taint.set(w.slot, w.whole ? d : new Set([...(this.taint.get(w.slot) ?? []), ...d]));
      if (i.op === 'branch') this.branchTaint.set(shape.pcOf.get(i)!, d);
      if (i.op === 'acquire' && d.size > 0) this.lockTaint = new Set([...this.lockTaint, ...d]);
      for (const g of direct) this.lastRead.set(g, copyOf('H', g));
      // a guard dropped by the visible instruction is dropped for the local ones after it
      if (j === 0) this.dropGuards(heldAfter);
    }
    this.dropGuards(heldAfter);
    return verdicts;
  }

  private dropGuards(held: string[]) {
    for (const g of this.lastRead.keys()) if (!holds(held, this.shape.guardOf(g)!)) this.evolve(g, AFTER_DROP);
  }

  /** Moves every copy of var g on by `next` (in locals, branch conditions, locks and the latest read). */
  private evolve(g: string, next: Record<CopyState, CopyState>, note?: (inf: CopyInfo) => CopyInfo) {
    const moved = new Map<Copy, Copy>();
    const move = (c: Copy): Copy => {
      if (varOf(c) !== g) return c;
      const to = copyOf(next[stateOf(c)], g);
      if (to !== c && !moved.has(c)) {
        moved.set(c, to);
        const inf = this.info.get(c);
        if (inf && !this.info.has(to)) this.info.set(to, note ? note(inf) : inf);
      }
      return to;
    };
    const moveSet = (set: ReadonlySet<Copy>): ReadonlySet<Copy> => {
      let changed = false;
      for (const c of set) if (varOf(c) === g && next[stateOf(c)] !== stateOf(c)) changed = true;
      return changed ? new Set([...set].map(move)) : set;
    };
    for (const [k, v] of this.taint) this.taint.set(k, moveSet(v));
    for (const [k, v] of this.branchTaint) this.branchTaint.set(k, moveSet(v));
    this.lockTaint = moveSet(this.lockTaint);
    const last = this.lastRead.get(g);
    if (last !== undefined) this.lastRead.set(g, move(last));
  }

  /** The copies an instruction's expressions depend on (its locals, its enclosing branches), and the guarded vars it reads under their guard. */
  private dependsOn(i: Instr, held: string[]): { copies: ReadonlySet<Copy>; direct: string[] } {
    const d = new Set<Copy>();
    for (const l of i.reads?.locals ?? []) for (const c of this.taint.get(l) ?? []) d.add(c);
    const pc = this.shape.pcOf.get(i);
    if (pc !== undefined)
      for (const [b, [from, to]] of this.shape.enclosing) if (pc >= from && pc < to) for (const c of this.branchTaint.get(b) ?? []) d.add(c);
    const direct: string[] = [];
    for (const g of i.reads?.globals ?? []) {
      const guard = this.shape.guardOf(g);
      if (guard !== undefined && holds(held, guard)) direct.push(g);
    }
    return { copies: d, direct };
  }
}

/** What the monitor of a thread needs to know of the model, computed once per thread. */
function monitorShape(m: CompiledModel, thread: number) {
  const th = m.threads[thread];
  const byName = new Map(m.globals.map((v) => [v.name, v] as const));
  const guardOf = (g: string): string | undefined => {
    const v = byName.get(g);
    return !v ? undefined : v.guard === -2 ? RCU : v.guard >= 0 ? m.instances[v.guard].name : undefined;
  };
  return { byName, guardOf, pcOf: new Map(th.code.map((i, pc) => [i, pc] as const)), enclosing: enclosures(th.code) };
}

const holds = (held: string[], guard: string) => held.some((h) => h === guard || h === `${guard} (read)`);

/** The TOCTOU window of the check `use` that fails in the last step of the trace, if it is one. */
export function findToctou(m: CompiledModel, trace: Trace, logs: LoggedStep[][], thread: number, use: Instr): ToctouWindow | undefined {
  const u = logs.length - 1;
  if (u < 0 || !logs[u].some((e) => e.instr === use)) return undefined;
  const reader = m.threads[thread].name;
  const heldAt = (k: number) => (k < 0 ? [] : (trace.steps[k].held[reader] ?? []));
  const monitor = new ToctouMonitor(m, thread);
  for (let k = 0; k < u; k++) monitor.observe(k, logs[k], heldAt(k - 1), heldAt(k));
  const s = monitor.observe(u, logs[u], heldAt(u - 1), heldAt(u)).get(use)?.stale;
  return s && { check: s.checkedAt + 1, write: s.writtenAt + 1, use: u + 1, variable: s.variable, reader, writer: s.writer, guard: s.guard };
}
