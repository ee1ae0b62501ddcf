// Stage "validate" (names and semantics) and "compile": lowers a loaded, schema-valid spec and its imported
// models into the data IR (IrModel: instructions with access sets, expressions as plain objects), then links
// it (model/link.ts) into the CompiledModel the explorer runs. Procedures are inlined at each call site (so
// recursion is rejected), the lock shorthand becomes acquire/release instructions, and every instruction
// keeps its source position.
import { CodeName } from '../diagnostics/codes';
import { diag, Diagnostic, SourcePos, suggest } from '../diagnostics/diagnostic';
import { ExprSyntaxError, parseExpr, parseLockRef } from '../spec/expressions';
import { escapePointer, nearestSpan, positionInString } from '../spec/json-positions';
import { Loaded, SourceDoc } from '../spec/load';
import { parseShorthand, ShorthandError } from '../spec/shorthand';
import { LocalDecl, LockDecl, NotifierDecl, ProcDecl, SpecFile, Stmt, ThreadDecl, VarDecl, WorkDecl } from '../spec/types';
import { lockKind } from './lock-kinds';
import { Binding, CompiledExpr, compileExpr, ExprEnv, FUNCTION_LIST, slotRange, unionSlots } from './expr-compile';
import { IrExpr, irConst } from './ir-expr';
import { evaluateConstant, link, ModelRuntimeError } from './link';
import {
  Access,
  CompiledModel,
  IrModel,
  FinalAssert,
  GlobalVar,
  Instr,
  InstrWithoutAccess,
  LockClass,
  LockInstance,
  LValue,
  NO_ACCESS,
  T_HELD,
  ThreadProg,
} from './ir';

type IrLValue = LValue<IrExpr>;

export interface CompileOptions {
  /** --param NAME=VALUE overrides */
  params?: Record<string, number>;
  /** --without LOCK: drop every acquisition and release of these locks (classes or instances) */
  without?: string[];
  /** for attributes declared "any": "lock.attr" -> instance names in ascending order */
  attrOrders?: Record<string, string[]>;
}

interface Declared<T> {
  value: T;
  doc: SourceDoc;
  pointer: string;
}

const DEFAULT_MAX_HELD = 8;
/** attributes declared "any" are checked in every order: at most this many orders */
export const MAX_ORDERS = 720;
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const MAX_INSTANCES = 1 << 20;
/** a state is this many 32-bit slots at most: the store allocates states 4096 at a time (256 MiB at this width) */
export const MAX_STATE_WIDTH = 1 << 14;

class Ctx {
  diagnostics: Diagnostic[] = [];
  constructor(public loaded: Loaded) {}
  pos(doc: SourceDoc, pointer: string, key = false): SourcePos {
    const sp = (key && doc.doc.spans.get(`${pointer}#key`)) || nearestSpan(doc.doc, pointer);
    return { file: doc.display, line: sp.line, col: sp.col };
  }
  posIn(doc: SourceDoc, pointer: string, at: number): SourcePos {
    const p = positionInString(doc.doc, pointer, at);
    return { file: doc.display, ...p };
  }
  error(name: CodeName, pos: SourcePos, args: Record<string, string | number> = {}, pointer?: string) {
    this.diagnostics.push(diag(name, pos, args, pointer));
  }
}

/**
 * The data IR of a loaded spec (`ir`, expressions as plain objects: what --dump ir prints) and, linked from
 * it, the model the explorer runs (`model`); or the diagnostics that stop it.
 */
