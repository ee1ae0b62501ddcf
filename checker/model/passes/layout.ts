// Pass 3, layout: places the shared part of the state vector (shared vars, then one pending flag per work
// item, then two slots per lock instance) and, once the threads are lowered and their frames sized, each
// thread's frame after it. A state wider than MAX_STATE_WIDTH is blamed on its biggest part.
import { SourceDoc } from '../../spec/load';
import { GlobalVar, T_HELD, ThreadProg } from '../ir';
import { IrExpr } from '../ir-expr';
import { Ctx } from './context';
import { LockPart, ResolvedCompletion, ResolvedVar, ResolvedWork, Symbols } from './resolve';

/** a state is this many 32-bit slots at most: the store allocates states 4096 at a time (256 MiB at this width) */
export const MAX_STATE_WIDTH = 1 << 14;

export interface PlacedWork extends ResolvedWork {
  /** slot of the pending flag (of the first instance's, for "per" items) */
  pending: number;
  /** how many items: one, or one per instance of the "per" class */
  items: number;
  /** for an entry some flush_work or cancel_work_sync names: what its flushers wait on */
  flushed?: { running: number; disabled: number; waits: number };
}

export interface PlacedCompletion extends ResolvedCompletion {
  /** slot of the count (of the first instance's, for "per" completions) */
  slot: number;
  size: number;
}

export interface SharedLayout {
  globals: GlobalVar[];
  /** shared vars by name, with where they live */
  varSlots: Map<string, { global: GlobalVar; resolved: ResolvedVar }>;
  works: Map<string, PlacedWork>;
  completions: Map<string, PlacedCompletion>;
  locksBase: number;
  /** the first thread frame starts here */
  threadsBase: number;
  parts: LockPart[];
}

/** Does a state of this width fit? If not, the biggest part of it is reported. */
export function fits(ctx: Ctx, parts: LockPart[], width: number): boolean {
  if (width <= MAX_STATE_WIDTH) return true;
  const big = parts.reduce((a, b) => (b.slots > a.slots ? b : a));
  ctx.error('stateTooWide', ctx.pos(big.doc, big.pointer), { width, max: MAX_STATE_WIDTH, part: `${big.what} ${big.slots}` }, big.pointer);
  return false;
}

/** `threads`: how many threads the spec runs, workers included (a flushed entry keeps a slot per thread). */
export function layoutShared(sym: Symbols, lockParts: LockPart[], ctx: Ctx, threads: number): SharedLayout | undefined {
  const parts = [...lockParts];
  const globals: GlobalVar[] = [];
  const varSlots: SharedLayout['varSlots'] = new Map();
  let next = 0;
  for (const v of sym.vars.values()) {
    const global: GlobalVar = { name: v.name, offset: next, size: v.size, init: v.init, guard: v.guard, array: v.array, indexedBy: v.indexedBy };
    // a table initialised with instance names holds instances (traces print them by name)
    const named = [v.decl.value.init].flat().find((x) => typeof x === 'string' && sym.instanceByName.has(x.trim()));
    if (typeof named === 'string') global.kind = { of: 'instance', cls: sym.instances[sym.instanceByName.get(named.trim())!].cls };
    next += v.size;
    parts.push({ what: `shared var ${v.name} takes`, slots: v.size, doc: v.decl.doc, pointer: v.array ? `${v.decl.pointer}/array` : v.decl.pointer });
    globals.push(global);
    varSlots.set(v.name, { global, resolved: v });
  }
  const works = new Map<string, PlacedWork>();
  for (const w of sym.works.values()) {
    const size = w.cls ? w.cls.instances.length : 1;
    globals.push({ name: `${w.name} pending`, offset: next, size, init: new Array<number>(size).fill(0), guard: -1, internal: true });
    works.set(w.name, { ...w, pending: next, items: size });
    next += size;
  }
  // after every pending flag, so that a spec that flushes nothing keeps the layout it had
  for (const [name, f] of sym.flushed) {
    const w = works.get(name)!;
    const n = w.items;
    const internal = (what: string, size: number) => {
      globals.push({ name: `${name} ${what}`, offset: next, size, init: new Array<number>(size).fill(0), guard: -1, internal: true });
      next += size;
      return next - size;
    };
    const running = internal('running', n);
    const disabled = f.cancelled ? internal('disabled', n) : -1;
    const waits = internal('flushers', threads);
    w.flushed = { running, disabled, waits };
  }
  const completions = new Map<string, PlacedCompletion>();
  for (const c of sym.completions.values()) {
    const size = c.cls ? c.cls.instances.length : 1;
    globals.push({ name: c.name, offset: next, size, init: new Array<number>(size).fill(0), guard: -1, internal: true });
    completions.set(c.name, { ...c, slot: next, size });
    next += size;
  }
  const locksBase = next;
  const threadsBase = locksBase + 2 * sym.instances.length;
  // before lowering the threads, which would take long on such a spec
  if (!fits(ctx, parts, threadsBase)) return undefined;
  return { globals, varSlots, works, completions, locksBase, threadsBase, parts };
}

/** A lowered thread before placement: its code, and its frame's locals (offsets inside the frame). */
export interface LoweredThread {
  name: string;
  decl: string;
  worker: boolean;
  code: ThreadProg<IrExpr>['code'];
  initLocals: number[];
  localNames: ThreadProg<IrExpr>['localNames'];
  /** synchronizes RCU or SRCU: needs a snapshot slot per thread */
  usesSync: boolean;
}

/** Every thread's frame after the shared part: pc and held stack, locals, then (when it synchronizes) one snapshot slot per thread. */
export function placeThreads(
  shared: SharedLayout,
  lowered: LoweredThread[],
  maxHeld: number,
  ctx: Ctx,
  threadsDoc: SourceDoc,
): { threads: ThreadProg<IrExpr>[]; width: number } | undefined {
  let base = shared.threadsBase;
  const T = lowered.length;
  const threads = lowered.map((p): ThreadProg<IrExpr> => {
    const snap = p.usesSync ? T : 0;
    const t: ThreadProg<IrExpr> = {
      name: p.name,
      decl: p.decl,
      code: p.code,
      base,
      initLocals: [...p.initLocals, ...new Array<number>(snap).fill(0)],
      localNames: p.localNames,
      worker: p.worker,
      snapOffset: snap > 0 ? T_HELD + maxHeld + p.initLocals.length : -1,
    };
    base += T_HELD + maxHeld + p.initLocals.length + snap;
    return t;
  });
  const parts = [...shared.parts, { what: 'the threads take', slots: base - shared.threadsBase, doc: threadsDoc, pointer: '/threads' }];
  if (!fits(ctx, parts, base)) return undefined;
  return { threads, width: base };
}
