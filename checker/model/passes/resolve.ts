// Pass 2, resolve: gives every declared name its meaning. Params take their values (models, then the spec,
// then the command line), lock classes get their instances, attributes and resolved cmp rules, shared vars
// their size, initial contents and guard, work items their class and procedure; notifier handlers and
// recursion through calls and notifier chains are checked. Nothing here places anything in the state vector.
import { suggest } from '../../diagnostics/diagnostic';
import { ExprSyntaxError, parseExpr, parseLockRef } from '../../spec/expressions';
import { escapePointer } from '../../spec/json-positions';
import { SourceDoc } from '../../spec/load';
import { CompletionDecl, VarDecl, WorkDecl } from '../../spec/types';
import { compileExpr, ExprEnv } from '../expr-compile';
import { IrModel, LockClass, LockInstance } from '../ir';
import { evaluateConstant, ModelRuntimeError } from '../link';
import { AstStmt, childBodies } from './ast';
import { Ctx, Declared } from './context';
import { Normalised } from './normalise';

export interface ResolveOptions {
  /** --param NAME=VALUE overrides */
  params?: Record<string, number>;
  /** --without LOCK: drop every acquisition and release of these locks (classes or instances) */
  without?: string[];
  /** for attributes declared "any": "lock.attr" -> instance names in ascending order */
  attrOrders?: Record<string, string[]>;
}

export interface ResolvedVar {
  name: string;
  decl: Declared<VarDecl>;
  size: number;
  /** declared with "array" (indexed, even with one element) */
  array: boolean;
  /** "array": CLASS: one element per instance of that class, indexed by its instances */
  indexedBy?: number;
  init: number[];
  /** lock instance id, -1 unguarded, -2 RCU */
  guard: number;
}

export interface ResolvedWork {
  name: string;
  decl: Declared<WorkDecl>;
  /** "per": one item per instance of this class */
  cls?: LockClass;
}

export interface ResolvedCompletion {
  name: string;
  decl: Declared<CompletionDecl>;
  /** "per": one completion per instance of this class */
  cls?: LockClass;
}

export interface Symbols {
  normalised: Normalised;
  params: Record<string, number>;
  classes: LockClass[];
  instances: LockInstance[];
  classByName: Map<string, LockClass>;
  /** instance short names (of classes with instances) to ids */
  instanceByName: Map<string, number>;
  knownAttrs: Set<string>;
  anyAttrs: IrModel['anyAttrs'];
  vars: Map<string, ResolvedVar>;
  works: Map<string, ResolvedWork>;
  /** works entries some flush_work or cancel_work_sync names (cancelled: some cancel_work_sync does) */
  flushed: Map<string, { cancelled: boolean }>;
  completions: Map<string, ResolvedCompletion>;
  /** procedures on a call cycle (reported; never inlined) */
  recursive: Set<string>;
  maxHeld: number;
  without: Set<string>;
}

/** What the lock table needs: stop before computing attributes and orders of a million instances. */
export interface LockPart {
  what: string;
  slots: number;
  doc: SourceDoc;
  pointer: string;
}

const DEFAULT_MAX_HELD = 8;
/** attributes declared "any" are checked in every order: at most this many orders */
export const MAX_ORDERS = 720;
const MAX_INSTANCES = 1 << 20;
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/**
 * Resolves the declarations. `lockTableFits` is asked once the instances are known (each takes two state
 * slots) and stops the pass when it says no, before anything is computed per instance.
 */
