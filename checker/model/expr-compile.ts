// Compiles parsed expressions to closures over the flat state, resolving names in a scope.
// Name errors become diagnostics at the exact character of the expression string.
import { BinOp, Expr } from '../spec/expressions';
import { Ev, LockClass, LockInstance } from './ir';

export class ModelRuntimeError extends Error {}

export type Binding =
  | { kind: 'local'; offset: number; size: number; array: boolean }
  | { kind: 'global'; offset: number; size: number; array: boolean; guard: number; name: string }
  | { kind: 'const'; value: number };

export interface ExprEnv {
  lookup(name: string): Binding | undefined;
  classes: LockClass[];
  instances: LockInstance[];
  classByName: Map<string, LockClass>;
  knownAttrs: Set<string>;
  /** report a name error at an offset of the expression string */
  error(
    at: number,
    kind: 'unknownName' | 'unknownFunction' | 'unknownAttribute' | 'arity' | 'notArray' | 'isArray' | 'setTooBig',
    name: string,
    extra?: string,
  ): void;
}

export interface CompiledExpr {
  ev: Ev;
  /** absolute state slots of shared vars it may read (an indexed read: the whole array), sorted, no repeats */
  reads: readonly number[];
  /** known at compile time */
  constant?: number;
}

const FUNCTIONS: Record<string, number> = Object.assign(Object.create(null), { cmp: 2, size: 1, has: 2, add: 2, del: 2, all: 1, min: 2, max: 2 });
export const FUNCTION_LIST = 'cmp(a, b), size(s), has(s, x), add(s, x), del(s, x), all(CLASS), min(a, b), max(a, b)';

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const NONE: readonly number[] = [];
const bad = (): CompiledExpr => ({ ev: () => 0, reads: NONE, constant: 0 });

/** The union of slot lists, sorted, without repeats. */
export function unionSlots(...lists: (readonly number[])[]): readonly number[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length === 0) return NONE;
  if (nonEmpty.length === 1) return nonEmpty[0];
  return [...new Set(nonEmpty.flat())].sort((a, b) => a - b);
}

/** The slots offset .. offset + size - 1. */
export const slotRange = (offset: number, size: number): readonly number[] => Array.from({ length: size }, (_, k) => offset + k);

function instanceOf(env: ExprEnv, v: number, what: string): LockInstance {
  const inst = env.instances[v];
  if (!inst) throw new ModelRuntimeError(`${what}: ${v} is not a lock instance`);
  return inst;
}

