// A lockdep-style validator fed by the explorer: at every acquisition attempt it sees the thread's held locks,
// as lockdep's validate_chain() does. It keeps the class-level dependency graph (held -> acquired, each edge
// remembering the first attempt that created it) and judges same-class nesting (check_deadlock()): allowed
// for recursive read after read, under the nest lock, with distinct subclasses, or in the class's cmp order.
// Nodes are lockdep classes: a lock class together with its subclass (mutex_lock_nested makes a new class).
// Besides the lock classes there is one pseudo class per works entry, its completion map
// "(work_completion)(NAME)" (one pseudo instance per item): a run holds it, a flush or a cancel that finds a
// run acquires it and releases it at once (kernel/workqueue.c: process_one_work(), touch_work_lockdep_map()).
// It is no lock of the lock table: held lists carry it only for the validator (explore.ts lockdepHeld()).
import { CompiledModel, H_READ, heldInst, heldSub, Instr } from '../model/ir';
import { lockKind } from '../model/lock-kinds';

/** Edge type, lockdep-design.rst: held Exclusive/Shared -> acquired Recursive-reader/Non-recursive. */
export type DepType = 'EN' | 'ER' | 'SN' | 'SR';
const TYPES: DepType[] = ['EN', 'ER', 'SN', 'SR'];

export interface AttemptWitness {
  state: number;
  thread: number;
  instr: Instr;
  /** the held lock instance and the acquired one */
  heldInst: number;
  inst: number;
}

export interface DepEdge {
  from: number; // node
  to: number; // node
  type: DepType;
  witness: AttemptWitness;
  /** lock instances held (besides the edge's own) every time this edge was taken: candidate gate locks */
  gates: number[];
}

export interface RecursiveUse {
  /** 'reacquire': the held instance itself; 'nesting': another instance of the class, not allowed */
  how: 'reacquire' | 'nesting';
  node: number;
  witness: AttemptWitness;
}

export class LockdepValidator {
  readonly edges = new Map<number, DepEdge>();
  readonly recursive = new Map<string, RecursiveUse>();
  private readonly nodes: number;
  /** per instance, the lock table's and then the completion maps' (pseudo instances): class and name */
  private readonly clsOf: number[];
  private readonly instNames: string[];
  private readonly classNames: string[];
  /** per works entry, its first pseudo instance */
  private readonly mapBase: number[];

  constructor(private m: CompiledModel) {
    this.clsOf = m.instances.map((i) => i.cls);
    this.instNames = m.instances.map((i) => i.name);
    this.classNames = m.classes.map((c) => c.name);
    this.mapBase = m.works.map((w, j) => {
      const first = this.clsOf.length;
      this.classNames.push(`(work_completion)(${w.name})`);
      for (const item of w.items) {
        this.clsOf.push(m.classes.length + j);
        this.instNames.push(`(work_completion)(${item})`);
      }
      return first;
    });
    this.nodes = this.classNames.length * 8;
  }

  /** The pseudo instance of item `item` of works entry `entry`: its completion map. */
  workMap(entry: number, item: number): number {
    return this.mapBase[entry] + item;
  }

  /** Is this a lock instance (not a completion map)? */
  isLock(inst: number): boolean {
    return inst < this.m.instances.length;
  }

  instName(inst: number): string {
    return this.instNames[inst];
  }

  className(cls: number): string {
    return this.classNames[cls];
  }

  node(cls: number, subclass: number): number {
    return cls * 8 + subclass;
  }

  nodeName(n: number): string {
    const name = this.classNames[n >> 3];
    return (n & 7) === 0 ? name : `${name}/${n & 7}`;
  }