export function compile(loaded: Loaded, options: CompileOptions = {}): { model?: CompiledModel; ir?: IrModel; diagnostics: Diagnostic[] } {
  const ctx = new Ctx(loaded);
  const docs = [...loaded.models, loaded.spec];
  const spec = loaded.spec.doc.value as SpecFile;

  // --- collect declarations from every file ---------------------------------------------------------
  const collect = <T>(member: 'locks' | 'vars' | 'procedures' | 'notifiers' | 'works', what: string): Map<string, Declared<T>> => {
    const out = new Map<string, Declared<T>>();
    for (const doc of docs) {
      const table = (doc.doc.value as Record<string, Record<string, T> | undefined>)[member];
      if (!table) continue;
      for (const [name, value] of Object.entries(table)) {
        const pointer = `/${member}/${escapePointer(name)}`;
        const prev = out.get(name);
        if (prev) {
          ctx.error(
            'duplicateName',
            ctx.pos(doc, pointer, true),
            { what, name, where: `also declared at ${prev.doc.display}:${ctx.pos(prev.doc, prev.pointer, true).line}` },
            pointer,
          );
          continue;
        }
        out.set(name, { value, doc, pointer });
      }
    }
    return out;
  };
  const lockDecls = collect<LockDecl>('locks', 'lock');
  const varDecls = collect<VarDecl>('vars', 'shared var');
  const procDecls = collect<ProcDecl>('procedures', 'procedure');
  const notifierDecls = collect<NotifierDecl>('notifiers', 'notifier chain');
  const workDecls = collect<WorkDecl>('works', 'work item');

  // params: models give defaults, the spec overrides them, the command line overrides both
  // no prototype: a name such as "toString" must not be found on Object.prototype
  const params: Record<string, number> = Object.create(null);
  for (const doc of docs) Object.assign(params, (doc.doc.value as { params?: Record<string, number> }).params ?? {});
  Object.assign(params, options.params ?? {});

  const constEnvError = (doc: SourceDoc, pointer: string) => (at: number, _k: string, name: string) =>
    ctx.error('unknownVariable', ctx.posIn(doc, pointer, at), { name, suggest: suggest(name, Object.keys(params)) }, pointer);
  const evalConst = (src: number | string, doc: SourceDoc, pointer: string, extra: Record<string, number> = Object.create(null)): number | undefined => {
    try {
      const e = parseExpr(src);
      let ok = true;
      const env: ExprEnv = {
        lookup: (n) =>
          Object.hasOwn(extra, n)
            ? { kind: 'const', value: extra[n] }
            : n in params
              ? { kind: 'const', value: params[n] }
              : instanceByName.has(n)
                ? { kind: 'const', value: instanceByName.get(n)! }
                : undefined,
        classes,
        instances,
        classByName,
        knownAttrs,
        error: (at, k, name) => {
          ok = false;
          constEnvError(doc, pointer)(at, k, name);
        },
      };
      const c = compileExpr(e, env);
      if (!ok) return undefined;
      return evaluateConstant(c.ir, { classes, instances });
    } catch (err) {
      if (err instanceof ExprSyntaxError) ctx.error('expressionSyntax', ctx.posIn(doc, pointer, err.at), { reason: err.message }, pointer);
      else if (err instanceof ModelRuntimeError) ctx.error('expressionSyntax', ctx.pos(doc, pointer), { reason: err.message }, pointer);
      else throw err;
      return undefined;
    }
  };
  const positiveInt = (v: number | string, doc: SourceDoc, pointer: string, what: string, allowZero = false): number | undefined => {
    const n = evalConst(v, doc, pointer);
    if (n === undefined) return undefined;
    if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > MAX_INSTANCES) {
      ctx.error('badCount', ctx.pos(doc, pointer), { what, value: String(n) }, pointer);
      return undefined;
    }
    return n;
  };

  // --- locks: classes and instances ---------------------------------------------------------------
  const classes: LockClass[] = [];
  const instances: LockInstance[] = [];
  const classByName = new Map<string, LockClass>();
  const instanceByName = new Map<string, number>();
  const knownAttrs = new Set<string>();
  // what takes room in a state, so that a state too wide is blamed on its biggest part
  const parts: { what: string; slots: number; doc: SourceDoc; pointer: string }[] = [];
  const tooWide = (width: number) => {
    if (width <= MAX_STATE_WIDTH) return false;
    const big = parts.reduce((a, b) => (b.slots > a.slots ? b : a));
    ctx.error('stateTooWide', ctx.pos(big.doc, big.pointer), { width, max: MAX_STATE_WIDTH, part: `${big.what} ${big.slots}` }, big.pointer);
    return true;
  };
  for (const [name, d] of lockDecls) {
    const cls: LockClass = { id: classes.length, name, kind: d.value.kind, instances: [], hasInstances: d.value.instances !== undefined, cmp: d.value.cmp };
    classes.push(cls);
    classByName.set(name, cls);
    let names: string[] = [name];
    const inst = d.value.instances;
    if (Array.isArray(inst)) names = inst;
    else if (inst) {
      const n = positiveInt(inst.count, d.doc, `${d.pointer}/instances/count`, 'an instance count');
      names = n === undefined ? [] : Array.from({ length: n }, (_, i) => `${inst.prefix}${i}`);
    }
    names.forEach((short, idx) => {
      const id = instances.length;
      const display = cls.hasInstances ? `${name}[${short}]` : name;
      if (cls.hasInstances) {
        const clash = instanceByName.has(short) || (lockDecls.has(short) && short !== name);
        if (clash) {
          const ptr = Array.isArray(inst) ? `${d.pointer}/instances/${idx}` : `${d.pointer}/instances`;
          ctx.error(
            'duplicateName',
            ctx.pos(d.doc, ptr),
            { what: 'instance name', name: short, where: 'instance names are used in expressions, so they must be unique across all lock classes' },
            ptr,
          );
        }
        instanceByName.set(short, id);
      }
      instances.push({ id, cls: cls.id, name: display, short, attrs: {} });
      cls.instances.push(id);
    });
    parts.push({
      what: `the ${names.length} instances of ${name} take`,
      slots: 2 * names.length,
      doc: d.doc,
      pointer: inst ? `${d.pointer}/instances` : d.pointer,
    });
  }
  // each instance takes two slots; stop before computing attributes and orders of a million instances
  if (tooWide(2 * instances.length)) return { diagnostics: dedupe(ctx.diagnostics) };
  // attributes
  const anyAttrs: CompiledModel['anyAttrs'] = [];
  let orderCount = 1;
  for (const [name, d] of lockDecls) {
    const cls = classByName.get(name)!;
    for (const [attr, table] of Object.entries(d.value.attrs ?? {})) {
      knownAttrs.add(attr);
      const ptr = `${d.pointer}/attrs/${escapePointer(attr)}`;
      if (table === 'any') {
        // Unordered addresses: the pipeline tries every order. Without a chosen order, declaration order.
        const order = options.attrOrders?.[`${name}.${attr}`] ?? cls.instances.map((i) => instances[i].short);
        cls.instances.forEach((id) => (instances[id].attrs[attr] = (order.indexOf(instances[id].short) + 1) * 100));
        anyAttrs.push({ lock: name, attr, instances: cls.instances.map((i) => instances[i].short) });
        orderCount *= factorial(cls.instances.length);
        if (orderCount > MAX_ORDERS) ctx.error('tooManyOrders', ctx.pos(d.doc, ptr), { count: orderCount, max: MAX_ORDERS }, ptr);
        continue;
      }
      if (typeof table === 'string') {
        cls.instances.forEach((id, i) => {
          const v = evalConst(table, d.doc, ptr, { i });
          if (v !== undefined) instances[id].attrs[attr] = v;
        });
        continue;
      }
      for (const [instName, v] of Object.entries(table)) {
        const id = instanceByName.get(instName);
        if (id === undefined || instances[id].cls !== cls.id) {
          ctx.error(
            'unknownInstance',
            ctx.pos(d.doc, `${ptr}/${escapePointer(instName)}`, true),
            { lock: name, name: instName, instances: cls.instances.map((i) => instances[i].short).join(', ') },
            `${ptr}/${escapePointer(instName)}`,
          );
          continue;
        }
        instances[id].attrs[attr] = typeof v === 'number' ? v : 0;
      }
    }
  }
  // cmp rules
  for (const [name, d] of lockDecls) {
    const cls = classByName.get(name)!;
    if (!d.value.cmp) continue;
    let ok = true;
    d.value.cmp.forEach((r, k) => {
      const ptr = `${d.pointer}/cmp/${k}`;
      if ('first' in r) {
        const id = instanceByName.get(r.first);
        if (id === undefined || instances[id].cls !== cls.id) {
          ok = false;
          ctx.error('cmpReference', ctx.pos(d.doc, `${ptr}/first`), { reason: `"${r.first}" is not an instance of ${name}` }, `${ptr}/first`);
        }
      } else if (!cls.instances.some((i) => r.by in instances[i].attrs)) {
        ok = false;
        ctx.error('cmpReference', ctx.pos(d.doc, `${ptr}/by`), { reason: `no instance of ${name} has the attribute "${r.by}"` }, `${ptr}/by`);
      }
    });
    if (ok) cls.cmpRules = d.value.cmp.map((r) => ('first' in r ? { first: instanceByName.get(r.first)! } : { by: r.by, order: r.order ?? 'asc' }));
  }

  // --- shared variables ----------------------------------------------------------------------------
  const globals: GlobalVar[] = [];
  let nextGlobal = 0;
  const globalByName = new Map<string, GlobalVar>();
  for (const [name, d] of varDecls) {
    const size = d.value.array === undefined ? 1 : (positiveInt(d.value.array, d.doc, `${d.pointer}/array`, 'an array size') ?? 1);
    const initSrc = d.value.init;
    let init: number[];
    if (Array.isArray(initSrc)) {
      // one value per element: the initial contents of a table (devices present at the start, ...)
      if (initSrc.length !== size)
        ctx.error(
          'badCount',
          ctx.pos(d.doc, `${d.pointer}/init`),
          { what: `"init" of ${name} needs ${size} values (its array size); it`, value: `${initSrc.length}` },
          `${d.pointer}/init`,
        );
      init = Array.from({ length: size }, (_, k) => (k < initSrc.length ? (evalConst(initSrc[k], d.doc, `${d.pointer}/init/${k}`) ?? 0) : 0));
    } else {
      const v = initSrc === undefined ? 0 : (evalConst(initSrc, d.doc, `${d.pointer}/init`) ?? 0);
      init = new Array<number>(size).fill(v);
    }
    let guard = -1;
    if (d.value.guard === 'rcu')
      guard = -2; // RCU-protected: read under rcu_read_lock(), stable only inside it
    else if (d.value.guard !== undefined && d.value.guard !== 'none') {
      const g = constantLockRef(d.value.guard);
      if (g === undefined) ctx.error('guardUnknown', ctx.pos(d.doc, `${d.pointer}/guard`), { name, guard: d.value.guard }, `${d.pointer}/guard`);
      else guard = g;
    }
    const g: GlobalVar = { name, offset: nextGlobal, size, init, guard };
    nextGlobal += size;
    parts.push({ what: `shared var ${name} takes`, slots: size, doc: d.doc, pointer: d.value.array === undefined ? d.pointer : `${d.pointer}/array` });
    globals.push(g);
    globalByName.set(name, g);
  }
  function constantLockRef(ref: string): number | undefined {
    try {
      const r = parseLockRef(ref);
      const cls = classByName.get(r.lock);
      if (!cls) return undefined;
      if (!r.index) return cls.hasInstances ? undefined : cls.instances[0];
      if (r.index.t !== 'name') return undefined;
      const id = instanceByName.get(r.index.name);
      return id !== undefined && instances[id].cls === cls.id ? id : undefined;
    } catch {
      return undefined;
    }
  }

  // work items: one pending flag each (per instance for "per" items), kept with the shared vars
  const works = new Map<string, { decl: Declared<WorkDecl>; pending: number; cls?: LockClass }>();
  for (const [name, d] of workDecls) {
    let cls: LockClass | undefined;
    if (d.value.per !== undefined) {
      cls = classByName.get(d.value.per);
      if (!cls) {
        ctx.error(
          'unknownLock',
          ctx.pos(d.doc, `${d.pointer}/per`),
          { name: d.value.per, suggest: suggest(d.value.per, classByName.keys()) },
          `${d.pointer}/per`,
        );
        continue;
      }
    }
    if (!procDecls.has(d.value.proc)) {
      ctx.error(
        'unknownProcedure',
        ctx.pos(d.doc, `${d.pointer}/proc`),
        { name: d.value.proc, suggest: suggest(d.value.proc, procDecls.keys()) },
        `${d.pointer}/proc`,
      );
      continue;
    }
    const size = cls ? cls.instances.length : 1;
    const g: GlobalVar = { name: `${name} pending`, offset: nextGlobal, size, init: new Array<number>(size).fill(0), guard: -1 };
    nextGlobal += size;
    globals.push(g);
    works.set(name, { decl: d, pending: g.offset, cls });
  }
  for (const [name, d] of notifierDecls)
    d.value.handlers.forEach((h, k) => {
      if (!procDecls.has(h))
        ctx.error(
          'unknownProcedure',
          ctx.pos(d.doc, `${d.pointer}/handlers/${k}`),
          { name: h, suggest: suggest(h, procDecls.keys()) },
          `${d.pointer}/handlers/${k}`,
        );
      else if ((procDecls.get(h)!.value.params ?? []).length !== (d.value.params ?? []).length)
        ctx.error(
          'argumentCount',
          ctx.pos(d.doc, `${d.pointer}/handlers/${k}`),
          { name: h, expected: (procDecls.get(h)!.value.params ?? []).length, actual: `the chain ${name} passes ${(d.value.params ?? []).length}, so` },
          `${d.pointer}/handlers/${k}`,
        );
    });

  const maxHeld = spec.options?.max_held ?? DEFAULT_MAX_HELD;
  const locksBase = nextGlobal;
  const threadsBase = locksBase + 2 * instances.length;
  // before lowering the threads, which would take long on such a spec
  if (tooWide(threadsBase)) return { diagnostics: dedupe(ctx.diagnostics) };

  // --- procedures: reject recursion before inlining --------------------------------------------------
  const recursive = findRecursion(procDecls, notifierDecls, ctx);

  // --- threads ---------------------------------------------------------------------------------------
  const without = new Set(options.without ?? []);
  const threads: ThreadProg<IrExpr>[] = [];
  const threadNames = new Set<string>();
  const calledProcs = new Set<string>();
  type Lowered = ReturnType<typeof lowerThread>;
  const programs: { name: string; decl: string; lowered: Lowered; index: number; worker: boolean }[] = [];
  if (spec.threads.length === 0) ctx.error('emptyThreads', ctx.pos(loaded.spec, '/threads'), {}, '/threads');
  spec.threads.forEach((t, k) => {
    const ptr = `/threads/${k}`;
    if (threadNames.has(t.name))
      ctx.error('duplicateName', ctx.pos(loaded.spec, `${ptr}/name`), { what: 'thread', name: t.name, where: 'give each thread its own name' }, `${ptr}/name`);
    threadNames.add(t.name);
    const count = t.count === undefined ? 1 : positiveInt(t.count, loaded.spec, `${ptr}/count`, 'a thread count');
    if (count === undefined) return;
    const lowered = lowerThread(t, ptr, loaded.spec);
    for (let i = 0; i < count; i++) programs.push({ name: t.count === undefined ? t.name : `${t.name}[${i}]`, decl: t.name, lowered, index: i, worker: false });
  });
  // A worker per work item (per instance for "per" items): idle until queued, then runs the procedure.
  for (const [name, w] of works) {
    const targets = w.cls ? w.cls.instances.map((i) => instances[i].short) : [undefined];
    targets.forEach((inst, k) => {
      const decl: ThreadDecl = { name, body: [{ call: w.decl.value.proc, args: inst === undefined ? [] : [inst] }] };
      const lowered = lowerThread(decl, w.decl.pointer, w.decl.doc, w.pending + k);
      programs.push({ name: inst === undefined ? `kworker/${name}` : `kworker/${name}[${inst}]`, decl: `kworker/${name}`, lowered, index: 0, worker: true });
    });
  }
  // The spec's own procedures are checked even when no thread calls them. Imported models are checked where
  // they are used: their procedures may rely on declarations that only the specs using them provide.
  for (const [name, d] of procDecls) {
    if (calledProcs.has(name) || recursive.has(name) || d.doc !== loaded.spec) continue;
    const params = d.value.params ?? [];
    const locals = Object.fromEntries(params.map((p) => [p, arrayParam(name, p, new Set()) ? { array: 1 } : 0]));
    withoutCode(() => lowerThread({ name: `(check ${name})`, locals, body: [{ call: name, args: params }] }, d.pointer, d.doc));
  }
  // Layout: every thread's slots, then (when it synchronizes RCU/SRCU) one snapshot slot per thread.
  let base = threadsBase;
  const T = programs.length;
  for (const p of programs) {
    const init = p.lowered.init(p.index);
    const snap = p.lowered.usesSync ? T : 0;
    threads.push({
      name: p.name,
      decl: p.decl,
      code: p.lowered.code,
      base,
      initLocals: [...init, ...new Array<number>(snap).fill(0)],
      localNames: p.lowered.localNames,
      worker: p.worker,
      snapOffset: snap > 0 ? T_HELD + maxHeld + init.length : -1,
    });
    base += T_HELD + maxHeld + init.length + snap;
  }

  // Final assertions: over shared state only, checked where a run has ended.
  const finals: FinalAssert<IrExpr>[] = (spec.final ?? []).map((f, k) => {
    const pointer = `/final/${k}/assert`;
    const c = globalExpr(f.assert, loaded.spec, pointer);
    return { cond: c.ir, message: f.message ?? `final: ${f.assert}`, src: ctx.pos(loaded.spec, `/final/${k}`) };
  });

  function globalExpr(src: number | string, doc: SourceDoc, pointer: string): CompiledExpr {
    try {
      return compileExpr(parseExpr(src), {
        lookup: (n) => {
          if (n in params) return { kind: 'const', value: params[n] };
          const g = globalByName.get(n);
          if (g) return { kind: 'global', offset: g.offset, size: g.size, array: varDecls.get(n)!.value.array !== undefined, guard: g.guard, name: g.name };
          const id = instanceByName.get(n);
          return id === undefined ? undefined : { kind: 'const', value: id };
        },
        classes,
        instances,
        classByName,
        knownAttrs,
        error: (at, kind, name) => {
          if (kind === 'unknownName')
            ctx.error(
              'unknownVariable',
              ctx.posIn(doc, pointer, at),
              {
                name,
                suggest: `; final assertions see shared vars, params and instances only${suggest(name, [...globalByName.keys(), ...Object.keys(params)])}`,
              },
              pointer,
            );
          else ctx.error('expressionSyntax', ctx.posIn(doc, pointer, at), { reason: `${kind} ${name}` }, pointer);
        },
      });
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      ctx.error('expressionSyntax', ctx.posIn(doc, pointer, e.at), { reason: e.message }, pointer);
      return { ir: irConst(1), reads: [] };
    }
  }

  /** Is a procedure's param used as an array: indexed in its body, or passed on to an array param? */
  function arrayParam(proc: string, param: string, visiting: Set<string>): boolean {
    const d = procDecls.get(proc);
    if (!d || visiting.has(proc)) return false;
    visiting.add(proc);
    const text = JSON.stringify(d.value.body);
    if (new RegExp(`\\b${param}\\s*\\[`).test(text)) return true;
    let found = false;
    const scan = (body: Stmt[] | undefined) =>
      (body ?? []).forEach((st) => {
        if ('call' in st)
          (st.args ?? []).forEach((a, k) => {
            const callee = procDecls.get(st.call);
            if (!found && typeof a === 'string' && a.trim() === param && callee?.value.params?.[k])
              found = arrayParam(st.call, callee.value.params[k], visiting);
          });
        if ('if' in st) {
          scan(st.then);
          scan(st.else);
        }
        if ('choose' in st) st.choose.forEach(scan);
        if ('for' in st || 'foreach' in st) scan((st as { do: Stmt[] }).do);
      });
    scan(d.value.body);
    return found;
  }

  function withoutCode(f: () => void) {
    f(); // diagnostics stay; the code is dropped
  }

  function lowerThread(t: ThreadDecl, ptr: string, doc: SourceDoc, workerPending = -1) {
    const code: Instr<IrExpr>[] = [];
    let usesSync = false;
    if (workerPending >= 0)
      code.push({
        op: 'idle',
        pending: workerPending,
        src: ctx.pos(doc, ptr),
        text: `wait for ${t.name} to be queued`,
        frames: [],
        access: { ...NO_ACCESS, reads: [workerPending], writes: [workerPending] },
      });
    const localsBase = T_HELD + maxHeld;
    const slots: { name: string; offset: number; size: number; init?: { src: number | string; doc: SourceDoc; pointer: string } }[] = [];
    let nextSlot = 0;
    let maxSlot = 0;
    const alloc = (name: string, size: number, init?: { src: number | string; doc: SourceDoc; pointer: string }): number => {
      const offset = localsBase + nextSlot;
      nextSlot += size;
      maxSlot = Math.max(maxSlot, nextSlot);
      slots.push({ name, offset, size, init });
      return offset;
    };
    /** Dead slots are zeroed (states that differ only in dead values are one state) and reused. */
    const freeSlotsFrom = (mark: number, src: SourcePos, frames: string[], callSite?: SourcePos) => {
      for (let k = mark; k < nextSlot; k++)
        emit({ op: 'assign', target: localLv(localsBase + k, '(dead)'), value: irConst(0), text: 'forget a dead local', src, frames, callSite });
      nextSlot = mark;
    };
    const selfOffset = alloc('self', 1);

    type Frame = {
      scope: Map<string, Binding>;
      doc: SourceDoc;
      proc?: string;
      returnTarget?: IrLValue;
      returnJumps: number[];
      frames: string[];
      callSite?: SourcePos;
    };

    const declareLocals = (frame: Frame, locals: Record<string, LocalDecl> | undefined, pointer: string) => {
      const declared: typeof slots = [];
      for (const [name, decl] of Object.entries(locals ?? {})) {
        const lp = `${pointer}/${escapePointer(name)}`;
        if (frame.scope.has(name)) {
          ctx.error('duplicateName', ctx.pos(frame.doc, lp, true), { what: 'local', name, where: 'a local may not shadow a parameter or another local' }, lp);
          continue;
        }
        const isObj = typeof decl === 'object';
        const size = isObj && decl.array !== undefined ? (positiveInt(decl.array, frame.doc, `${lp}/array`, 'an array size') ?? 1) : 1;
        const initSrc = isObj ? decl.init : decl;
        const offset = alloc(name, size, initSrc === undefined ? undefined : { src: initSrc, doc: frame.doc, pointer: isObj ? `${lp}/init` : lp });
        frame.scope.set(name, { kind: 'local', offset, size, array: isObj && decl.array !== undefined });
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
        const g = globalByName.get(n);
        if (g) {
          if (record) pendingReads.globals.add(g.name);
          return {
            kind: 'global',
            offset: g.offset,
            size: g.size,
            array: g.size > 1 || varDecls.get(n)!.value.array !== undefined,
            guard: g.guard,
            name: g.name,
          };
        }
        const id = instanceByName.get(n);
        if (id !== undefined) return { kind: 'const', value: id };
        return undefined;
      },
      classes,
      instances,
      classByName,
      knownAttrs,
      error: (at, kind, name, extra) => {
        const pos = ctx.posIn(frame.doc, pointer, at + offsetBase);
        const known = [...frame.scope.keys(), ...Object.keys(params), ...globalByName.keys(), ...instanceByName.keys()];
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
        }
      },
    });

    const expr = (frame: Frame, src: number | string, pointer: string): CompiledExpr => {
      try {
        return compileExpr(parseExpr(src), env(frame, pointer));
      } catch (e) {
        if (!(e instanceof ExprSyntaxError)) throw e;
        ctx.error('expressionSyntax', ctx.posIn(frame.doc, pointer, e.at), { reason: e.message }, pointer);
        return { ir: irConst(0), reads: [] };
      }
    };

    const lvalue = (frame: Frame, src: string, pointer: string): { lv?: IrLValue } => {
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
        index = ix.ir;
        indexReads = ix.reads;
      } else if (b.array) {
        env(frame, pointer).error(nameNode.at, 'isArray', nameNode.name);
        return {};
      }
      return {
        lv: { global: b.kind === 'global', offset: b.offset, size: b.size, index, indexReads, name: nameNode.name, guard: b.kind === 'global' ? b.guard : -1 },
      };
    };

    /** A lock reference, e.g. "rtnl_mutex", "net[init_net]", "net[nets[i]]": the instance id at run time. */
    const lockRef = (frame: Frame, src: string, pointer: string, at = 0): { ir: IrExpr; cls: number; skip: boolean; reads: readonly number[] } | undefined => {
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
      const skip = without.has(cls.name);
      if (!r.index) {
        if (cls.hasInstances) {
          ctx.error('instanceNeeded', ctx.posIn(frame.doc, pointer, at), { lock: cls.name }, pointer);
          return undefined;
        }
        const id = cls.instances[0];
        return { ir: irConst(id), cls: cls.id, skip, reads: [] };
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
      if (r.index.t === 'name' && !frame.scope.has(r.index.name) && !(r.index.name in params) && !globalByName.has(r.index.name)) {
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
        return { ir: irConst(id), cls: cls.id, skip: skip || without.has(instances[id].name), reads: [] };
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

    const lowerBody = (frame: Frame, body: Stmt[], pointer: string) => body.forEach((s, k) => lowerStmt(frame, s, `${pointer}/${k}`));

    const lowerSeq = (frame: Frame, src: string, pointer: string) => {
      let steps;
      try {
        steps = parseShorthand(src);
      } catch (e) {
        if (!(e instanceof ShorthandError)) throw e;
        ctx.error('shorthandSyntax', ctx.posIn(frame.doc, pointer, e.at), { reason: e.message }, pointer);
        return;
      }
      // Each U(X) closes the latest open acquisition of X as written; when that was a T(X), the U runs only
      // if the trylock succeeded (its result is kept in a thread slot), even when X is held from before.
      const open = new Map<string, number[]>();
      for (const st of steps) {
        const src = ctx.posIn(frame.doc, pointer, st.at);
        const ref = lockRef(frame, st.lock, pointer, st.lockAt);
        const key = st.lock.replace(/\s+/g, ''); // T(X) and its U(X) pair up by the lock as written
        const text = `${st.op}(${key}${st.nest ? ',' + st.nest.replace(/\s+/g, '') : st.subclass !== undefined ? ',' + st.subclass : ''})`;
        if (!ref) continue;
        const cls = classes[ref.cls];
        if (!lockKind(cls.kind).plainLock) {
          ctx.error(
            'srcuMisuse',
            ctx.posIn(frame.doc, pointer, st.at),
            { what: `${cls.name} is an srcu_struct: use srcu_read_lock and synchronize_srcu` },
            pointer,
          );
          continue;
        }
        if (st.op === 'R' && !lockKind(cls.kind).readSide) {
          ctx.error('readOnExclusive', ctx.posIn(frame.doc, pointer, st.at), { kind: cls.kind, lock: cls.name }, pointer);
          continue;
        }
        let nest: IrExpr | undefined;
        let nestReads: readonly number[] = [];
        if (st.op === 'N') {
          const n = lockRef(frame, st.nest!, pointer, st.nestAt);
          if (!n) continue;
          nest = n.ir;
          nestReads = n.reads;
        }
        if (ref.skip) continue;
        const access = { reads: unionSlots(ref.reads, nestReads), locks: [ref.cls] };
        const stack = open.get(key) ?? [];
        open.set(key, stack);
        if (st.op === 'U') {
          const onlyIf = stack.pop() ?? -1;
          emit({ op: 'release', lock: ref.ir, cls: ref.cls, onlyIf, src, text, frames: frame.frames, callSite: frame.callSite }, access);
          if (onlyIf >= 0)
            emit({
              op: 'assign',
              target: localLv(onlyIf, '(trylock result)'),
              value: irConst(0),
              text: 'forget the trylock result',
              src,
              frames: frame.frames,
              callSite: frame.callSite,
            });
        } else {
          const into = st.op === 'T' ? alloc(`(result of ${text})`, 1) : -1;
          stack.push(into);
          emit(
            {
              op: 'acquire',
              lock: ref.ir,
              cls: ref.cls,
              read: st.op === 'R',
              subclass: st.subclass ?? 0,
              nest,
              trylock: st.op === 'T',
              into,
              src,
              text,
              frames: frame.frames,
              callSite: frame.callSite,
            },
            access,
          );
        }
      }
    };

    /** lock, trylock and unlock take every kind but an srcu_struct, which has statements of its own */
    const plainLockOrError = (cls: number, frame: Frame, pointer: string): boolean => {
      if (lockKind(classes[cls].kind).plainLock) return true;
      ctx.error(
        'srcuMisuse',
        ctx.pos(frame.doc, pointer),
        { what: `${classes[cls].name} is an srcu_struct: use srcu_read_lock, srcu_read_unlock and synchronize_srcu` },
        pointer,
      );
      return false;
    };

    const lowerStmt = (frame: Frame, s: Stmt, pointer: string): void => {
      const src = ctx.pos(frame.doc, pointer);
      const base = { src, frames: frame.frames, callSite: frame.callSite };
      if ('lock' in s) {
        const ref = lockRef(frame, s.lock, `${pointer}/lock`);
        if (!ref) return;
        const cls = classes[ref.cls];
        if (!lockKind(cls.kind).plainLock) {
          ctx.error(
            'srcuMisuse',
            ctx.pos(frame.doc, `${pointer}/lock`),
            { what: `${cls.name} is an srcu_struct: use srcu_read_lock and synchronize_srcu` },
            `${pointer}/lock`,
          );
          return;
        }
        if (s.read && !lockKind(cls.kind).readSide)
          ctx.error('readOnExclusive', ctx.pos(frame.doc, `${pointer}/read`), { kind: cls.kind, lock: cls.name }, `${pointer}/read`);
        let nest: IrExpr | undefined;
        let nestReads: readonly number[] = [];
        if (s.nest_lock !== undefined) {
          const n = lockRef(frame, s.nest_lock, `${pointer}/nest_lock`);
          if (!n) return;
          nest = n.ir;
          nestReads = n.reads;
        }
        if (ref.skip) return;
        const text = `${s.read ? 'read_lock' : 'lock'} ${s.lock}${s.subclass ? ` (subclass ${s.subclass})` : ''}${s.nest_lock ? ` (nest_lock ${s.nest_lock})` : ''}`;
        emit(
          { op: 'acquire', lock: ref.ir, cls: ref.cls, read: !!s.read, subclass: s.subclass ?? 0, nest, trylock: false, into: -1, text, ...base },
          { reads: unionSlots(ref.reads, nestReads), locks: [ref.cls] },
        );
      } else if ('trylock' in s) {
        const ref = lockRef(frame, s.trylock, `${pointer}/trylock`);
        if (!ref || !plainLockOrError(ref.cls, frame, `${pointer}/trylock`)) return;
        let into = -1;
        if (s.into !== undefined) {
          const b = frame.scope.get(s.into);
          if (!b || b.kind !== 'local' || b.array) {
            ctx.error(
              'notAssignable',
              ctx.pos(frame.doc, `${pointer}/into`),
              { name: s.into, what: b ? 'not a scalar local' : 'not a declared local' },
              `${pointer}/into`,
            );
            return;
          }
          into = b.offset;
        }
        if (ref.skip) return;
        emit(
          { op: 'acquire', lock: ref.ir, cls: ref.cls, read: false, subclass: 0, trylock: true, into, text: `trylock ${s.trylock}`, ...base },
          { reads: ref.reads, locks: [ref.cls] },
        );
      } else if ('unlock' in s) {
        const ref = lockRef(frame, s.unlock, `${pointer}/unlock`);
        if (!ref || !plainLockOrError(ref.cls, frame, `${pointer}/unlock`) || ref.skip) return;
        emit({ op: 'release', lock: ref.ir, cls: ref.cls, onlyIf: -1, text: `unlock ${s.unlock}`, ...base }, { reads: ref.reads, locks: [ref.cls] });
      } else if ('seq' in s) {
        lowerSeq(frame, s.seq, `${pointer}/seq`);
      } else if ('assign' in s) {
        const { lv } = lvalue(frame, s.assign, `${pointer}/assign`);
        const v = expr(frame, s.value, `${pointer}/value`);
        if (!lv) return;
        emit(
          { op: 'assign', target: lv, value: v.ir, text: `${s.assign} = ${s.value}`, ...base },
          { reads: unionSlots(lv.indexReads, v.reads), writes: lvSlots(lv) },
        );
      } else if ('if' in s) {
        const c = expr(frame, s.if, `${pointer}/if`);
        const br = emit({ op: 'branch', cond: c.ir, elseTarget: -1, text: `if ${s.if}`, ...base }, { reads: c.reads });
        lowerBody(frame, s.then, `${pointer}/then`);
        if (s.else && s.else.length > 0) {
          const j = emit({ op: 'jump', target: -1, text: 'end if', ...base });
          (code[br] as { elseTarget: number }).elseTarget = here();
          lowerBody(frame, s.else, `${pointer}/else`);
          (code[j] as { target: number }).target = here();
        } else (code[br] as { elseTarget: number }).elseTarget = here();
      } else if ('choose' in s) {
        const ch = emit({ op: 'choose', targets: [], text: `choose one of ${s.choose.length}`, ...base });
        const ends: number[] = [];
        s.choose.forEach((branch, k) => {
          (code[ch] as { targets: number[] }).targets.push(here());
          lowerBody(frame, branch, `${pointer}/choose/${k}`);
          ends.push(emit({ op: 'jump', target: -1, text: 'end choose', ...base }));
        });
        for (const j of ends) (code[j] as { target: number }).target = here();
      } else if ('pick' in s) {
        const { lv } = lvalue(frame, s.pick, `${pointer}/pick`);
        const set = expr(frame, s.from, `${pointer}/from`);
        if (!lv) return;
        emit(
          { op: 'pick', target: lv, set: set.ir, text: `pick ${s.pick} from ${s.from}`, ...base },
          { reads: unionSlots(lv.indexReads, set.reads), writes: lvSlots(lv) },
        );
      } else if ('for' in s) {
        const { lv } = lvalue(frame, s.for, `${pointer}/for`);
        const from = expr(frame, s.from, `${pointer}/from`);
        // what each expression looks up goes on the instruction that evaluates it
        const fromLooksUp = takeReads();
        const to = expr(frame, s.to, `${pointer}/to`);
        const toLooksUp = takeReads(fromLooksUp);
        if (!lv) return;
        const endSlot = alloc(`(end of ${s.for})`, 1);
        // i = from; end = to; while (i < end) { body; i++ }: the loop variable may be shared (or reach a shared
        // var through a by_ref parameter), and so may the bound
        const readsLv = unionSlots(lv.indexReads, lvSlots(lv));
        emit(
          { op: 'assign', target: lv, value: from.ir, text: `${s.for} = ${s.from}`, ...base },
          { reads: unionSlots(lv.indexReads, from.reads), writes: lvSlots(lv) },
        );
        pendingReads = toLooksUp;
        emit({ op: 'assign', target: localLv(endSlot, 'loop end'), value: to.ir, text: `loop to ${s.to}`, ...base }, { reads: to.reads });
        const read = readLv(lv);
        alsoReads(lv, endSlot);
        const loopEnd: IrExpr = { e: 'slot', shared: false, offset: endSlot, name: `(end of ${s.for})` };
        const top = emit(
          { op: 'branch', cond: { e: 'bin', op: '<', l: read, r: loopEnd }, elseTarget: -1, text: `for ${s.for} < ${s.to}`, ...base },
          { reads: readsLv },
        );
        lowerBody(frame, s.do, `${pointer}/do`);
        alsoReads(lv);
        emit(
          { op: 'assign', target: lv, value: { e: 'bin', op: '+', l: read, r: irConst(1) }, text: `${s.for}++`, ...base },
          { reads: readsLv, writes: lvSlots(lv) },
        );
        emit({ op: 'jump', target: top, text: 'loop', ...base });
        (code[top] as { elseTarget: number }).elseTarget = here();
        emit({ op: 'assign', target: localLv(endSlot, 'loop end'), value: irConst(0), text: 'end of loop', ...base });
      } else if ('foreach' in s) {
        const { lv } = lvalue(frame, s.foreach, `${pointer}/foreach`);
        const set = expr(frame, s.in, `${pointer}/in`);
        if (!lv) return;
        const rest = alloc(`(rest of ${s.in})`, 1);
        const restSet: IrExpr = { e: 'slot', shared: false, offset: rest, name: `(rest of ${s.in})` };
        emit({ op: 'assign', target: localLv(rest, 'set'), value: set.ir, text: `foreach ${s.foreach} in ${s.in}`, ...base }, { reads: set.reads });
        alsoReads(undefined, rest);
        const top = emit({ op: 'branch', cond: { e: 'bin', op: '!=', l: restSet, r: irConst(0) }, elseTarget: -1, text: `foreach ${s.foreach}`, ...base });
        alsoReads(undefined, rest);
        emit(
          { op: 'assign', target: lv, value: { e: 'lowest', of: restSet }, text: `${s.foreach} = next of ${s.in}`, ...base },
          { reads: lv.indexReads, writes: lvSlots(lv) },
        );
        alsoReads(undefined, rest);
        emit({ op: 'assign', target: localLv(rest, 'set'), value: { e: 'withoutLowest', of: restSet }, text: 'next', ...base });
        lowerBody(frame, s.do, `${pointer}/do`);
        emit({ op: 'jump', target: top, text: 'loop', ...base });
        (code[top] as { elseTarget: number }).elseTarget = here();
      } else if ('call' in s) {
        lowerCall(frame, s, pointer);
      } else if ('return' in s) {
        if (!frame.proc) {
          ctx.error('returnOutside', src, {}, pointer);
          return;
        }
        if (s.return !== null && frame.returnTarget) {
          const v = expr(frame, s.return, `${pointer}/return`);
          emit(
            { op: 'assign', target: frame.returnTarget, value: v.ir, text: `return ${s.return}`, ...base },
            { reads: unionSlots(frame.returnTarget.indexReads, v.reads), writes: lvSlots(frame.returnTarget) },
          );
        } else if (s.return !== null) expr(frame, s.return, `${pointer}/return`); // still checked
        frame.returnJumps.push(emit({ op: 'jump', target: -1, text: 'return', ...base }));
      } else if ('assert' in s) {
        const c = expr(frame, s.assert, `${pointer}/assert`);
        emit({ op: 'assert', cond: c.ir, message: s.message ?? `assert ${s.assert}`, text: `assert ${s.assert}`, ...base }, { reads: c.reads });
      } else if ('rcu_read_lock' in s) {
        emit({ op: 'rcu_lock', text: 'rcu_read_lock()', ...base }, { rcu: true });
      } else if ('rcu_read_unlock' in s) {
        emit({ op: 'rcu_unlock', text: 'rcu_read_unlock()', ...base }, { rcu: true });
      } else if ('synchronize_rcu' in s) {
        usesSync = true;
        emit({ op: 'sync_begin', cls: -1, text: 'synchronize_rcu()', ...base }, { rcu: true });
        emit({ op: 'sync_wait', cls: -1, text: 'synchronize_rcu(): wait for readers', ...base }, { rcu: true });
      } else if ('srcu_read_lock' in s || 'srcu_read_unlock' in s || 'synchronize_srcu' in s) {
        const key = 'srcu_read_lock' in s ? 'srcu_read_lock' : 'srcu_read_unlock' in s ? 'srcu_read_unlock' : 'synchronize_srcu';
        const refText = (s as unknown as Record<string, string>)[key];
        const ref = lockRef(frame, refText, `${pointer}/${key}`);
        if (!ref) return;
        if (classes[ref.cls].kind !== 'srcu') {
          ctx.error(
            'srcuMisuse',
            ctx.pos(frame.doc, `${pointer}/${key}`),
            { what: `${key}() needs an srcu_struct, and ${classes[ref.cls].name} is a ${classes[ref.cls].kind}` },
            `${pointer}/${key}`,
          );
          return;
        }
        if (ref.skip) return;
        const access = { reads: ref.reads, locks: [ref.cls] };
        if (key === 'srcu_read_lock')
          emit(
            { op: 'acquire', lock: ref.ir, cls: ref.cls, read: true, subclass: 0, trylock: false, into: -1, text: `srcu_read_lock(${refText})`, ...base },
            access,
          );
        else if (key === 'srcu_read_unlock')
          emit({ op: 'release', lock: ref.ir, cls: ref.cls, onlyIf: -1, text: `srcu_read_unlock(${refText})`, ...base }, access);
        else {
          usesSync = true;
          emit({ op: 'sync_begin', srcu: ref.ir, cls: ref.cls, text: `synchronize_srcu(${refText})`, ...base }, access);
          emit({ op: 'sync_wait', srcu: ref.ir, cls: ref.cls, text: `synchronize_srcu(${refText}): wait for readers`, ...base }, access);
        }
      } else if ('wait_until' in s) {
        const c = expr(frame, s.wait_until, `${pointer}/wait_until`);
        emit({ op: 'wait', cond: c.ir, text: `wait_until ${s.wait_until}`, ...base }, { reads: c.reads });
      } else if ('call_notifiers' in s) {
        const chain = notifierDecls.get(s.call_notifiers);
        if (!chain) {
          ctx.error(
            'unknownNotifier',
            ctx.pos(frame.doc, `${pointer}/call_notifiers`),
            { name: s.call_notifiers, suggest: suggest(s.call_notifiers, notifierDecls.keys()) },
            `${pointer}/call_notifiers`,
          );
          return;
        }
        const args = s.args ?? [];
        const want = chain.value.params ?? [];
        if (args.length !== want.length) {
          ctx.error('argumentCount', ctx.pos(frame.doc, pointer), { name: s.call_notifiers, expected: want.length, actual: args.length }, pointer);
          return;
        }
        for (const h of chain.value.handlers) if (procDecls.has(h)) lowerCall(frame, { call: h, args }, pointer);
      } else if ('queue_work' in s) {
        let r;
        try {
          r = parseLockRef(s.queue_work);
        } catch (e) {
          if (!(e instanceof ExprSyntaxError)) throw e;
          ctx.error('expressionSyntax', ctx.posIn(frame.doc, `${pointer}/queue_work`, e.at), { reason: e.message }, `${pointer}/queue_work`);
          return;
        }
        const w = works.get(r.lock);
        if (!w) {
          ctx.error(
            'unknownWork',
            ctx.posIn(frame.doc, `${pointer}/queue_work`, 0),
            { name: r.lock, suggest: suggest(r.lock, works.keys()) },
            `${pointer}/queue_work`,
          );
          return;
        }
        if (!!w.cls !== !!r.index) {
          ctx.error(
            'unknownWork',
            ctx.posIn(frame.doc, `${pointer}/queue_work`, 0),
            { name: s.queue_work, suggest: w.cls ? `; it is one work item per ${w.cls.name}: write ${r.lock}[INSTANCE]` : `; ${r.lock} is a single work item` },
            `${pointer}/queue_work`,
          );
          return;
        }
        let index: IrExpr | undefined;
        let ixReads: readonly number[] = [];
        if (r.index && w.cls) {
          const compiled = compileExpr(r.index, env(frame, `${pointer}/queue_work`, r.indexAt));
          ixReads = compiled.reads;
          index = { e: 'rank', of: compiled.ir, members: w.cls.instances, className: w.cls.name, what: s.queue_work };
        }
        const target: IrLValue = {
          global: true,
          offset: w.pending,
          size: w.cls ? w.cls.instances.length : 1,
          index,
          indexReads: ixReads,
          name: `${r.lock} pending`,
          guard: -1,
        };
        emit({ op: 'assign', target, value: irConst(1), text: `queue_work(${s.queue_work})`, ...base }, { reads: ixReads, writes: lvSlots(target) });
      } else if ('assert_held' in s) {
        const ref = lockRef(frame, s.assert_held, `${pointer}/assert_held`);
        if (!ref || ref.skip) return;
        emit({ op: 'assert_held', lock: ref.ir, cls: ref.cls, text: `assert_held ${s.assert_held}`, ...base }, { reads: ref.reads });
      }
    };

    const lowerCall = (frame: Frame, s: Extract<Stmt, { call: string }>, pointer: string) => {
      const p = procDecls.get(s.call);
      if (!p) {
        ctx.error('unknownProcedure', ctx.pos(frame.doc, `${pointer}/call`), { name: s.call, suggest: suggest(s.call, procDecls.keys()) }, `${pointer}/call`);
        return;
      }
      const args = s.args ?? [];
      const params = p.value.params ?? [];
      if (args.length !== params.length) {
        ctx.error(
          'argumentCount',
          ctx.pos(frame.doc, `${pointer}/${s.args ? 'args' : 'call'}`),
          { name: s.call, expected: params.length, actual: args.length },
          pointer,
        );
        return;
      }
      if (recursive.has(s.call) || frame.frames.includes(s.call)) return; // reported once by findRecursion
      calledProcs.add(s.call);
      let returnTarget: IrLValue | undefined;
      if (s.into !== undefined) returnTarget = lvalue(frame, s.into, `${pointer}/into`).lv;
      const callSite = frame.callSite ?? ctx.pos(frame.doc, pointer);
      const callee: Frame = { scope: new Map(), doc: p.doc, proc: s.call, returnTarget, returnJumps: [], frames: [...frame.frames, s.call], callSite };
      const src = ctx.pos(frame.doc, pointer);
      const mark = nextSlot; // the callee's slots live from here to the end of the call
      const byRef = new Set(p.value.by_ref ?? []);
      (p.value.by_ref ?? []).forEach((n, k) => {
        if (!params.includes(n)) ctx.error('byRefUnknown', ctx.pos(p.doc, `${p.pointer}/by_ref/${k}`), { name: n, proc: s.call }, `${p.pointer}/by_ref/${k}`);
      });
      // Arguments: an array passes by reference (rtnl_nets is a struct passed by pointer); a value by copy.
      params.forEach((name, k) => {
        const a = args[k];
        const argPtr = `${pointer}/args/${k}`;
        const asName = typeof a === 'string' && /^\s*[A-Za-z_][A-Za-z0-9_]*\s*$/.test(a) ? a.trim() : undefined;
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
                name: String(a),
                what: b
                  ? 'constant, but parameter "' + name + '" of ' + s.call + ' is passed by reference'
                  : 'expression, but parameter "' + name + '" of ' + s.call + ' is passed by reference',
              },
              argPtr,
            );
            return;
          }
          callee.scope.set(name, b);
          return;
        }
        const v = expr(frame, a, argPtr);
        const offset = alloc(`${s.call}.${name}`, 1);
        callee.scope.set(name, { kind: 'local', offset, size: 1, array: false });
        emit(
          { op: 'assign', target: localLv(offset, name), value: v.ir, text: `${name} = ${a}`, src, frames: callee.frames, callSite: callee.callSite },
          { reads: v.reads },
        );
      });
      // Procedure locals start from their declared value at every call (a call may sit in a loop).
      for (const sl of declareLocals(callee, p.value.locals, `${p.pointer}/locals`)) {
        const v = sl.init ? expr(callee, sl.init.src, sl.init.pointer) : { ir: irConst(0), reads: [] };
        for (let k = 0; k < sl.size; k++)
          emit(
            {
              op: 'assign',
              target: localLv(sl.offset + k, sl.name),
              value: v.ir,
              text: `${sl.name} = ${sl.init?.src ?? 0}`,
              src,
              frames: callee.frames,
              callSite: callee.callSite,
            },
            { reads: v.reads },
          );
      }
      lowerBody(callee, p.value.body, `${p.pointer}/body`);
      for (const j of callee.returnJumps) (code[j] as { target: number }).target = here();
      freeSlotsFrom(mark, src, callee.frames, callee.callSite);
    };

    const frame: Frame = { scope: new Map([['self', { kind: 'local', offset: selfOffset, size: 1, array: false }]]), doc, returnJumps: [], frames: [] };
    const threadLocals = declareLocals(frame, t.locals, `${ptr}/locals`);
    if (t.seq !== undefined) lowerSeq(frame, t.seq, `${ptr}/seq`);
    if (workerPending >= 0) lowerCall(frame, t.body![0] as Extract<Stmt, { call: string }>, ptr);
    else if (t.body) lowerBody(frame, t.body, `${ptr}/body`);
    if (workerPending >= 0) {
      code.push({ op: 'work_return', src: ctx.pos(doc, ptr), text: `${t.name} returns`, frames: [], access: NO_ACCESS });
      code.push({ op: 'jump', target: 0, src: ctx.pos(doc, ptr), text: 'back to waiting for work', frames: [], access: NO_ACCESS });
    }
    code.push({ op: 'end', src: ctx.pos(doc, ptr), text: 'end', frames: [], access: NO_ACCESS });

    // Initial values of thread locals may use `self`; procedure locals are set at each call instead.
    const threadInits = threadLocals.filter((sl) => sl.init);
    const init = (i: number) => {
      const vals = new Array<number>(maxSlot).fill(0);
      vals[selfOffset - localsBase] = i;
      for (const sl of threadInits) {
        const v = evalConst(sl.init!.src, sl.init!.doc, sl.init!.pointer, { self: i });
        if (v !== undefined) vals.fill(v, sl.offset - localsBase, sl.offset - localsBase + sl.size);
      }
      return vals;
    };
    if (threadInits.length > 0) init(0); // report init errors once, not per copy
    return {
      code,
      init: (i: number) => (i === 0 ? init(0) : withoutDiagnostics(() => init(i))),
      localNames: slots.map(({ name, offset, size }) => ({ name, offset, size })),
      usesSync,
    };
  }

  function withoutDiagnostics<T>(f: () => T): T {
    const n = ctx.diagnostics.length;
    const r = f();
    ctx.diagnostics.length = n;
    return r;
  }

  // Instance-name clashes with params or shared vars make expressions ambiguous.
  for (const name of instanceByName.keys()) {
    if (!(name in params) && !globalByName.has(name)) continue;
    const g = varDecls.get(name);
    // the file that gave the param its value: the last one declaring it (the spec overrides its models)
    const paramDoc = [...docs].reverse().find((d) => name in ((d.doc.value as { params?: object }).params ?? {}));
    const [doc, pointer] = g ? [g.doc, g.pointer] : paramDoc ? [paramDoc, `/params/${escapePointer(name)}`] : [loaded.spec, ''];
    ctx.error('duplicateName', ctx.pos(doc, pointer, true), { what: g ? 'shared var' : 'param', name, where: 'a lock instance has the same name' }, pointer);
  }

  parts.push({ what: 'the threads take', slots: base - threadsBase, doc: loaded.spec, pointer: '/threads' });
  tooWide(base);
  if (ctx.diagnostics.length > 0) return { diagnostics: dedupe(ctx.diagnostics) };
  const ir: IrModel = {
    name: spec.name,
    file: loaded.spec.display,
    classes,
    instances,
    globals,
    threads,
    maxHeld,
    width: base,
    locksBase,
    expect: spec.expect?.findings,
    params,
    anyAttrs,
    finals,
  };
  return { ir, model: link(ir), diagnostics: [] };
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

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.pos.file}:${d.pos.line}:${d.pos.col}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Procedures are inlined, so a cycle in the call graph can never be compiled: report each cycle once. */
function findRecursion(procs: Map<string, Declared<ProcDecl>>, notifiers: Map<string, Declared<NotifierDecl>>, ctx: Ctx): Set<string> {
  const calls = new Map<string, { callee: string; pointer: string }[]>();
  const scan = (body: Stmt[] | undefined, pointer: string, out: { callee: string; pointer: string }[]) => {
    (body ?? []).forEach((s, k) => {
      const p = `${pointer}/${k}`;
      if ('call' in s) out.push({ callee: s.call, pointer: p });
      // a notifier chain calls each of its handlers: a handler that calls the chain again recurses
      if ('call_notifiers' in s) for (const h of notifiers.get(s.call_notifiers)?.value.handlers ?? []) out.push({ callee: h, pointer: p });
      if ('if' in s) {
        scan(s.then, `${p}/then`, out);
        scan(s.else, `${p}/else`, out);
      }
      if ('choose' in s) s.choose.forEach((b, j) => scan(b, `${p}/choose/${j}`, out));
      if ('for' in s || 'foreach' in s) scan((s as { do: Stmt[] }).do, `${p}/do`, out);
    });
  };
  for (const [name, d] of procs) {
    const out: { callee: string; pointer: string }[] = [];
    scan(d.value.body, `${d.pointer}/body`, out);
    calls.set(name, out);
  }
  const inCycle = new Set<string>();
  const reported = new Set<string>();
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const dfs = (n: string) => {
    state.set(n, 'active');
    stack.push(n);
    for (const c of calls.get(n) ?? []) {
      if (!procs.has(c.callee)) continue;
      if (state.get(c.callee) === 'active') {
        const cycle = stack.slice(stack.indexOf(c.callee));
        cycle.forEach((x) => inCycle.add(x));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const d = procs.get(n)!;
          ctx.error('recursion', ctx.pos(d.doc, c.pointer), { chain: [...cycle, c.callee].join(' -> ') }, c.pointer);
        }
      } else if (!state.has(c.callee)) dfs(c.callee);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of procs.keys()) if (!state.has(n)) dfs(n);
  return inCycle;
}
