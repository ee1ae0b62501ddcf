// Pass 4, lower: turns each thread's AST into IR instructions (model/ir.ts) over the laid-out state. Calls
// and notifier chains are inlined (their locals live in the caller's frame from the call to its end, and are
// zeroed when they die), loops become branches and jumps, and every instruction gets, once, the set of
// shared slots, lock classes and RCU state it may touch (its access set: what the reductions derive from).
import { suggest } from '../../diagnostics/diagnostic';
import { children, ExprSyntaxError, parseExpr, parseLockRef } from '../../spec/expressions';
import { escapePointer } from '../../spec/json-positions';
import { SourceDoc } from '../../spec/load';
import { LocalDecl } from '../../spec/types';
import type { VarDecl } from '../ir';
import { SourcePos } from '../../diagnostics/diagnostic';
import { Binding, checkIndexClass, CompiledExpr, compileExpr, ExprEnv, FUNCTION_LIST, slotRange, unionSlots } from '../expr-compile';
import { Access, FinalAssert, Instr, InstrWithoutAccess, LocalName, LValue, NO_ACCESS, RunSlots, T_HELD, WorkSlots } from '../ir';
import { IrExpr, irConst } from '../ir-expr';
import { lockKind } from '../lock-kinds';
import { AstStmt, AstThread, childBodies, CompletionKind, Text, textsOf, Where } from './ast';
import { assertNever, Ctx } from './context';
import { PlacedCompletion, PlacedWork, SharedLayout } from './layout';
import { arraySize, evalConst, instanceConst, Symbols } from './resolve';

type IrLValue = LValue<IrExpr>;

export interface Lowering {
  sym: Symbols;
  layout: SharedLayout;
  ctx: Ctx;
  /** procedures some thread, work item or notifier chain calls */
  calledProcs: Set<string>;
  /** instructions lowered so far, all threads together */
  instructions: number;
  /** some thread's code passed a bound on inlining (reported once, where it did) */
  overBound?: boolean;
  /** how many threads the spec runs, workers included: a flushed entry keeps one slot per thread */
  threads: number;
}

/** Bounds on inlining: a thread's code, all code together, and how deep calls nest. */
export const MAX_THREAD_INSTRUCTIONS = 20_000;
export const MAX_INSTRUCTIONS = 100_000;
export const MAX_CALL_DEPTH = 64;

/** Thrown out of a thread's lowering once its code is over a bound (reported at the call that passed it). */
class TooMuchCode extends Error {}

/** One thread's lowered code, shared by all copies of it; `init(i)` gives copy i's initial locals. */
export interface LoweredCode {
  code: Instr<IrExpr>[];
  init(copy: number): number[];
  localNames: LocalName[];
  usesSync: boolean;
}

type Frame = {
  scope: Map<string, Binding>;
  doc: SourceDoc;
  proc?: string;
  returnTarget?: IrLValue;
  returnJumps: number[];
  frames: string[];
  callSite?: SourcePos;
  /** where each of frames is called, outermost first */
  calls: SourcePos[];
  /** the result slot of each shorthand T(X) lowered in this frame, for its U(X) */
  trySlots: Map<number, number>;
};

type CallNode = Extract<AstStmt, { kind: 'call' }>;
type LocalSlot = LocalName & { init?: { src: number | string; doc: SourceDoc; pointer: string } };

/** A worker's item: its pending flag, and (when its entry is flushed or cancelled) what its runs update. */
export interface WorkerItem {
  pending: number;
  run?: RunSlots;
}