  /** An attempt by `thread` (holding `held`, innermost last) to acquire inst; trylocks are not checked. */
  attempt(state: number, thread: number, held: number[], inst: number, instr: Extract<Instr, { op: 'acquire' }>, nestInst: number) {
    const m = this.m;
    const cls = this.clsOf[inst];
    const to = this.node(cls, instr.subclass);
    const recursiveRead = instr.read && this.isLock(inst) && lockKind(m.classes[cls].kind).recursiveRead;
    // check_deadlock() first: an acquisition that is recursive locking is reported and adds no edges
    // (lockdep's validate_chain() returns before check_prevs_add()). The held locks are walked in the order
    // they were taken, as lockdep does: a nest lock excuses a same-class acquisition only when it was taken
    // before the held lock of that class, and an excused acquisition adds no dependency at all (check_deadlock()
    // returns 2). Taking a held instance again is reported even under a nest lock: lockdep misses that
    // deadlock, the search does not.
    let bug = false;
    let excused = false;
    let nestSeen = false;
    for (const e of held) {
      const hi = heldInst(e);
      if (hi === nestInst) nestSeen = true;
      if (this.node(this.clsOf[hi], heldSub(e)) !== to) continue;
      if (recursiveRead && (e & H_READ) !== 0) continue; // read-after-read recursion (rwlock, SRCU)
      if (hi !== inst) {
        const cmp = this.isLock(inst) ? m.classes[cls].cmpFn : undefined;
        if (cmp && cmp(hi, inst) < 0) continue;
        if (nestSeen) {
          excused = true;
          continue;
        }
      }
      bug = true;
      const how = hi === inst ? 'reacquire' : 'nesting';
      const key = `${how}:${to}:${instr.src.file}:${instr.src.line}:${instr.src.col}`;
      if (!this.recursive.has(key)) this.recursive.set(key, { how, node: to, witness: { state, thread, instr, heldInst: hi, inst } });
    }
    if (bug || excused) return;
    for (const e of held) {
      const hi = heldInst(e);
      const from = this.node(this.clsOf[hi], heldSub(e));
      const hRead = (e & H_READ) !== 0;
      if (from === to) continue; // same lockdep class, allowed above: no self edge
      const type = (hRead ? 2 : 0) + (recursiveRead ? 1 : 0);
      const key = (from * this.nodes + to) * 4 + type;
      const edge = this.edges.get(key);
      if (!edge)
        this.edges.set(key, {
          from,
          to,
          type: TYPES[type],
          witness: { state, thread, instr, heldInst: hi, inst },
          // a completion map serialises nothing (the items of a "per" entry run at once): no gate
          gates: held.map(heldInst).filter((g) => g !== hi && this.isLock(g)),
        });
      else if (edge.gates.length > 0) edge.gates = edge.gates.filter((g) => g !== hi && held.some((e2) => heldInst(e2) === g));
    }
  }

  /**
   * Every cycle of the dependency graph that lockdep would report: a "strong" cycle, one with no lock that is
   * entered by a recursive-read edge (-(xR)->) and left by a shared edge (-(Sx)->). Each cycle is reported once,
   * as the rotation starting from its smallest node.
   */
  strongCycles(limit = 50): DepEdge[][] {
    const out: DepEdge[][] = [];
    const seen = new Set<string>();
    const byFrom = new Map<number, DepEdge[]>();
    for (const e of this.edges.values()) {
      if (!byFrom.has(e.from)) byFrom.set(e.from, []);
      byFrom.get(e.from)!.push(e);
    }
    const nodes = [...byFrom.keys()].sort((a, b) => a - b);
    const okPair = (inE: DepEdge, outE: DepEdge) => !(inE.type[1] === 'R' && outE.type[0] === 'S');
    // Simple cycles starting at their smallest node (Johnson-style enumeration, bounded by `limit`).
    for (const start of nodes) {
      const path: DepEdge[] = [];
      const onPath = new Set<number>([start]);
      const dfs = (n: number) => {
        if (out.length >= limit) return;
        for (const e of byFrom.get(n) ?? []) {
          if (e.to < start) continue;
          if (path.length > 0 && !okPair(path[path.length - 1], e)) continue;
          if (e.to === start) {
            const cyc = [...path, e];
            if (!okPair(e, cyc[0])) continue;
            const key = cyc.map((x) => x.from).join('>');
            if (!seen.has(key)) {
              seen.add(key);
              out.push(cyc);
            }
            continue;
          }
          if (onPath.has(e.to)) continue;
          onPath.add(e.to);
          path.push(e);
          dfs(e.to);
          path.pop();
          onPath.delete(e.to);
        }
      };
      dfs(start);
    }
    return out;
  }
}
