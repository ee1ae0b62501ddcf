// Lowers parsed expressions to the data IR (model/ir-expr.ts), resolving names in a scope to slots,
// constants and lock classes. Name errors become diagnostics at the exact character of the expression string.
import { Expr } from '../spec/expressions';
import { LockClass, LockInstance, VarDecl } from './ir';
import { IrExpr, irConst } from './ir-expr';
import { evaluateConstant } from './link';

export type Binding =
  /** decl: the variable as declared (a by_ref parameter binds the caller's), for traces */
  /** indexedBy: an array declared with "array": CLASS (indexed by that class's instances) */
  | { kind: 'local'; offset: number; size: number; array: boolean; decl?: VarDecl; indexedBy?: number }
  | { kind: 'global'; offset: number; size: number; array: boolean; guard: number; name: string; indexedBy?: number }
  /** cls: the name of a lock instance of that class (value: its position within the class), not a param */
  | { kind: 'const'; value: number; cls?: number };

export interface ExprEnv {
  lookup(name: string): Binding | undefined;
  classes: LockClass[];
  instances: LockInstance[];
  classByName: Map<string, LockClass>;
  knownAttrs: Set<string>;
  /** report a name error at an offset of the expression string */
  error(
    at: number,
    kind: 'unknownName' | 'unknownFunction' | 'unknownAttribute' | 'arity' | 'notArray' | 'isArray' | 'setTooBig' | 'wrongClass',
    name: string,
    extra?: string,
  ): void;
}

export interface CompiledExpr {
  ir: IrExpr;
  /** absolute state slots of shared vars it may read (an indexed read: the whole array), sorted, no repeats */
  reads: readonly number[];
  /** known at compile time */
  constant?: number;
}

const FUNCTIONS: Record<string, number> = Object.assign(Object.create(null), { cmp: 2, size: 1, has: 2, add: 2, del: 2, all: 1, min: 2, max: 2 });
export const FUNCTION_LIST = 'cmp(a, b), size(s), has(s, x), add(s, x), del(s, x), all(CLASS), min(a, b), max(a, b)';

const NONE: readonly number[] = [];
const bad = (): CompiledExpr => ({ ir: irConst(0), reads: NONE, constant: 0 });

/** The union of slot lists, sorted, without repeats. */
export function unionSlots(...lists: (readonly number[])[]): readonly number[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return NONE;
  if (nonEmpty.length === 1) return nonEmpty[0];
  return [...new Set(nonEmpty.flat())].sort((a, b) => a - b);
}

/** The slots offset .. offset + size - 1. */
export const slotRange = (offset: number, size: number): readonly number[] => Array.from({ length: size }, (_, k) => offset + k);