export function resolve(n: Normalised, ctx: Ctx, options: ResolveOptions, lockTableFits: (parts: LockPart[]) => boolean): Symbols | undefined {
  // no prototype: a name such as "toString" must not be found on Object.prototype
  const params: Record<string, number> = Object.create(null);
  for (const doc of n.docs) Object.assign(params, (doc.doc.value as { params?: Record<string, number> }).params ?? {});
  Object.assign(params, options.params ?? {});
  const sym: Symbols = {
    normalised: n,
    params,
    classes: [],
    instances: [],
    classByName: new Map(),
    instanceByName: new Map(),
    knownAttrs: new Set(),
    anyAttrs: [],
    vars: new Map(),
    works: new Map(),
    flushed: new Map(),
    completions: new Map(),
    recursive: new Set(),
    maxHeld: n.file.options?.max_held ?? DEFAULT_MAX_HELD,
    without: new Set(options.without ?? []),
  };
  const { classes, instances, classByName, instanceByName } = sym;

  // --- lock classes and their instances ---------------------------------------------------------------
  const parts: LockPart[] = [];
  for (const [name, d] of n.locks) {
    const cls: LockClass = { id: classes.length, name, kind: d.value.kind, instances: [], hasInstances: d.value.instances !== undefined, cmp: d.value.cmp };
    classes.push(cls);
    classByName.set(name, cls);
    let names: string[] = [name];
    const inst = d.value.instances;
    if (Array.isArray(inst)) names = inst;
    else if (inst) {
      const count = positiveInt(sym, ctx, inst.count, d.doc, `${d.pointer}/instances/count`, 'an instance count');
      names = count === undefined ? [] : Array.from({ length: count }, (_, i) => `${inst.prefix}${i}`);
    }
    names.forEach((short, idx) => {
      const id = instances.length;
      const display = cls.hasInstances ? `${name}[${short}]` : name;
      if (cls.hasInstances) {
        const clash = instanceByName.has(short) || (n.locks.has(short) && short !== name);
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
      instances.push({ id, cls: cls.id, name: display, short, pos: idx, attrs: {} });
      cls.instances.push(id);
    });
    parts.push({
      what: `the ${names.length} instances of ${name} take`,
      slots: 2 * names.length,
      doc: d.doc,
      pointer: inst ? `${d.pointer}/instances` : d.pointer,
    });
  }
  if (!lockTableFits(parts)) return undefined;

  // --- attributes ----------------------------------------------------------------------------------------
  let orderCount = 1;
  for (const [name, d] of n.locks) {
    const cls = classByName.get(name)!;
    for (const [attr, table] of Object.entries(d.value.attrs ?? {})) {
      sym.knownAttrs.add(attr);
      const ptr = `${d.pointer}/attrs/${escapePointer(attr)}`;
      if (table === 'any') {
        // Unordered addresses: the pipeline tries every order. Without a chosen order, declaration order.
        const order = options.attrOrders?.[`${name}.${attr}`] ?? cls.instances.map((i) => instances[i].short);
        cls.instances.forEach((id) => (instances[id].attrs[attr] = (order.indexOf(instances[id].short) + 1) * 100));
        sym.anyAttrs.push({ lock: name, attr, instances: cls.instances.map((i) => instances[i].short) });
        orderCount *= factorial(cls.instances.length);
        if (orderCount > MAX_ORDERS) ctx.error('tooManyOrders', ctx.pos(d.doc, ptr), { count: orderCount, max: MAX_ORDERS }, ptr);
        continue;
      }
      if (typeof table === 'string') {
        cls.instances.forEach((id, i) => {
          const v = evalConst(sym, ctx, table, d.doc, ptr, { i });
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

  // --- cmp rules -------------------------------------------------------------------------------------------
  for (const [name, d] of n.locks) {
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

  // --- shared variables -------------------------------------------------------------------------------------
  for (const [name, d] of n.vars) {
    const sized = d.value.array === undefined ? { size: 1 } : arraySize(sym, ctx, d.value.array, d.doc, `${d.pointer}/array`);
    const size = sized.size;
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
      init = Array.from({ length: size }, (_, k) => (k < initSrc.length ? (evalConst(sym, ctx, initSrc[k], d.doc, `${d.pointer}/init/${k}`) ?? 0) : 0));
    } else {
      const v = initSrc === undefined ? 0 : (evalConst(sym, ctx, initSrc, d.doc, `${d.pointer}/init`) ?? 0);
      init = new Array<number>(size).fill(v);
    }
    let guard = -1;
    if (d.value.guard === 'rcu')
      guard = -2; // RCU-protected: read under rcu_read_lock(), stable only inside it
    else if (d.value.guard !== undefined && d.value.guard !== 'none') {
      const g = constantLockRef(sym, d.value.guard);
      if (g === undefined) ctx.error('guardUnknown', ctx.pos(d.doc, `${d.pointer}/guard`), { name, guard: d.value.guard }, `${d.pointer}/guard`);
      else guard = g;
    }
    sym.vars.set(name, { name, decl: d, size, array: d.value.array !== undefined, indexedBy: sized.cls, init, guard });
  }

  // --- work items and notifier chains -----------------------------------------------------------------------
  /** The class a `per` member names (undefined: none); null after reporting an unknown one. */
  const perClass = (d: { doc: SourceDoc; pointer: string; value: { per?: string } }): LockClass | undefined | null => {
    if (d.value.per === undefined) return undefined;
    const cls = classByName.get(d.value.per);
    if (cls) return cls;
    ctx.error('unknownLock', ctx.pos(d.doc, `${d.pointer}/per`), { name: d.value.per, suggest: suggest(d.value.per, classByName.keys()) }, `${d.pointer}/per`);
    return null;
  };
  for (const [name, d] of n.works) {
    const cls = perClass(d);
    if (cls === null) continue;
    if (!n.procedures.has(d.value.proc)) {
      ctx.error(
        'unknownProcedure',
        ctx.pos(d.doc, `${d.pointer}/proc`),
        { name: d.value.proc, suggest: suggest(d.value.proc, n.procedures.keys()) },
        `${d.pointer}/proc`,
      );
      continue;
    }
    sym.works.set(name, { name, decl: d, cls });
  }
  for (const [name, d] of n.completions) {
    const cls = perClass(d);
    if (cls === null) continue;
    sym.completions.set(name, { name, decl: d, cls });
  }
  sym.flushed = flushedWorks(n, sym.works);
  for (const [name, d] of n.notifiers)
    d.value.handlers.forEach((h, k) => {
      const proc = n.procedures.get(h);
      const want = (d.value.params ?? []).length;
      if (!proc)
        ctx.error(
          'unknownProcedure',
          ctx.pos(d.doc, `${d.pointer}/handlers/${k}`),
          { name: h, suggest: suggest(h, n.procedures.keys()) },
          `${d.pointer}/handlers/${k}`,
        );
      else if (proc.value.params.length !== want)
        ctx.error(
          'argumentCount',
          ctx.pos(d.doc, `${d.pointer}/handlers/${k}`),
          { name: h, expected: proc.value.params.length, actual: `the chain ${name} passes ${want}, so` },
          `${d.pointer}/handlers/${k}`,
        );
    });

  // Instance-name clashes with params or shared vars make expressions ambiguous.
  for (const name of instanceByName.keys()) {
    if (!(name in params) && !sym.vars.has(name)) continue;
    const g = n.vars.get(name);
    // the file that gave the param its value: the last one declaring it (the spec overrides its models)
    const paramDoc = [...n.docs].reverse().find((d) => name in ((d.doc.value as { params?: object }).params ?? {}));
    const [doc, pointer] = g ? [g.doc, g.pointer] : paramDoc ? [paramDoc, `/params/${escapePointer(name)}`] : [n.spec, ''];
    ctx.error('duplicateName', ctx.pos(doc, pointer, true), { what: g ? 'shared var' : 'param', name, where: 'a lock instance has the same name' }, pointer);
  }

  sym.recursive = findRecursion(n, ctx);
  return sym;
}

/** A constant expression over params, instance names and `extra` (e.g. `self`, or `i` for generated attributes). */
export function evalConst(
  sym: Symbols,
  ctx: Ctx,
  src: number | string,
  doc: SourceDoc,
  pointer: string,
  extra: Record<string, number> = Object.create(null),
): number | undefined {
  const { params, instanceByName, classes, instances } = sym;
  try {
    const e = parseExpr(src);
    let ok = true;
    const env: ExprEnv = {
      lookup: (name) =>
        Object.hasOwn(extra, name)
          ? { kind: 'const', value: extra[name] }
          : name in params
            ? { kind: 'const', value: params[name] }
            : instanceByName.has(name)
              ? instanceConst(sym, instanceByName.get(name)!)
              : undefined,
      classes,
      instances,
      classByName: sym.classByName,
      knownAttrs: sym.knownAttrs,
      error: (at, _k, name) => {
        ok = false;
        ctx.error('unknownVariable', ctx.posIn(doc, pointer, at), { name, suggest: suggest(name, Object.keys(params)) }, pointer);
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
}

/** An instance name in an expression: its value is its position within its class (net[1] is net's second). */
export const instanceConst = (sym: { instances: LockInstance[] }, id: number) =>
  ({ kind: 'const', value: sym.instances[id].pos, cls: sym.instances[id].cls }) as const;

/** A count or size: a constant integer from 1 (or 0) to a million. */
export function positiveInt(sym: Symbols, ctx: Ctx, v: number | string, doc: SourceDoc, pointer: string, what: string, allowZero = false): number | undefined {
  const value = evalConst(sym, ctx, v, doc, pointer);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1) || value > MAX_INSTANCES) {
    ctx.error('badCount', ctx.pos(doc, pointer), { what, value: String(value) }, pointer);
    return undefined;
  }
  return value;
}

/**
 * An array's size: a count, or a lock class with instances (one element per instance, `cls`). A param of
 * the same name is the count, as it was before classes could size arrays.
 */
export function arraySize(sym: Symbols, ctx: Ctx, v: number | string, doc: SourceDoc, pointer: string): { size: number; cls?: number } {
  const cls = typeof v === 'string' && !(v.trim() in sym.params) ? sym.classByName.get(v.trim()) : undefined;
  if (cls?.hasInstances) return { size: cls.instances.length, cls: cls.id };
  return { size: positiveInt(sym, ctx, v, doc, pointer, 'an array size') ?? 1 };
}

/** A lock reference naming one instance by constant names ("rtnl_mutex", "net[init_net]"), or undefined. */
function constantLockRef(sym: Symbols, ref: string): number | undefined {
  try {
    const r = parseLockRef(ref);
    const cls = sym.classByName.get(r.lock);
    if (!cls) return undefined;
    if (!r.index) return cls.hasInstances ? undefined : cls.instances[0];
    if (r.index.t !== 'name') return undefined;
    const id = sym.instanceByName.get(r.index.name);
    return id !== undefined && sym.instances[id].cls === cls.id ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The works entries that some flush_work or cancel_work_sync names, anywhere: only these need the state that
 * flushers wait on (so a spec that flushes nothing keeps its state vector as it was).
 */
function flushedWorks(n: Normalised, works: Map<string, ResolvedWork>): Map<string, { cancelled: boolean }> {
  const out = new Map<string, { cancelled: boolean }>();
  const scan = (body: AstStmt[]) => {
    for (const s of body) {
      if (s.kind === 'flush_work' || s.kind === 'cancel_work_sync') {
        let name: string | undefined;
        try {
          name = parseLockRef(String(s.work.src)).lock;
        } catch {
          name = undefined; // the lowering reports it
        }
        if (name !== undefined && works.has(name)) out.set(name, { cancelled: (out.get(name)?.cancelled ?? false) || s.kind === 'cancel_work_sync' });
      }
      for (const b of childBodies(s)) scan(b);
    }
  };
  for (const t of n.threads) scan(t.value.body);
  for (const p of n.procedures.values()) scan(p.value.body);
  // in declaration order, as the layout places them
  return new Map([...works.keys()].filter((w) => out.has(w)).map((w) => [w, out.get(w)!]));
}

/** Procedures are inlined, so a cycle in the call graph can never be compiled: report each cycle once. */
function findRecursion(n: Normalised, ctx: Ctx): Set<string> {
  type Call = { callee: string; pointer: string };
  const calls = new Map<string, Call[]>();
  const scan = (body: AstStmt[], out: Call[]) => {
    for (const s of body) {
      if (s.kind === 'call') out.push({ callee: s.proc, pointer: s.where.pointer });
      // a notifier chain calls each of its handlers: a handler that calls the chain again recurses
      if (s.kind === 'call_notifiers') for (const h of n.notifiers.get(s.chain)?.value.handlers ?? []) out.push({ callee: h, pointer: s.where.pointer });
      for (const b of childBodies(s)) scan(b, out);
    }
  };
  for (const [name, d] of n.procedures) {
    const out: Call[] = [];
    scan(d.value.body, out);
    calls.set(name, out);
  }
  const inCycle = new Set<string>();
  const reported = new Set<string>();
  const state = new Map<string, 'active' | 'done'>();
  // depth-first with an explicit stack: a chain of thousands of procedures must not overflow the JS stack
  for (const root of n.procedures.keys()) {
    if (state.has(root)) continue;
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    state.set(root, 'active');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const out = calls.get(top.name) ?? [];
      if (top.next >= out.length) {
        state.set(top.name, 'done');
        stack.pop();
        continue;
      }
      const c = out[top.next++];
      if (!n.procedures.has(c.callee)) continue;
      if (state.get(c.callee) === 'active') {
        const cycle = stack.slice(stack.findIndex((f) => f.name === c.callee)).map((f) => f.name);
        cycle.forEach((x) => inCycle.add(x));
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const d = n.procedures.get(top.name)!;
          ctx.error('recursion', ctx.pos(d.doc, c.pointer), { chain: [...cycle, c.callee].join(' -> ') }, c.pointer);
        }
      } else if (!state.has(c.callee)) {
        state.set(c.callee, 'active');
        stack.push({ name: c.callee, next: 0 });
      }
    }
  }
  return inCycle;
}