/** Lowers a thread (or the worker of `worker`) whose JSON is at `ptr` in `doc`. */
export function lowerThread(lw: Lowering, t: AstThread, ptr: string, doc: SourceDoc, worker?: WorkerItem): LoweredCode {
  const { sym, layout, ctx } = lw;
  const { params, classes, instances, classByName, instanceByName, knownAttrs } = sym;
  const code: Instr<IrExpr>[] = [];
  let usesSync = false;
  // a run's start and return move its flushers on (ir.ts WorkSlots): they write the flushers' entries
  const runAccess = (run: RunSlots | undefined): { reads: readonly number[]; writes: readonly number[] } =>
    run ? { reads: slotRange(run.waits, lw.threads), writes: unionSlots([run.running], slotRange(run.waits, lw.threads)) } : { reads: [], writes: [] };
  if (worker) {
    const ra = runAccess(worker.run);
    code.push({
      op: 'idle',
      pending: worker.pending,
      ...(worker.run ? { run: worker.run } : {}),
      src: ctx.pos(doc, ptr),
      text: `wait for ${t.name} to be queued`,
      frames: [],
      access: { ...NO_ACCESS, reads: unionSlots([worker.pending], ra.reads), writes: unionSlots([worker.pending], ra.writes) },
    });
  }
  const localsBase = T_HELD + sym.maxHeld;
  const slots: LocalSlot[] = [];
  let nextSlot = 0;
  let maxSlot = 0;
  const alloc = (name: string, size: number, init?: LocalSlot['init'], meta: Pick<LocalName, 'frame' | 'temp' | 'array' | 'kind'> = {}): number => {
    const offset = localsBase + nextSlot;
    nextSlot += size;
    maxSlot = Math.max(maxSlot, nextSlot);
    slots.push({ name, offset, size, ...meta, init });
    return offset;
  };
  /** Dead slots are zeroed (states that differ only in dead values are one state) and reused. */
  const freeSlotsFrom = (mark: number, src: SourcePos, frames: string[], callSite: SourcePos | undefined, calls: SourcePos[]) => {
    for (let k = mark; k < nextSlot; k++)
      emit({
        op: 'assign',
        target: localLv(localsBase + k, '(dead)'),
        value: irConst(0),
        role: 'reset',
        text: 'forget a dead local',
        src,
        frames,
        callSite,
        calls,
      });
    nextSlot = mark;
  };
  const selfOffset = alloc('self', 1);
  const selfDecl = { name: 'self' };

  const declareLocals = (frame: Frame, locals: Record<string, LocalDecl>, pointer: string) => {
    const declared: LocalSlot[] = [];
    for (const [name, decl] of Object.entries(locals)) {
      const lp = `${pointer}/${escapePointer(name)}`;
      if (frame.scope.has(name)) {
        ctx.error('duplicateName', ctx.pos(frame.doc, lp, true), { what: 'local', name, where: 'a local may not shadow a parameter or another local' }, lp);
        continue;
      }
      const isObj = typeof decl === 'object';
      const sized = isObj && decl.array !== undefined ? arraySize(sym, ctx, decl.array, frame.doc, `${lp}/array`) : { size: 1 };
      const size = sized.size;
      const initSrc = isObj ? decl.init : decl;
      const array = isObj && decl.array !== undefined;
      const offset = alloc(name, size, initSrc === undefined ? undefined : { src: initSrc, doc: frame.doc, pointer: isObj ? `${lp}/init` : lp }, {
        frame: frame.proc,
        array,
        // initialised with an instance name: holds instances (a hint for how traces print it)
        ...(typeof initSrc === 'string' && instanceByName.has(initSrc.trim())
          ? { kind: { of: 'instance' as const, cls: instances[instanceByName.get(initSrc.trim())!].cls } }
          : {}),
      });
      frame.scope.set(name, { kind: 'local', offset, size, array, decl: { name, frame: frame.proc }, indexedBy: sized.cls });
      declared.push(slots[slots.length - 1]);
    }
    return declared;
  };

  // What the next emitted instruction reads (for the TOCTOU analysis): every local and shared var that
  // its expressions looked up since the previous instruction was emitted.
  let pendingReads = { globals: new Set<string>(), locals: new Set<number>() };
  const env = (frame: Frame, pointer: string, offsetBase = 0, record = true): ExprEnv => ({
    lookup: (n) => {
      const l = frame.scope.get(n);
      if (l) {
        if (record && l.kind === 'local') pendingReads.locals.add(l.offset);
        if (record && l.kind === 'global') pendingReads.globals.add(l.name);
        return l;
      }
      if (n in params) return { kind: 'const', value: params[n] };
      const v = layout.varSlots.get(n);
      if (v) {
        if (record) pendingReads.globals.add(v.global.name);
        const g = v.global;
        return { kind: 'global', offset: g.offset, size: g.size, array: g.size > 1 || v.resolved.array, guard: g.guard, name: g.name, indexedBy: g.indexedBy };
      }
      const id = instanceByName.get(n);
      if (id !== undefined) return instanceConst(sym, id);
      return undefined;
    },
    classes,
    instances,
    classByName,
    knownAttrs,
    error: (at, kind, name, extra) => {
      const pos = ctx.posIn(frame.doc, pointer, at + offsetBase);
      const known = [...frame.scope.keys(), ...Object.keys(params), ...layout.varSlots.keys(), ...instanceByName.keys()];
      switch (kind) {
        case 'unknownName':
          return ctx.error(
            'unknownVariable',
            pos,
            { name, suggest: extra ? `; ${extra} is expected here${suggest(name, classByName.keys())}` : suggest(name, known) },
            pointer,
          );
        case 'unknownFunction':
          return ctx.error('unknownFunction', pos, { name, functions: FUNCTION_LIST }, pointer);
        case 'unknownAttribute':
          return ctx.error('unknownAttribute', pos, { name }, pointer);
        case 'arity':
          return ctx.error('functionArity', pos, { name, expected: extra ?? '?' }, pointer);
        case 'notArray':
          return ctx.error('notAnArray', pos, { name, what: 'not an array', hint: 'only arrays (declared with "array": SIZE) can be indexed' }, pointer);
        case 'isArray':
          return ctx.error('notAnArray', pos, { name, what: 'an array', hint: `index it: ${name}[i]` }, pointer);
        case 'setTooBig':
          return ctx.error('tooManySetMembers', pos, { count: name }, pointer);
        case 'wrongClass': {
          const [expected, actual, index] = (extra ?? '||').split('|');
          return ctx.error('indexWrongClass', pos, { name, expected, index, actual: `an instance of ${actual}` }, pointer);
        }
        default:
          return assertNever(kind);
      }
    },
  });

  const expr = (frame: Frame, t: Text): CompiledExpr => {
    try {
      return compileExpr(parseExpr(t.src), env(frame, t.pointer));
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      ctx.error('expressionSyntax', ctx.posIn(frame.doc, t.pointer, e.at), { reason: e.message }, t.pointer);
      return { ir: irConst(0), reads: [] };
    }
  };

  const lvalue = (frame: Frame, t: Text): { lv?: IrLValue } => {
    const { pointer } = t;
    const src = String(t.src);
    let e;
    try {
      e = parseExpr(src);
    } catch (err) {
      if (!(err instanceof ExprSyntaxError)) throw err;
      ctx.error('expressionSyntax', ctx.posIn(frame.doc, pointer, err.at), { reason: err.message }, pointer);
      return {};
    }
    const nameNode = e.t === 'name' ? e : e.t === 'index' && e.base.t === 'name' ? e.base : undefined;
    if (!nameNode || nameNode.t !== 'name') {
      ctx.error('notAssignable', ctx.posIn(frame.doc, pointer, e.at), { name: src, what: 'an expression' }, pointer);
      return {};
    }
    const b = env(frame, pointer, 0, false).lookup(nameNode.name);
    if (!b) {
      env(frame, pointer).error(nameNode.at, 'unknownName', nameNode.name);
      return {};
    }
    if (b.kind === 'const') {
      ctx.error(
        'notAssignable',
        ctx.posIn(frame.doc, pointer, nameNode.at),
        { name: nameNode.name, what: nameNode.name in params ? 'param' : 'lock instance' },
        pointer,
      );
      return {};
    }
    let index: IrExpr | undefined;
    let indexReads: readonly number[] = [];
    if (e.t === 'index') {
      if (!b.array) {
        env(frame, pointer).error(nameNode.at, 'notArray', nameNode.name);
        return {};
      }
      const ix = compileExpr(e.index, env(frame, pointer));
      checkIndexClass(b, nameNode.name, e.index, ix.ir, env(frame, pointer));
      index = ix.ir;
      indexReads = ix.reads;
    } else if (b.array) {
      env(frame, pointer).error(nameNode.at, 'isArray', nameNode.name);
      return {};
    }
    const global = b.kind === 'global';
    return {
      lv: {
        global,
        offset: b.offset,
        size: b.size,
        index,
        indexReads,
        name: nameNode.name,
        guard: global ? b.guard : -1,
        decl: global ? { name: b.name } : b.decl,
        ...(b.indexedBy !== undefined ? { indexedBy: b.indexedBy } : {}),
      },
    };
  };

  /** A lock reference, e.g. "rtnl_mutex", "net[init_net]", "net[nets[i]]": the instance id at run time. */
  const lockRef = (frame: Frame, t: Text): { ir: IrExpr; cls: number; skip: boolean; reads: readonly number[] } | undefined => {
    const { pointer, at } = t;
    const src = String(t.src);
    let r;
    try {
      r = parseLockRef(src);
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      ctx.error('expressionSyntax', ctx.posIn(frame.doc, pointer, at + e.at), { reason: e.message }, pointer);
      return undefined;
    }
    const cls = classByName.get(r.lock);
    if (!cls) {
      ctx.error('unknownLock', ctx.posIn(frame.doc, pointer, at), { name: r.lock, suggest: suggest(r.lock, classByName.keys()) }, pointer);
      return undefined;
    }
    const skip = sym.without.has(cls.name);
    if (!r.index) {
      if (cls.hasInstances) {
        ctx.error('instanceNeeded', ctx.posIn(frame.doc, pointer, at), { lock: cls.name }, pointer);
        return undefined;
      }
      return { ir: irConst(cls.instances[0]), cls: cls.id, skip, reads: [] };
    }
    if (!cls.hasInstances) {
      ctx.error(
        'unknownInstance',
        ctx.posIn(frame.doc, pointer, at + r.indexAt),
        { lock: cls.name, name: src.slice(r.indexAt, src.lastIndexOf(']')), instances: '(none: it is a single lock)' },
        pointer,
      );
      return undefined;
    }
    // A bare name that is an instance of another class (or of no class) is a mistake worth naming.
    if (r.index.t === 'name' && !frame.scope.has(r.index.name) && !(r.index.name in params) && !layout.varSlots.has(r.index.name)) {
      const id = instanceByName.get(r.index.name);
      if (id === undefined || instances[id].cls !== cls.id) {
        ctx.error(
          'unknownInstance',
          ctx.posIn(frame.doc, pointer, at + r.indexAt + r.index.at),
          { lock: cls.name, name: r.index.name, instances: cls.instances.map((i) => instances[i].short).join(', ') },
          pointer,
        );
        return undefined;
      }
      return { ir: irConst(id), cls: cls.id, skip: skip || sym.without.has(instances[id].name), reads: [] };
    }
    const c = compileExpr(r.index, env(frame, pointer, at + r.indexAt));
    const ir: IrExpr = { e: 'instanceOf', of: c.ir, members: cls.instances, className: cls.name, what: src };
    return { ir, cls: cls.id, skip, reads: c.reads };
  };

  /** Takes what has been looked up since the last emit, and puts `next` (or nothing) in its place. */
  const takeReads = (next = { globals: new Set<string>(), locals: new Set<number>() }) => {
    const taken = pendingReads;
    pendingReads = next;
    return taken;
  };
  /** Records reads that no expression looked up: a loop's own variable, bound and remaining set. */
  const alsoReads = (lv: IrLValue | undefined, ...localSlots: number[]) => {
    if (lv && lv.global) pendingReads.globals.add(lv.name);
    else if (lv) pendingReads.locals.add(lv.offset);
    for (const l of localSlots) pendingReads.locals.add(l);
  };

  /** Emits an instruction with what it touches outside the thread (nothing, unless given). */
  const emit = (i: InstrWithoutAccess, access: Partial<Access> = {}): number => {
    const full = i as Instr<IrExpr>;
    full.access = { ...NO_ACCESS, ...access };
    i.reads = { globals: [...pendingReads.globals], locals: [...pendingReads.locals] };
    pendingReads = { globals: new Set(), locals: new Set() };
    code.push(full);
    return code.length - 1;
  };
  const here = () => code.length;
  const position = (frame: Frame, w: Where): SourcePos => (w.at === undefined ? ctx.pos(frame.doc, w.pointer) : ctx.posIn(frame.doc, w.pointer, w.at));

  /** lock, trylock and unlock take every kind but an srcu_struct, which has statements of its own */
  const plainLockOrError = (cls: number, frame: Frame, lock: Text, step: { shorthand: boolean; src: SourcePos }, what: 'lock' | 'other'): boolean => {
    if (lockKind(classes[cls].kind).plainLock) return true;
    const uses = what === 'lock' || step.shorthand ? 'srcu_read_lock and synchronize_srcu' : 'srcu_read_lock, srcu_read_unlock and synchronize_srcu';
    const pos = step.shorthand ? step.src : ctx.pos(frame.doc, lock.pointer);
    ctx.error('srcuMisuse', pos, { what: `${classes[cls].name} is an srcu_struct: use ${uses}` }, lock.pointer);
    return false;
  };

  const lowerBody = (frame: Frame, body: AstStmt[]) => body.forEach((s) => lowerStmt(frame, s));

  /** Stops the thread's lowering once its code, or all code, is over its bound: reported at `pointer`. */
  const codeBound = (frame: Frame, pointer: string, where: string) => {
    const mine = code.length > MAX_THREAD_INSTRUCTIONS;
    if (!mine && lw.instructions + code.length <= MAX_INSTRUCTIONS) return;
    const what = mine ? `the code of ${t.name}` : 'the code of all threads together';
    ctx.error('tooMuchCode', ctx.pos(frame.doc, pointer), { where, what, max: mine ? MAX_THREAD_INSTRUCTIONS : MAX_INSTRUCTIONS }, pointer);
    throw new TooMuchCode();
  };

  const lowerStmt = (frame: Frame, s: AstStmt): void => {
    codeBound(frame, s.where.pointer, s.kind === 'call' ? `inlining ${s.proc} here` : 'this statement');
    const src = position(frame, s.where);
    const base = { src, frames: frame.frames, callSite: frame.callSite, calls: frame.calls };
    switch (s.kind) {
      case 'lock': {
        const ref = lockRef(frame, s.lock);
        if (!ref || !plainLockOrError(ref.cls, frame, s.lock, { shorthand: s.shorthand, src }, 'lock')) return;
        const cls = classes[ref.cls];
        if (s.read && !lockKind(cls.kind).readSide) {
          if (s.shorthand) {
            ctx.error('readOnExclusive', src, { kind: cls.kind, lock: cls.name }, s.where.pointer);
            return;
          }
          ctx.error('readOnExclusive', ctx.pos(frame.doc, `${s.where.pointer}/read`), { kind: cls.kind, lock: cls.name }, `${s.where.pointer}/read`);
        }
        let nest: IrExpr | undefined;
        let nestReads: readonly number[] = [];
        if (s.nest !== undefined) {
          const n = lockRef(frame, s.nest);
          if (!n) return;
          nest = n.ir;
          nestReads = n.reads;
        }
        if (ref.skip) return;
        emit(
          { op: 'acquire', lock: ref.ir, cls: ref.cls, read: s.read, subclass: s.subclass, nest, trylock: false, into: -1, text: s.text, ...base },
          { reads: unionSlots(ref.reads, nestReads), locks: [ref.cls] },
        );
        return;
      }
      case 'trylock': {
        const ref = lockRef(frame, s.lock);
        if (!ref || !plainLockOrError(ref.cls, frame, s.lock, { shorthand: s.shorthand, src }, 'other')) return;
        let into = -1;
        let intoVar: VarDecl | undefined;
        if (s.into !== undefined) {
          const b = frame.scope.get(s.into.name);
          if (!b || b.kind !== 'local' || b.array) {
            ctx.error(
              'notAssignable',
              ctx.pos(frame.doc, s.into.pointer),
              { name: s.into.name, what: b ? 'not a scalar local' : 'not a declared local' },
              s.into.pointer,
            );
            return;
          }
          into = b.offset;
          intoVar = b.decl;
        }
        if (ref.skip) return;
        if (s.tryId !== undefined) {
          into = alloc(`(result of ${s.text})`, 1, undefined, { frame: frame.proc, temp: true });
          frame.trySlots.set(s.tryId, into);
        }
        emit(
          { op: 'acquire', lock: ref.ir, cls: ref.cls, read: false, subclass: 0, trylock: true, into, intoVar, text: s.text, ...base },
          { reads: ref.reads, locks: [ref.cls] },
        );
        return;
      }
      case 'unlock': {
        const ref = lockRef(frame, s.lock);
        if (!ref || !plainLockOrError(ref.cls, frame, s.lock, { shorthand: s.shorthand, src }, 'other') || ref.skip) return;
        const onlyIf = s.closesTry === undefined ? -1 : (frame.trySlots.get(s.closesTry) ?? -1);
        emit({ op: 'release', lock: ref.ir, cls: ref.cls, onlyIf, text: s.text, ...base }, { reads: ref.reads, locks: [ref.cls] });
        if (onlyIf >= 0)
          emit({ op: 'assign', target: localLv(onlyIf, '(trylock result)'), value: irConst(0), role: 'reset', text: 'forget the trylock result', ...base });
        return;
      }
      case 'assign': {
        const { lv } = lvalue(frame, s.target);
        const v = expr(frame, s.value);
        if (!lv) return;
        emit(
          { op: 'assign', target: lv, value: v.ir, text: `${s.target.src} = ${s.value.src}`, ...base },
          { reads: unionSlots(lv.indexReads, v.reads), writes: lvSlots(lv) },
        );
        return;
      }
      case 'if': {
        const c = expr(frame, s.cond);
        const br = emit({ op: 'branch', cond: c.ir, elseTarget: -1, text: `if ${s.cond.src}`, ...base }, { reads: c.reads });
        lowerBody(frame, s.then);
        if (s.else.length > 0) {
          const j = emit({ op: 'jump', target: -1, text: 'end if', ...base });
          (code[br] as { elseTarget: number }).elseTarget = here();
          lowerBody(frame, s.else);
          (code[j] as { target: number }).target = here();
        } else (code[br] as { elseTarget: number }).elseTarget = here();
        return;
      }
      case 'choose': {
        const ch = emit({ op: 'choose', targets: [], text: `choose one of ${s.branches.length}`, ...base });
        const ends: number[] = [];
        for (const branch of s.branches) {
          (code[ch] as { targets: number[] }).targets.push(here());
          lowerBody(frame, branch);
          ends.push(emit({ op: 'jump', target: -1, text: 'end choose', ...base }));
        }
        for (const j of ends) (code[j] as { target: number }).target = here();
        return;
      }
      case 'pick': {
        const { lv } = lvalue(frame, s.target);
        const set = expr(frame, s.from);
        if (!lv) return;
        emit(
          { op: 'pick', target: lv, set: set.ir, text: `pick ${s.target.src} from ${s.from.src}`, ...base },
          { reads: unionSlots(lv.indexReads, set.reads), writes: lvSlots(lv) },
        );
        return;
      }
      case 'for': {
        const { lv } = lvalue(frame, s.variable);
        const from = expr(frame, s.from);
        // what each expression looks up goes on the instruction that evaluates it
        const fromLooksUp = takeReads();
        const to = expr(frame, s.to);
        const toLooksUp = takeReads(fromLooksUp);
        if (!lv) return;
        const name = String(s.variable.src);
        const endSlot = alloc(`(end of ${name})`, 1, undefined, { frame: frame.proc, temp: true });
        // i = from; end = to; while (i < end) { body; i++ }: the loop variable may be shared (or reach a shared
        // var through a by_ref parameter), and so may the bound
        const readsLv = unionSlots(lv.indexReads, lvSlots(lv));
        emit(
          { op: 'assign', target: lv, value: from.ir, text: `${name} = ${s.from.src}`, ...base },
          { reads: unionSlots(lv.indexReads, from.reads), writes: lvSlots(lv) },
        );
        pendingReads = toLooksUp;
        emit({ op: 'assign', target: localLv(endSlot, 'loop end'), value: to.ir, role: 'temp', text: `loop to ${s.to.src}`, ...base }, { reads: to.reads });
        const read = readLv(lv);
        alsoReads(lv, endSlot);
        const loopEnd: IrExpr = { e: 'slot', shared: false, offset: endSlot, name: `(end of ${name})` };
        const top = emit(
          { op: 'branch', cond: { e: 'bin', op: '<', l: read, r: loopEnd }, elseTarget: -1, text: `for ${name} < ${s.to.src}`, ...base },
          { reads: readsLv },
        );
        lowerBody(frame, s.body);
        alsoReads(lv);
        emit(
          { op: 'assign', target: lv, value: { e: 'bin', op: '+', l: read, r: irConst(1) }, text: `${name}++`, ...base },
          { reads: readsLv, writes: lvSlots(lv) },
        );
        emit({ op: 'jump', target: top, text: 'loop', ...base });
        (code[top] as { elseTarget: number }).elseTarget = here();
        emit({ op: 'assign', target: localLv(endSlot, 'loop end'), value: irConst(0), role: 'reset', text: 'end of loop', ...base });
        return;
      }
      case 'foreach': {
        const { lv } = lvalue(frame, s.variable);
        const set = expr(frame, s.in);
        if (!lv) return;
        const rest = alloc(`(rest of ${s.in.src})`, 1, undefined, { frame: frame.proc, temp: true });
        const restSet: IrExpr = { e: 'slot', shared: false, offset: rest, name: `(rest of ${s.in.src})` };
        emit(
          { op: 'assign', target: localLv(rest, 'set'), value: set.ir, role: 'temp', text: `foreach ${s.variable.src} in ${s.in.src}`, ...base },
          { reads: set.reads },
        );
        alsoReads(undefined, rest);
        const top = emit({ op: 'branch', cond: { e: 'bin', op: '!=', l: restSet, r: irConst(0) }, elseTarget: -1, text: `foreach ${s.variable.src}`, ...base });
        alsoReads(undefined, rest);
        emit(
          { op: 'assign', target: lv, value: { e: 'lowest', of: restSet }, text: `${s.variable.src} = next of ${s.in.src}`, ...base },
          { reads: lv.indexReads, writes: lvSlots(lv) },
        );
        alsoReads(undefined, rest);
        emit({ op: 'assign', target: localLv(rest, 'set'), value: { e: 'withoutLowest', of: restSet }, role: 'temp', text: 'next', ...base });
        lowerBody(frame, s.body);
        emit({ op: 'jump', target: top, text: 'loop', ...base });
        (code[top] as { elseTarget: number }).elseTarget = here();
        return;
      }
      case 'call':
        return lowerCall(frame, s);
      case 'return': {
        if (!frame.proc) {
          ctx.error('returnOutside', src, {}, s.where.pointer);
          return;
        }
        if (s.value !== undefined && frame.returnTarget) {
          const v = expr(frame, s.value);
          emit(
            { op: 'assign', target: frame.returnTarget, value: v.ir, text: `return ${s.value.src}`, ...base },
            { reads: unionSlots(frame.returnTarget.indexReads, v.reads), writes: lvSlots(frame.returnTarget) },
          );
        } else if (s.value !== undefined) expr(frame, s.value); // still checked
        frame.returnJumps.push(emit({ op: 'jump', target: -1, text: 'return', ...base }));
        return;
      }
      case 'assert': {
        const c = expr(frame, s.cond);
        emit({ op: 'assert', cond: c.ir, message: s.message ?? `assert ${s.cond.src}`, text: `assert ${s.cond.src}`, ...base }, { reads: c.reads });
        return;
      }
      case 'rcu_read_lock':
        emit({ op: 'rcu_lock', text: 'rcu_read_lock()', ...base }, { rcu: true });
        return;
      case 'rcu_read_unlock':
        emit({ op: 'rcu_unlock', text: 'rcu_read_unlock()', ...base }, { rcu: true });
        return;
      case 'synchronize_rcu':
        usesSync = true;
        emit({ op: 'sync_begin', cls: -1, text: 'synchronize_rcu()', ...base }, { rcu: true });
        emit({ op: 'sync_wait', cls: -1, text: 'synchronize_rcu(): wait for readers', ...base }, { rcu: true });
        return;
      case 'srcu_read_lock':
      case 'srcu_read_unlock':
      case 'synchronize_srcu': {
        const ref = lockRef(frame, s.srcu);
        if (!ref) return;
        const refText = String(s.srcu.src);
        if (classes[ref.cls].kind !== 'srcu') {
          ctx.error(
            'srcuMisuse',
            ctx.pos(frame.doc, s.srcu.pointer),
            { what: `${s.kind}() needs an srcu_struct, and ${classes[ref.cls].name} is a ${classes[ref.cls].kind}` },
            s.srcu.pointer,
          );
          return;
        }
        if (ref.skip) return;
        const access = { reads: ref.reads, locks: [ref.cls] };
        if (s.kind === 'srcu_read_lock')
          emit(
            { op: 'acquire', lock: ref.ir, cls: ref.cls, read: true, subclass: 0, trylock: false, into: -1, text: `srcu_read_lock(${refText})`, ...base },
            access,
          );
        else if (s.kind === 'srcu_read_unlock')
          emit({ op: 'release', lock: ref.ir, cls: ref.cls, onlyIf: -1, text: `srcu_read_unlock(${refText})`, ...base }, access);
        else {
          usesSync = true;
          emit({ op: 'sync_begin', srcu: ref.ir, cls: ref.cls, text: `synchronize_srcu(${refText})`, ...base }, access);
          emit({ op: 'sync_wait', srcu: ref.ir, cls: ref.cls, text: `synchronize_srcu(${refText}): wait for readers`, ...base }, access);
        }
        return;
      }
      case 'wait_until': {
        const c = expr(frame, s.cond);
        emit({ op: 'wait', cond: c.ir, text: `wait_until ${s.cond.src}`, ...base }, { reads: c.reads });
        return;
      }
      case 'call_notifiers': {
        const chain = sym.normalised.notifiers.get(s.chain);
        const chainPtr = `${s.where.pointer}/call_notifiers`;
        if (!chain) {
          ctx.error('unknownNotifier', ctx.pos(frame.doc, chainPtr), { name: s.chain, suggest: suggest(s.chain, sym.normalised.notifiers.keys()) }, chainPtr);
          return;
        }
        const want = chain.value.params ?? [];
        if (s.args.length !== want.length) {
          ctx.error('argumentCount', src, { name: s.chain, expected: want.length, actual: s.args.length }, s.where.pointer);
          return;
        }
        for (const h of chain.value.handlers)
          if (sym.normalised.procedures.has(h)) lowerCall(frame, { kind: 'call', where: s.where, proc: h, args: s.args, hasArgs: true });
        return;
      }
      case 'queue_work':
        return lowerQueueWork(frame, s, base);
      case 'flush_work':
      case 'cancel_work_sync':
        return lowerFlush(frame, s, base);
      case 'wait_for_completion':
      case 'complete':
      case 'complete_all':
      case 'reinit_completion':
        return lowerCompletion(frame, s.kind, s.completion, base);
      case 'assert_held': {
        const ref = lockRef(frame, s.lock);
        if (!ref || ref.skip) return;
        emit({ op: 'assert_held', lock: ref.ir, cls: ref.cls, text: `assert_held ${s.lock.src}`, ...base }, { reads: ref.reads });
        return;
      }
      default:
        return assertNever(s);
    }
  };

  /**
   * A work item or a completion named as "name" or "name[instance]": the entry, and the item's rank within it
   * (index absent: a single item). Errors name the table and say how to name an item.
   */
  const itemRef = <T extends { name: string; cls?: { name: string; instances: number[] } }>(
    frame: Frame,
    t: Text,
    table: Map<string, T>,
    code: 'unknownWork' | 'unknownCompletion',
    what: string,
  ): { entry: T; index?: IrExpr; ixReads: readonly number[]; srcText: string } | undefined => {
    const { pointer } = t;
    const srcText = String(t.src);
    const unknown = (pos: SourcePos, args: Record<string, string>) =>
      code === 'unknownWork' ? ctx.error('unknownWork', pos, args, pointer) : ctx.error('unknownCompletion', pos, args, pointer);
    let r;
    try {
      r = parseLockRef(srcText);
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      ctx.error('expressionSyntax', ctx.posIn(frame.doc, pointer, e.at), { reason: e.message }, pointer);
      return undefined;
    }
    const entry = table.get(r.lock);
    if (!entry) {
      unknown(ctx.posIn(frame.doc, pointer, 0), { name: r.lock, suggest: suggest(r.lock, table.keys()) });
      return undefined;
    }
    if (!!entry.cls !== !!r.index) {
      unknown(ctx.posIn(frame.doc, pointer, 0), {
        name: srcText,
        suggest: entry.cls ? `; it is one ${what} per ${entry.cls.name}: write ${r.lock}[INSTANCE]` : `; ${r.lock} is a single ${what}`,
      });
      return undefined;
    }
    if (!r.index || !entry.cls) return { entry, ixReads: [], srcText };
    const compiled = compileExpr(r.index, env(frame, pointer, r.indexAt));
    return {
      entry,
      index: { e: 'rank', of: compiled.ir, members: entry.cls.instances, className: entry.cls.name, what: srcText },
      ixReads: compiled.reads,
      srcText,
    };
  };

  /** Slot `offset` of a one-per-item table: at the item's rank, or the only one. */
  const itemSlot = (offset: number, size: number, name: string, index: IrExpr | undefined): IrExpr =>
    index ? { e: 'element', shared: true, offset, size, name, index } : { e: 'slot', shared: true, offset, name };

  const lowerQueueWork = (frame: Frame, s: Extract<AstStmt, { kind: 'queue_work' }>, base: { src: SourcePos; frames: string[]; callSite?: SourcePos }) => {
    const ref = itemRef(frame, s.work, layout.works, 'unknownWork', 'work item');
    if (!ref) return;
    const { entry: w, index, ixReads, srcText } = ref;
    const target: IrLValue = {
      global: true,
      offset: w.pending,
      size: w.items,
      index,
      indexReads: ixReads,
      name: `${w.name} pending`,
      guard: -1,
    };
    // an item that a cancel_work_sync has disabled stays as it is (6.18's WORK_CANCEL_DISABLE)
    const disabled = w.flushed?.disabled ?? -1;
    if (disabled < 0) {
      emit({ op: 'assign', target, value: irConst(1), text: `queue_work(${srcText})`, ...base }, { reads: ixReads, writes: lvSlots(target) });
      return;
    }
    const value: IrExpr = {
      e: 'cond',
      c: itemSlot(disabled, w.items, `${w.name} disabled`, index),
      a: itemSlot(w.pending, w.items, `${w.name} pending`, index),
      b: irConst(1),
    };
    emit(
      { op: 'assign', target, value, text: `queue_work(${srcText})`, ...base },
      { reads: unionSlots(ixReads, slotRange(w.pending, w.items), slotRange(disabled, w.items)), writes: lvSlots(target) },
    );
  };

  /** The local a statement's "into" names (a declared scalar), or undefined after reporting what it is instead. */
  const intoLocal = (frame: Frame, into: { name: string; pointer: string }): { offset: number; decl?: VarDecl } | undefined => {
    const b = frame.scope.get(into.name);
    if (!b || b.kind !== 'local' || b.array) {
      ctx.error('notAssignable', ctx.pos(frame.doc, into.pointer), { name: into.name, what: b ? 'not a scalar local' : 'not a declared local' }, into.pointer);
      return undefined;
    }
    return { offset: b.offset, decl: b.decl };
  };

  /** flush_work and cancel_work_sync: the flush starts (notes the run), then its wait ends (README). */
  const lowerFlush = (
    frame: Frame,
    s: Extract<AstStmt, { kind: 'flush_work' | 'cancel_work_sync' }>,
    base: { src: SourcePos; frames: string[]; callSite?: SourcePos },
  ) => {
    const ref = itemRef(frame, s.work, layout.works, 'unknownWork', 'work item');
    const into = s.into && intoLocal(frame, s.into);
    if (!ref || (s.into && !into)) return;
    const { entry: w, index, ixReads, srcText } = ref;
    const f = w.flushed!; // resolve.ts flushedWorks() found this statement
    const cancel = s.kind === 'cancel_work_sync';
    const work: WorkSlots = {
      entry: entryIndex(w),
      name: w.name,
      items: w.items,
      pending: w.pending,
      running: f.running,
      disabled: f.disabled,
      waits: f.waits,
      threads: lw.threads,
    };
    const pending = slotRange(w.pending, w.items);
    const running = slotRange(f.running, w.items);
    const waits = slotRange(f.waits, lw.threads);
    const disabled = cancel ? slotRange(f.disabled, w.items) : [];
    emit(
      {
        op: 'flush_begin',
        ...(index ? { item: index } : {}),
        work,
        cancel,
        into: into ? into.offset : -1,
        ...(into?.decl ? { intoVar: into.decl } : {}),
        text: `${s.kind}(${srcText})`,
        ...base,
      },
      { reads: unionSlots(ixReads, pending, running, waits, disabled), writes: unionSlots(waits, cancel ? pending : [], disabled) },
    );
    emit(
      { op: 'flush_wait', work, cancel, text: `${s.kind}(${srcText}): wait for the run`, ...base },
      { reads: unionSlots(waits, disabled), writes: unionSlots(waits, disabled) },
    );
  };
  const entryIndex = (w: PlacedWork) => [...layout.works.keys()].indexOf(w.name);

  const lowerCompletion = (frame: Frame, act: CompletionKind, t: Text, base: { src: SourcePos; frames: string[]; callSite?: SourcePos }) => {
    const ref = itemRef<PlacedCompletion>(frame, t, layout.completions, 'unknownCompletion', 'completion');
    if (!ref) return;
    const { entry: c, index, ixReads, srcText } = ref;
    const slots = slotRange(c.slot, c.size);
    emit(
      {
        op: 'completion',
        act,
        ...(index ? { item: index } : {}),
        slot: c.slot,
        size: c.size,
        name: c.name,
        items: c.cls ? c.cls.instances.map((i) => `${c.name}[${instances[i].short}]`) : [c.name],
        text: `${act}(${srcText})`,
        ...base,
      },
      { reads: unionSlots(ixReads, slots), writes: slots },
    );
  };

  const lowerCall = (frame: Frame, s: CallNode) => {
    const pointer = s.where.pointer;
    const p = sym.normalised.procedures.get(s.proc);
    if (!p) {
      ctx.error(
        'unknownProcedure',
        ctx.pos(frame.doc, `${pointer}/call`),
        { name: s.proc, suggest: suggest(s.proc, sym.normalised.procedures.keys()) },
        `${pointer}/call`,
      );
      return;
    }
    const args = s.args;
    const params = p.value.params;
    if (args.length !== params.length) {
      ctx.error(
        'argumentCount',
        ctx.pos(frame.doc, `${pointer}/${s.hasArgs ? 'args' : 'call'}`),
        { name: s.proc, expected: params.length, actual: args.length },
        pointer,
      );
      return;
    }
    if (sym.recursive.has(s.proc) || frame.frames.includes(s.proc)) return; // reported once by findRecursion
    if (frame.frames.length >= MAX_CALL_DEPTH) {
      const chain = [...frame.frames.slice(0, 2), '...', ...frame.frames.slice(-2), s.proc].join(' -> ');
      ctx.error('callsTooDeep', ctx.pos(frame.doc, pointer), { max: MAX_CALL_DEPTH, chain }, pointer);
      throw new TooMuchCode();
    }
    // checked at each call, before the callee's body: a chain that doubles at each level stops at the bound
    codeBound(frame, pointer, `inlining ${s.proc} here`);
    lw.calledProcs.add(s.proc);
    let returnTarget: IrLValue | undefined;
    if (s.into !== undefined) returnTarget = lvalue(frame, s.into).lv;
    const callSite = frame.callSite ?? ctx.pos(frame.doc, pointer);
    const callee: Frame = {
      calls: [...frame.calls, ctx.pos(frame.doc, pointer)],
      scope: new Map(),
      doc: p.doc,
      proc: s.proc,
      returnTarget,
      returnJumps: [],
      frames: [...frame.frames, s.proc],
      callSite,
      trySlots: new Map(),
    };
    const src = ctx.pos(frame.doc, pointer);
    const mark = nextSlot; // the callee's slots live from here to the end of the call
    const byRef = new Set(p.value.byRef);
    p.value.byRef.forEach((n, k) => {
      if (!params.includes(n)) ctx.error('byRefUnknown', ctx.pos(p.doc, `${p.pointer}/by_ref/${k}`), { name: n, proc: s.proc }, `${p.pointer}/by_ref/${k}`);
    });
    // Arguments: an array passes by reference (rtnl_nets is a struct passed by pointer); a value by copy.
    params.forEach((name, k) => {
      const a = args[k];
      const argPtr = a.pointer;
      const asName = typeof a.src === 'string' && /^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(a.src) ? a.src.trim() : undefined;
      const b = asName ? env(frame, argPtr, 0, false).lookup(asName) : undefined;
      if (b && b.kind !== 'const' && b.array) {
        callee.scope.set(name, b);
        return;
      }
      if (byRef.has(name)) {
        // An out-parameter (e.g. rtnl_nets->len): the callee's writes go to the caller's variable.
        if (!b || b.kind === 'const') {
          ctx.error(
            'notAssignable',
            ctx.pos(frame.doc, argPtr),
            {
              name: String(a.src),
              what: b
                ? 'constant, but parameter "' + name + '" of ' + s.proc + ' is passed by reference'
                : 'expression, but parameter "' + name + '" of ' + s.proc + ' is passed by reference',
            },
            argPtr,
          );
          return;
        }
        callee.scope.set(name, b);
        return;
      }
      const v = expr(frame, a);
      const offset = alloc(`${s.proc}.${name}`, 1, undefined, { frame: s.proc });
      const decl = { name, frame: s.proc };
      callee.scope.set(name, { kind: 'local', offset, size: 1, array: false, decl });
      emit(
        {
          op: 'assign',
          target: { ...localLv(offset, name), decl },
          value: v.ir,
          role: 'param',
          text: `${name} = ${a.src}`,
          src,
          frames: callee.frames,
          callSite: callee.callSite,
          calls: callee.calls,
        },
        { reads: v.reads },
      );
    });
    // Procedure locals start from their declared value at every call (a call may sit in a loop).
    for (const sl of declareLocals(callee, p.value.locals, `${p.pointer}/locals`)) {
      const v = sl.init ? expr(callee, { src: sl.init.src, pointer: sl.init.pointer, at: 0 }) : { ir: irConst(0), reads: [] };
      for (let k = 0; k < sl.size; k++)
        emit(
          {
            op: 'assign',
            target: { ...localLv(sl.offset + k, sl.name), decl: { name: sl.array ? `${sl.name}[${k}]` : sl.name, frame: s.proc } },
            value: v.ir,
            role: 'init',
            text: `${sl.name} = ${sl.init?.src ?? 0}`,
            src,
            frames: callee.frames,
            callSite: callee.callSite,
            calls: callee.calls,
          },
          { reads: v.reads },
        );
    }
    lowerBody(callee, p.value.body);
    for (const j of callee.returnJumps) (code[j] as { target: number }).target = here();
    freeSlotsFrom(mark, src, callee.frames, callee.callSite, callee.calls);
  };

  const frame: Frame = {
    scope: new Map([['self', { kind: 'local', offset: selfOffset, size: 1, array: false, decl: selfDecl }]]),
    doc,
    returnJumps: [],
    frames: [],
    calls: [],
    trySlots: new Map(),
  };
  const threadLocals = declareLocals(frame, t.locals, `${ptr}/locals`);
  try {
    lowerBody(frame, t.body);
  } catch (e) {
    if (!(e instanceof TooMuchCode)) throw e;
    code.length = 0; // reported; the spec does not compile
    lw.overBound = true;
  }
  if (worker) {
    code.push({
      op: 'work_return',
      ...(worker.run ? { run: worker.run } : {}),
      src: ctx.pos(doc, ptr),
      text: `${t.name} returns`,
      frames: [],
      access: worker.run ? { ...NO_ACCESS, ...runAccess(worker.run) } : NO_ACCESS,
    });
    code.push({ op: 'jump', target: 0, src: ctx.pos(doc, ptr), text: 'back to waiting for work', frames: [], access: NO_ACCESS });
  }
  code.push({ op: 'end', src: ctx.pos(doc, ptr), text: 'end', frames: [], access: NO_ACCESS });
  lw.instructions += code.length;

  // Initial values of thread locals may use `self`; procedure locals are set at each call instead.
  const threadInits = threadLocals.filter((sl) => sl.init);
  const init = (i: number) => {
    const vals = new Array<number>(maxSlot).fill(0);
    vals[selfOffset - localsBase] = i;
    for (const sl of threadInits) {
      const v = evalConst(sym, ctx, sl.init!.src, sl.init!.doc, sl.init!.pointer, { self: i });
      if (v !== undefined) vals.fill(v, sl.offset - localsBase, sl.offset - localsBase + sl.size);
    }
    return vals;
  };
  if (threadInits.length > 0) init(0); // report init errors once, not per copy
  return {
    code,
    init: (i: number) => (i === 0 ? init(0) : ctx.quietly(() => init(i))),
    localNames: slots.map(({ init: _init, ...name }) => name),
    usesSync,
  };
}

