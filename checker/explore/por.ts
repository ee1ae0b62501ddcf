// Partial-order reduction by singleton persistent sets. In a state, if some thread's next step is independent
// of everything any other thread can still do (from its current position on, by a static over-approximation
// of each thread's future), only that thread's moves are explored. The skipped interleavings only reorder
// independent steps, so the same deadlocks, terminal states, assertion failures and per-thread lock attempts
// (lockdep edges) remain reachable; the cycle proviso (fall back to full expansion when a successor was
// already stored) keeps loops of work queue workers from postponing a thread forever.
//
// Footprints come only from the access sets the compiler attached to each instruction (state slots read and
// written, lock classes, RCU), never from names: a shared var reached through a parameter, a loop bound or an
// index is in them. rwsem readers look at other threads' pending writes, which no access set says, so specs
// with rwsem classes are explored without the reduction.
import { Access, CompiledModel, Instr, isSchedulingPoint, successors, ThreadProg } from '../model/ir';
import { lockKind } from '../model/lock-kinds';

/** What an instruction (or everything from a position on) may touch. Lock classes; RCU is its own entry. */
export interface Footprint {
  locks: Set<number>;
  reads: Set<number>;
  writes: Set<number>;
}

const RCU = -1;

function footprintOf(a: Access): Footprint {
  const locks = new Set(a.locks);
  if (a.rcu) locks.add(RCU);
  return { locks, reads: new Set(a.reads), writes: new Set(a.writes) };
}

/**
 * What the step from pc touches: its visible instruction and every local one it runs after it, up to the next
 * scheduling point (a local instruction touches nothing shared, except a run's return, which is part of the
 * run's last step whatever it writes).
 */
function stepFootprint(code: readonly Instr[], own: Footprint[], pc: number): Footprint {
  const f: Footprint = { locks: new Set(own[pc].locks), reads: new Set(own[pc].reads), writes: new Set(own[pc].writes) };
  const seen = new Set<number>([pc]);
  const todo = successors(code[pc], pc);
  while (todo.length > 0) {
    const q = todo.pop()!;
    if (seen.has(q) || code[q].op === 'end' || isSchedulingPoint(code[q])) continue;
    seen.add(q);
    for (const x of own[q].locks) f.locks.add(x);
    for (const x of own[q].reads) f.reads.add(x);
    for (const x of own[q].writes) f.writes.add(x);
    todo.push(...successors(code[q], q));
  }
  return f;
}

export class PartialOrder {
  /** per thread: footprint of the instruction at each pc, and of everything reachable from it */
  private here: Footprint[][];
  private future: Footprint[][];
  readonly enabled: boolean;

  constructor(private m: CompiledModel) {
    this.enabled = !m.classes.some((c) => lockKind(c.kind).readersQueueBehindWriters);
    const cache = new Map<Instr[], { here: Footprint[]; future: Footprint[] }>();
    const analyse = (th: ThreadProg) => {
      const hit = cache.get(th.code);
      if (hit) return hit;
      const own = th.code.map((i) => footprintOf(i.access));
      const future = own.map((f) => ({ locks: new Set(f.locks), reads: new Set(f.reads), writes: new Set(f.writes) }));
      // (only a run's return is a local instruction with an access set: without one, a step touches what its
      // visible instruction does)
      const tails = th.code.some((i, pc) => !isSchedulingPoint(i) && i.op !== 'end' && (own[pc].locks.size || own[pc].reads.size || own[pc].writes.size));
      const here = tails ? th.code.map((_, pc) => stepFootprint(th.code, own, pc)) : own;
      for (let changed = true; changed;) {
        changed = false;
        for (let pc = th.code.length - 1; pc >= 0; pc--)
          for (const s of successors(th.code[pc], pc)) {
            const a = future[pc];
            const b = future[s];
            for (const [x, y] of [
              [a.locks, b.locks],
              [a.reads, b.reads],
              [a.writes, b.writes],
            ] as [Set<number>, Set<number>][])
              for (const v of y)
                if (!x.has(v)) {
                  x.add(v);
                  changed = true;
                }
          }
      }
      const r = { here, future };
      cache.set(th.code, r);
      return r;
    };
    const per = m.threads.map(analyse);
    this.here = per.map((p) => p.here);
    this.future = per.map((p) => p.future);
  }

  /** Is thread t's step at pc independent of every step any other thread can still take (at pcs)? */
  independent(t: number, pcs: (u: number) => number): boolean {
    const a = this.here[t][pcs(t)];
    for (let u = 0; u < this.m.threads.length; u++) {
      if (u === t) continue;
      const f = this.future[u][pcs(u)];
      for (const l of a.locks) if (f.locks.has(l)) return false;
      for (const w of a.writes) if (f.reads.has(w) || f.writes.has(w)) return false;
      for (const r of a.reads) if (f.writes.has(r)) return false;
    }
    return true;
  }
}