export function compileExpr(e: Expr, env: ExprEnv): CompiledExpr {
  const c = (x: Expr) => compileExpr(x, env);
  switch (e.t) {
    case 'num':
      return { ir: irConst(e.v), reads: NONE, constant: e.v };
    case 'name': {
      const b = env.lookup(e.name);
      if (!b) {
        env.error(e.at, 'unknownName', e.name);
        return bad();
      }
      if (b.kind === 'const')
        return { ir: b.cls !== undefined ? { e: 'const', v: b.value, of: 'instance', cls: b.cls } : irConst(b.value), reads: NONE, constant: b.value };
      if (b.array) {
        env.error(e.at, 'isArray', e.name);
        return bad();
      }
      const shared = b.kind === 'global';
      return { ir: { e: 'slot', shared, offset: b.offset, name: e.name }, reads: shared ? [b.offset] : NONE };
    }
    case 'index': {
      if (e.base.t !== 'name') {
        env.error(e.at, 'notArray', '(expression)');
        return bad();
      }
      const name = e.base.name;
      const b = env.lookup(name);
      if (!b) {
        env.error(e.base.at, 'unknownName', name);
        return bad();
      }
      if (b.kind === 'const' || !b.array) {
        env.error(e.base.at, 'notArray', name);
        return bad();
      }
      const idx = c(e.index);
      const shared = b.kind === 'global';
      const ix = idx.ir;
      // an instance of another class is never the right index (it is a position within its own class)
      if (b.indexedBy !== undefined && ix.e === 'const' && ix.of === 'instance' && ix.cls !== b.indexedBy)
        env.error(
          e.index.at,
          'wrongClass',
          name,
          `${env.classes[b.indexedBy].name}|${env.classes[ix.cls!].name}|${e.index.t === 'name' ? e.index.name : 'the index'}`,
        );
      const ir: IrExpr = { e: 'element', shared, offset: b.offset, size: b.size, name, index: ix, ...(b.indexedBy !== undefined ? { cls: b.indexedBy } : {}) };
      return { ir, reads: shared ? unionSlots(slotRange(b.offset, b.size), idx.reads) : idx.reads };
    }
    case 'attr': {
      const base = c(e.base);
      if (!env.knownAttrs.has(e.attr)) {
        env.error(e.at, 'unknownAttribute', e.attr);
        return bad();
      }
      return {
        ir: { e: 'attr', of: base.ir, attr: e.attr, cls: classOfOperands([base.ir], env, (k) => k.instances.some((i) => e.attr in env.instances[i].attrs)) },
        reads: base.reads,
      };
    }
    case 'set': {
      const items = e.items.map(c);
      if (env.instances.length > 31) env.error(e.at, 'setTooBig', String(env.instances.length));
      return { ir: { e: 'set', items: items.map((x) => x.ir) }, reads: unionSlots(...items.map((x) => x.reads)) };
    }
    case 'call': {
      const arity = FUNCTIONS[e.fn];
      if (arity === undefined) {
        env.error(e.at, 'unknownFunction', e.fn);
        return bad();
      }
      if (e.args.length !== arity) {
        env.error(e.at, 'arity', e.fn, String(arity));
        return bad();
      }
      if (e.fn === 'all') {
        const a = e.args[0];
        const cls = a.t === 'name' ? env.classByName.get(a.name) : undefined;
        if (!cls) {
          env.error(a.at, 'unknownName', a.t === 'name' ? a.name : '(expression)', 'a lock class');
          return bad();
        }
        if (env.instances.length > 31) env.error(e.at, 'setTooBig', String(env.instances.length));
        // a set holds positions within the class, as every instance-valued expression does
        const m = cls.instances.reduce((acc, _i, k) => acc | (1 << k), 0);
        return { ir: { e: 'const', v: m, of: 'set', cls: cls.id }, reads: NONE, constant: m };
      }
      if (['size', 'has', 'add', 'del'].includes(e.fn) && env.instances.length > 31) env.error(e.at, 'setTooBig', String(env.instances.length));
      const args = e.args.map(c);
      const fn = e.fn as 'cmp' | 'size' | 'has' | 'add' | 'del' | 'min' | 'max';
      const irArgs = args.map((x) => x.ir);
      const cls = fn === 'cmp' ? { cls: classOfOperands(irArgs, env, (k) => k.cmp !== undefined) } : {};
      return { ir: { e: 'call', fn, args: irArgs, ...cls }, reads: unionSlots(...args.map((x) => x.reads)) };
    }
    case 'unary': {
      const x = c(e.e);
      return fold({ ir: { e: 'unary', op: e.op, of: x.ir }, reads: x.reads }, x.constant !== undefined, env);
    }
    case 'bin': {
      const l = c(e.l);
      const r = c(e.r);
      return fold(
        { ir: { e: 'bin', op: e.op, l: l.ir, r: r.ir }, reads: unionSlots(l.reads, r.reads) },
        l.constant !== undefined && r.constant !== undefined,
        env,
      );
    }
    case 'cond': {
      const [k, a, b] = [c(e.c), c(e.a), c(e.b)];
      return { ir: { e: 'cond', c: k.ir, a: a.ir, b: b.ir }, reads: unionSlots(k.reads, a.reads, b.reads) };
    }
  }
}

/** An array sized by a class, indexed by an instance named outright: it must be one of that class's. */
export function checkIndexClass(b: Binding, name: string, index: Expr, ix: IrExpr, env: ExprEnv) {
  // an instance of another class is never the right index (it is a position within its own class)
  if (b.kind !== 'const' && b.indexedBy !== undefined && ix.e === 'const' && ix.of === 'instance' && ix.cls !== b.indexedBy)
    env.error(index.at, 'wrongClass', name, `${env.classes[b.indexedBy].name}|${env.classes[ix.cls!].name}|${index.t === 'name' ? index.name : 'the index'}`);
}

/**
 * The class of the instances an attribute or cmp() reads, when the expression alone decides it: an instance
 * named outright, or the only class that has the attribute (the cmp). -1 leaves it to the value kinds of the
 * operands' variables (passes/value-kinds.ts), which report it if they cannot decide either.
 */
function classOfOperands(args: IrExpr[], env: ExprEnv, has: (c: LockClass) => boolean): number {
  const named = args.flatMap((a) => (a.e === 'const' && a.of === 'instance' && a.cls !== undefined ? [a.cls] : []));
  if (named.length > 0) return named[0];
  const able = env.classes.filter((c) => c.hasInstances && has(c));
  return able.length === 1 ? able[0].id : -1;
}

function fold(x: CompiledExpr, isConst: boolean, env: ExprEnv): CompiledExpr {
  if (!isConst) return x;
  try {
    const v = evaluateConstant(x.ir, env);
    return { ir: irConst(v), reads: NONE, constant: v };
  } catch {
    return x; // e.g. division by zero: reported when (if) it runs
  }
}
