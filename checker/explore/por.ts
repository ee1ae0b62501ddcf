// Partial-order reduction by singleton persistent sets. In a state, if some thread's next step is independent
// of everything any other thread can still do (from its current position on, by a static over-approximation
// of each thread's future: lock classes it may touch, shared vars it may read or write), only that thread's
// moves are explored. The skipped interleavings only reorder independent steps, so the same deadlocks,
// terminal states, assertion failures and per-thread lock attempts (lockdep edges) remain reachable; the
// cycle proviso (fall back to full expansion when a successor was already stored) keeps loops of work queue
// workers from postponing a thread forever. rwsem readers look at other threads' pending writes, so specs
// with rwsem classes are explored without it.
import { CompiledModel, Instr, ThreadProg } from '../model/ir';

/** What an instruction (or everything from a position on) may touch. Lock classes; -1 stands for RCU. */
export interface Footprint {
  locks: Set<number>;
  reads: Set<string>;
  writes: Set<string>;
}

const RCU = -1;

function footprintOf(m: CompiledModel, i: Instr, pendingName: Map<number, string>): Footprint {
  const f: Footprint = { locks: new Set(), reads: new Set(i.reads?.globals ?? []), writes: new Set() };
  switch (i.op) {
    case 'acquire':
    case 'release':
      f.locks.add(i.cls);
      break;
    case 'sync_begin':
      f.locks.add(i.srcu ? i.cls : RCU);
      break;
    case 'sync_wait':
      // the class of the srcu_struct is on its sync_begin, just before; be safe: every srcu class and RCU
      f.locks.add(RCU);
      m.classes.forEach((c) => c.kind === 'srcu' && f.locks.add(c.id));
      break;
    case 'rcu_lock':
    case 'rcu_unlock':
      f.locks.add(RCU);
      break;
    case 'assign':
    case 'pick':
      if (i.target.global) f.writes.add(i.target.name);
      break;
    case 'idle': {
      const name = pendingName.get(i.pending)!;
      f.reads.add(name);
      f.writes.add(name);
      break;
    }
    default:
      break;
  }
  return f;
}

function successors(code: Instr[], pc: number): number[] {
  const i = code[pc];
  switch (i.op) {
    case 'end':
      return [];
    case 'jump':
      return [i.target];
    case 'branch':
      return [pc + 1, i.elseTarget];
    case 'choose':
      return i.targets;
    default:
      return [pc + 1];
  }
}

export class PartialOrder {
  /** per thread: footprint of the instruction at each pc, and of everything reachable from it */
  private here: Footprint[][];
  private future: Footprint[][];
  readonly enabled: boolean;

  constructor(private m: CompiledModel) {
    this.enabled = !m.classes.some((c) => c.kind === 'rwsem');
    const pendingName = new Map<number, string>();
    for (const g of m.globals) for (let k = 0; k < g.size; k++) pendingName.set(g.offset + k, g.name);
    const cache = new Map<Instr[], { here: Footprint[]; future: Footprint[] }>();
    const analyse = (th: ThreadProg) => {
      const hit = cache.get(th.code);
      if (hit) return hit;
      const here = th.code.map((i) => footprintOf(m, i, pendingName));
      const future = here.map((f) => ({ locks: new Set(f.locks), reads: new Set(f.reads), writes: new Set(f.writes) }));
      for (let changed = true; changed; ) {
        changed = false;
        for (let pc = th.code.length - 1; pc >= 0; pc--)
          for (const s of successors(th.code, pc)) {
            const a = future[pc];
            const b = future[s];
            for (const [x, y] of [[a.locks, b.locks], [a.reads, b.reads], [a.writes, b.writes]] as [Set<unknown>, Set<unknown>][])
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
