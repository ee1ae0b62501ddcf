// Pass 5, liveness: which thread-local slots are dead where a step ends, so the machine can zero them there.
// Two states that differ only in a value no future step reads have the same futures (the same moves, locks,
// findings and trace lengths), so storing them as one state loses nothing; SPIN's dead variable elimination
// does the same for Promela locals. A slot is live at an instruction when some path from it reads the slot
// before writing the whole of it. Reads and writes come from the IR's expressions and lvalues only (nothing
// else reads a thread's locals: final assertions see shared vars, and other threads see only shared state), so
// the result is exact for scalars and conservative for arrays (an element written at a computed index does not
// kill the array; one read at a computed index reads all of it).
import { assertNever } from '../../assert-never';
import { Instr, instrExpressions, isSchedulingPoint, successors } from '../ir';
import { IrExpr } from '../ir-expr';

type IrInstr = Instr<IrExpr>;

/** A set of local slots (relative to the first local) as a bit vector. */
class SlotSet {
  readonly w: Uint32Array;
  constructor(words: number) {
    this.w = new Uint32Array(words);
  }
  add(k: number) {
    this.w[k >>> 5] |= 1 << (k & 31);
  }
  has(k: number) {
    return (this.w[k >>> 5] & (1 << (k & 31))) !== 0;
  }
}

/** The local slots an instruction reads and the ones it overwrites entirely, relative to the first local. */
interface Uses {
  reads: number[];
  kills: number[];
  /** may write (a kill, or an element at a computed index): the slot may be nonzero afterwards */
  writes: number[];
}

export interface LocalRegion {
  /** thread-relative offset of the first local (after pc, held count and held slots) */
  first: number;
  /** how many local slots (the grace-period snapshot after them is not a local) */
  count: number;
}

/**
 * For each instruction of a thread's code, the thread-relative local slots to zero when a step ends there:
 * dead at that instruction and possibly nonzero (`initiallyNonzero`: the locals, relative to the first one,
 * that some copy of the thread starts with a nonzero value). Only instructions where a step can end (scheduling points and
 * `end`) get any; at `end` every local is listed, since a thread can also get there by a runtime error.
 */
export function deadLocalsAt(code: readonly IrInstr[], region: LocalRegion, initiallyNonzero: readonly number[]): number[][] {
  const n = code.length;
  const words = Math.max(1, Math.ceil(region.count / 32));
  const uses = code.map((i) => usesOf(i, region));
  // (a runtime error goes to `end`, which zeroes every local)
  const succ = code.map((i, pc) => successors(i, pc));

  // backward: live-in(pc) = reads(pc) ∪ (live-out(pc) − kills(pc)), live-out = ∪ live-in(successors)
  const liveIn = code.map(() => new SlotSet(words));
  const preds: number[][] = code.map(() => []);
  succ.forEach((ss, pc) => ss.forEach((s) => preds[s].push(pc)));
  const killMask = uses.map((u) => maskOf(u.kills, words));
  const readMask = uses.map((u) => maskOf(u.reads, words));
  const work: number[] = [];
  const queued = new Uint8Array(n);
  for (let pc = n - 1; pc >= 0; pc--) {
    work.push(pc);
    queued[pc] = 1;
  }
  const out = new Uint32Array(words);
  while (work.length > 0) {
    const pc = work.pop()!;
    queued[pc] = 0;
    out.fill(0);
    for (const s of succ[pc]) for (let k = 0; k < words; k++) out[k] |= liveIn[s].w[k];
    let changed = false;
    const li = liveIn[pc].w;
    for (let k = 0; k < words; k++) {
      // >>> 0: compare as unsigned, as the Uint32Array stores it (slot 31 of a word sets the sign bit)
      const v = (readMask[pc][k] | (out[k] & ~killMask[pc][k])) >>> 0;
      if (v !== li[k]) {
        li[k] = v;
        changed = true;
      }
    }
    if (changed)
      for (const p of preds[pc])
        if (!queued[p]) {
          queued[p] = 1;
          work.push(p);
        }
  }

  // forward: which slots may be nonzero on arrival (at the start: those some copy initialises to nonzero),
  // with the zeroing done where steps end
  const ends = code.map((i) => i.op === 'end' || isSchedulingPoint(i));
  const nzIn = code.map(() => new SlotSet(words));
  const writeMask = uses.map((u) => maskOf(u.writes, words));
  if (n > 0) for (const k of initiallyNonzero) nzIn[0].add(k);
  const fwd: number[] = n > 0 ? [0] : [];
  const inFwd = new Uint8Array(n);
  if (n > 0) inFwd[0] = 1;
  const after = new Uint32Array(words);
  while (fwd.length > 0) {
    const pc = fwd.pop()!;
    inFwd[pc] = 0;
    for (let k = 0; k < words; k++) {
      const arriving = nzIn[pc].w[k];
      const kept = ends[pc] ? arriving & liveIn[pc].w[k] : arriving;
      after[k] = (kept | writeMask[pc][k]) >>> 0;
    }
    for (const s of succ[pc]) {
      let changed = false;
      const t = nzIn[s].w;
      for (let k = 0; k < words; k++) {
        const v = (t[k] | after[k]) >>> 0;
        if (v !== t[k]) {
          t[k] = v;
          changed = true;
        }
      }
      if (changed && !inFwd[s]) {
        inFwd[s] = 1;
        fwd.push(s);
      }
    }
  }

  const all = Array.from({ length: region.count }, (_, k) => region.first + k);
  return code.map((i, pc) => {
    if (i.op === 'end') return all;
    if (!ends[pc]) return [];
    const z: number[] = [];
    for (let k = 0; k < region.count; k++) if (nzIn[pc].has(k) && !liveIn[pc].has(k)) z.push(region.first + k);
    return z;
  });
}