/** Final assertions: over shared state only, checked where a run has ended. */
export function lowerFinals(lw: Lowering): FinalAssert<IrExpr>[] {
  const { sym, layout, ctx } = lw;
  const spec = sym.normalised.spec;
  return (sym.normalised.file.final ?? []).map((f, k) => {
    const pointer = `/final/${k}/assert`;
    let cond: IrExpr;
    try {
      cond = compileExpr(parseExpr(f.assert), {
        lookup: (n) => {
          if (n in sym.params) return { kind: 'const', value: sym.params[n] };
          const v = layout.varSlots.get(n);
          if (v)
            return {
              kind: 'global',
              offset: v.global.offset,
              size: v.global.size,
              array: v.resolved.array,
              guard: v.global.guard,
              name: v.global.name,
              indexedBy: v.global.indexedBy,
            };
          const id = sym.instanceByName.get(n);
          return id === undefined ? undefined : instanceConst(sym, id);
        },
        classes: sym.classes,
        instances: sym.instances,
        classByName: sym.classByName,
        knownAttrs: sym.knownAttrs,
        error: (at, kind, name) => {
          if (kind === 'unknownName')
            ctx.error(
              'unknownVariable',
              ctx.posIn(spec, pointer, at),
              {
                name,
                suggest: `; final assertions see shared vars, params and instances only${suggest(name, [...layout.varSlots.keys(), ...Object.keys(sym.params)])}`,
              },
              pointer,
            );
          else ctx.error('expressionSyntax', ctx.posIn(spec, pointer, at), { reason: `${kind} ${name}` }, pointer);
        },
      }).ir;
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      ctx.error('expressionSyntax', ctx.posIn(spec, pointer, e.at), { reason: e.message }, pointer);
      cond = irConst(1);
    }
    return { cond, message: f.message ?? `final: ${f.assert}`, src: ctx.pos(spec, `/final/${k}`) };
  });
}