export function compileExpr(e: Expr, env: ExprEnv): CompiledExpr {
  const c = (x: Expr) => compileExpr(x, env);
  switch (e.t) {
    case 'num':
      return { ev: () => e.v, reads: NONE, constant: e.v };
    case 'name': {
      const b = env.lookup(e.name);
      if (!b) {
        env.error(e.at, 'unknownName', e.name);
        return bad();
      }
      if (b.kind === 'const') return { ev: () => b.value, reads: NONE, constant: b.value };
      if (b.array) {
        env.error(e.at, 'isArray', e.name);
        return bad();
      }
      const off = b.offset;
      if (b.kind === 'global') return { ev: (s) => s[off], reads: [off] };
      return { ev: (s, base) => s[base + off], reads: NONE };
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
      const { offset, size } = b;
      const check = (i: number) => {
        if (i < 0 || i >= size) throw new ModelRuntimeError(`index ${i} out of range for ${name}[${size}]`);
        return i;
      };
      const ix = idx.ev;
      if (b.kind === 'global') return { ev: (s, base) => s[offset + check(ix(s, base))], reads: unionSlots(slotRange(offset, size), idx.reads) };
      return { ev: (s, base) => s[base + offset + check(ix(s, base))], reads: idx.reads };
    }
    case 'attr': {
      const base = c(e.base);
      if (!env.knownAttrs.has(e.attr)) {
        env.error(e.at, 'unknownAttribute', e.attr);
        return bad();
      }
      const attr = e.attr;
      const bev = base.ev;
      return {
        ev: (s, b) => {
          const inst = instanceOf(env, bev(s, b), `.${attr}`);
          const v = inst.attrs[attr];
          if (v === undefined) throw new ModelRuntimeError(`${inst.name} has no attribute ${attr}`);
          return v;
        },
        reads: base.reads,
      };
    }
    case 'set': {
      const items = e.items.map(c);
      if (env.instances.length > 31) env.error(e.at, 'setTooBig', String(env.instances.length));
      const evs = items.map((x) => x.ev);
      return {
        ev: (s, b) => {
          let m = 0;
          for (const f of evs) m |= 1 << f(s, b);
          return m;
        },
        reads: unionSlots(...items.map((x) => x.reads)),
      };
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
        const m = cls.instances.reduce((acc, i) => acc | (1 << i), 0);
        return { ev: () => m, reads: NONE, constant: m };
      }
      if (['size', 'has', 'add', 'del'].includes(e.fn) && env.instances.length > 31) env.error(e.at, 'setTooBig', String(env.instances.length));
      const args = e.args.map(c);
      const rg = unionSlots(...args.map((x) => x.reads));
      const [a, b] = args.map((x) => x.ev);
      switch (e.fn) {
        case 'cmp':
          return {
            ev: (s, base) => {
              const x = a(s, base);
              const y = b(s, base);
              const ix = instanceOf(env, x, 'cmp');
              const iy = instanceOf(env, y, 'cmp');
              const cls = env.classes[ix.cls];
              if (iy.cls !== ix.cls) throw new ModelRuntimeError(`cmp(${ix.name}, ${iy.name}): instances of different classes`);
              if (!cls.cmpFn) throw new ModelRuntimeError(`lock class ${cls.name} has no cmp`);
              return Math.sign(cls.cmpFn(x, y));
            },
            reads: rg,
          };
        case 'size':
          return { ev: (s, base) => popcount(a(s, base)), reads: rg };
        case 'has':
          return { ev: (s, base) => (a(s, base) >>> b(s, base)) & 1, reads: rg };
        case 'add':
          return { ev: (s, base) => a(s, base) | (1 << b(s, base)), reads: rg };
        case 'del':
          return { ev: (s, base) => a(s, base) & ~(1 << b(s, base)), reads: rg };
        case 'min':
          return { ev: (s, base) => Math.min(a(s, base), b(s, base)), reads: rg };
        default:
          return { ev: (s, base) => Math.max(a(s, base), b(s, base)), reads: rg };
      }
    }
    case 'unary': {
      const x = c(e.e);
      const f = x.ev;
      const ev: Ev = e.op === '!' ? (s, b) => (f(s, b) ? 0 : 1) : e.op === '~' ? (s, b) => ~f(s, b) : (s, b) => -f(s, b) | 0;
      return fold({ ev, reads: x.reads }, x.constant !== undefined);
    }
    case 'bin': {
      const l = c(e.l);
      const r = c(e.r);
      const ev = binary(e.op, l.ev, r.ev);
      return fold({ ev, reads: unionSlots(l.reads, r.reads) }, l.constant !== undefined && r.constant !== undefined);
    }
    case 'cond': {
      const [k, a, b] = [c(e.c), c(e.a), c(e.b)];
      const [kf, af, bf] = [k.ev, a.ev, b.ev];
      return { ev: (s, base) => (kf(s, base) ? af(s, base) : bf(s, base)), reads: unionSlots(k.reads, a.reads, b.reads) };
    }
  }
}

function fold(x: CompiledExpr, isConst: boolean): CompiledExpr {
  if (!isConst) return x;
  try {
    const v = x.ev(new Int32Array(0), 0);
    return { ev: () => v, reads: NONE, constant: v };
  } catch {
    return x; // e.g. division by zero: reported when (if) it runs
  }
}

function binary(op: BinOp, l: Ev, r: Ev): Ev {
  switch (op) {
    case '||':
      return (s, b) => (l(s, b) || r(s, b) ? 1 : 0);
    case '&&':
      return (s, b) => (l(s, b) && r(s, b) ? 1 : 0);
    case '==':
      return (s, b) => (l(s, b) === r(s, b) ? 1 : 0);
    case '!=':
      return (s, b) => (l(s, b) !== r(s, b) ? 1 : 0);
    case '<':
      return (s, b) => (l(s, b) < r(s, b) ? 1 : 0);
    case '<=':
      return (s, b) => (l(s, b) <= r(s, b) ? 1 : 0);
    case '>':
      return (s, b) => (l(s, b) > r(s, b) ? 1 : 0);
    case '>=':
      return (s, b) => (l(s, b) >= r(s, b) ? 1 : 0);
    case '+':
      return (s, b) => (l(s, b) + r(s, b)) | 0;
    case '-':
      return (s, b) => (l(s, b) - r(s, b)) | 0;
    case '*':
      return (s, b) => Math.imul(l(s, b), r(s, b));
    case '|':
      return (s, b) => l(s, b) | r(s, b);
    case '&':
      return (s, b) => l(s, b) & r(s, b);
    case '/':
    case '%':
      return (s, b) => {
        const d = r(s, b);
        if (d === 0) throw new ModelRuntimeError('division by zero');
        const n = l(s, b);
        return op === '/' ? (n / d) | 0 : n % d;
      };
  }
}