function maskOf(slots: number[], words: number): Uint32Array {
  const m = new SlotSet(words);
  for (const k of slots) m.add(k);
  return m.w;
}

function usesOf(i: IrInstr, region: LocalRegion): Uses {
  const u: Uses = { reads: [], kills: [], writes: [] };
  const inRegion = (k: number) => k >= 0 && k < region.count;
  const read = (offset: number, size: number) => {
    for (let k = offset - region.first; k < offset - region.first + size; k++) if (inRegion(k)) u.reads.push(k);
  };
  // reads: every expression it evaluates (lvalue indexes included); the release of a T(X) also reads the
  // trylock's result slot
  for (const [, x] of instrExpressions(i)) readsOf(x, read);
  if (i.op === 'release' && i.onlyIf >= 0) read(i.onlyIf, 1);
  // writes: an assigned or picked local (a whole kill unless at a computed index), a trylock's result slot
  const write = (k: number, kills: boolean) => {
    if (!inRegion(k)) return;
    u.writes.push(k);
    if (kills) u.kills.push(k);
  };
  if ((i.op === 'assign' || i.op === 'pick') && !i.target.global) {
    const lv = i.target;
    const base = lv.offset - region.first;
    if (lv.index === undefined) write(base, true);
    else if (lv.index.e === 'const') write(base + lv.index.v, true);
    else for (let k = base; k < base + lv.size; k++) write(k, false);
  }
  if ((i.op === 'acquire' || i.op === 'flush_begin') && i.into >= 0) write(i.into - region.first, true);
  // an instruction reads its operands before it writes: a slot it both reads and overwrites stays live before it
  return u;
}

/** Calls `read(offset, size)` for every thread-local slot range the expression may read. */
function readsOf(x: IrExpr, read: (offset: number, size: number) => void): void {
  const r = (y: IrExpr) => readsOf(y, read);
  switch (x.e) {
    case 'const':
      return;
    case 'slot':
      if (!x.shared) read(x.offset, 1);
      return;
    case 'element':
      if (!x.shared) {
        if (x.index.e === 'const') read(x.offset + x.index.v, 1);
        else read(x.offset, x.size);
      }
      return r(x.index);
    case 'attr':
    case 'unary':
    case 'lowest':
    case 'withoutLowest':
    case 'instanceOf':
    case 'rank':
      return r(x.of);
    case 'set':
      return x.items.forEach(r);
    case 'call':
      return x.args.forEach(r);
    case 'bin':
      r(x.l);
      return r(x.r);
    case 'cond':
      r(x.c);
      r(x.a);
      return r(x.b);
    default:
      return assertNever(x);
  }
}