/**
 * Is a procedure's param used as an array: indexed somewhere in its body (in an expression or inside a lock
 * reference's index), or passed on to a param that is?
 */
export function arrayParam(sym: Symbols, proc: string, param: string, visiting = new Set<string>()): boolean {
  const d = sym.normalised.procedures.get(proc);
  if (!d || visiting.has(proc)) return false;
  visiting.add(proc);
  const indexes = (t: Text, as: 'expr' | 'lockRef'): boolean => {
    try {
      const e = as === 'expr' ? parseExpr(t.src) : parseLockRef(String(t.src)).index;
      return e !== undefined && indexesName(e, param);
    } catch {
      return false;
    }
  };
  const visit = (body: AstStmt[]): boolean =>
    body.some(
      (s) =>
        textsOf(s).some(({ text, as }) => indexes(text, as)) ||
        (s.kind === 'call' &&
          s.args.some((a, k) => {
            const callee = sym.normalised.procedures.get(s.proc);
            return (
              typeof a.src === 'string' &&
              a.src.trim() === param &&
              callee?.value.params[k] !== undefined &&
              arrayParam(sym, s.proc, callee.value.params[k], visiting)
            );
          })) ||
        childBodies(s).some(visit),
    );
  return visit(d.value.body);
}

function indexesName(e: ReturnType<typeof parseExpr>, name: string): boolean {
  return (e.t === 'index' && e.base.t === 'name' && e.base.name === name) || children(e).some((c) => indexesName(c, name));
}

function localLv(offset: number, name: string): IrLValue {
  return { global: false, offset, size: 1, indexReads: [], name, guard: -1 };
}

/** The shared slots a write to lv may change: the whole array when it is indexed. */
function lvSlots(lv: IrLValue): readonly number[] {
  return lv.global ? slotRange(lv.offset, lv.size) : [];
}

/** Reading what lv names: a slot, or an array element. */
function readLv(lv: IrLValue): IrExpr {
  const { global: shared, offset, size, name, index } = lv;
  return index ? { e: 'element', shared, offset, size, name, index } : { e: 'slot', shared, offset, name };
}
