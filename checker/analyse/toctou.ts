// TOCTOU windows: an assert or assert_held that fails because a value was checked under its declared guard (a
// lock, or RCU), the guard was dropped, another thread wrote the value, and the thread then acted on what it
// had checked. Found by replaying the counterexample of the failed check forward, for the failing thread only:
// every local carries the set of guarded shared vars whose values, read under their guard, flowed into it
// (assignments, parameter binding, picks, and the condition of an enclosing branch), and every guarded var has
// a staleness state for the thread (read under guard -> guard dropped -> written by another thread). The use
// is a TOCTOU when what it depends on (its locals' taint, a direct read of the var under its guard, the
// enclosing branch conditions, and for assert_held the expressions that named its locks) includes a stale var.
// A use of a value read without its guard, or read again after the write, is a plain assertion: so the kind
// is a property of the failing thread's own history, not of which trace a search happened to find first.
// Marks three steps: check, interfering write, use.
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

/** Staleness of one guarded var for the reading thread (the contract's check -> drop -> write sequence). */
interface Staleness {
  checkedAt: number; // 0-based step of the latest read under the guard
  dropped: boolean;
  writtenAt?: number; // 0-based step of another thread's write after the check
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

export function findToctou(m: CompiledModel, trace: Trace, logs: LoggedStep[][], thread: number, use: Instr): ToctouWindow | undefined {
  const u = logs.length - 1;
  if (u < 0 || !logs[u].some((e) => e.instr === use)) return undefined;
  const th = m.threads[thread];
  const reader = th.name;
  const pcOf = new Map(th.code.map((i, pc) => [i, pc] as const));
  const enclosing = enclosures(th.code);

  const byName = new Map(m.globals.map((v) => [v.name, v] as const));
  const guardOf = (g: string): string | undefined => {
    const v = byName.get(g);
    return !v ? undefined : v.guard === -2 ? RCU : v.guard >= 0 ? m.instances[v.guard].name : undefined;
  };
  const heldAt = (k: number) => (k < 0 ? [] : (trace.steps[k].held[reader] ?? []));
  const holds = (held: string[], guard: string) => held.some((h) => h === guard || h === `${guard} (read)`);

  const taint = new Map<number, Set<string>>(); // local slot -> guarded vars whose checked values reach it
  const branchTaint = new Map<number, Set<string>>(); // branch pc -> taint of its condition when last taken
  const lockTaint: Set<string>[] = []; // taints of the expressions that named the thread's acquisitions
  const stale = new Map<string, Staleness>();

  const dependsOn = (i: Instr, held: string[]): Set<string> => {
    const d = new Set<string>();
    for (const l of i.reads?.locals ?? []) for (const g of taint.get(l) ?? []) d.add(g);
    for (const g of i.reads?.globals ?? []) {
      const guard = guardOf(g);
      if (guard !== undefined && holds(held, guard)) d.add(g);
    }
    const pc = pcOf.get(i);
    if (pc !== undefined) for (const [b, [from, to]] of enclosing) if (pc >= from && pc < to) for (const g of branchTaint.get(b) ?? []) d.add(g);
    return d;
  };

  for (let k = 0; k <= u; k++) {
    const log = logs[k];
    for (let j = 0; j < log.length; j++) {
      const e = log[j];
      const i = e.instr;
      if (e.thread !== thread) {
        for (const [g, s] of stale)
          if (s.writtenAt === undefined && writesGlobal(i, byName.get(g)!)) Object.assign(s, { writtenAt: k, writer: m.threads[e.thread].name });
        continue;
      }
      // the step's visible instruction runs with the locks held before it, the local ones after it
      const held = j === 0 ? heldAt(k - 1) : heldAt(k);
      if (k === u && i === use) {
        const d = dependsOn(i, held);
        if (i.op === 'assert_held') for (const t of lockTaint) for (const g of t) d.add(g);
        for (const g of d) {
          const s = stale.get(g);
          if (s && s.dropped && s.writtenAt !== undefined)
            return { check: s.checkedAt + 1, write: s.writtenAt + 1, use: u + 1, variable: g, reader, writer: s.writer!, guard: guardOf(g)! };
        }
        return undefined;
      }
      const d = dependsOn(i, held);
      const w = writtenLocal(i);
      // an array is tracked as one value: writing one element keeps what the others carry
      if (w !== undefined) taint.set(w.slot, w.whole ? d : new Set([...(taint.get(w.slot) ?? []), ...d]));
      if (i.op === 'branch') branchTaint.set(pcOf.get(i)!, d);
      if (i.op === 'acquire') lockTaint.push(d);
      // a read under the guard checks the var afresh
      for (const g of i.reads?.globals ?? []) {
        const guard = guardOf(g);
        if (guard !== undefined && holds(held, guard)) stale.set(g, { checkedAt: k, dropped: false });
      }
    }
    // the guard dropped by this step's end
    for (const [g, s] of stale) if (!s.dropped && !holds(heldAt(k), guardOf(g)!)) s.dropped = true;
  }
  return undefined;
}
