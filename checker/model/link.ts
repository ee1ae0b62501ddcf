// The link step: turns the compiler's data IR (expressions as plain objects) into what the explorer runs,
// the same program with each expression as a closure over (state, thread base). Nothing else changes: the
// instructions, their access sets and the state layout are the IR's, so what --dump ir prints is what runs.
import { BinOp } from '../spec/expressions';
import { assertNever } from '../assert-never';
import { CompiledModel, Ev, FinalAssert, Instr, IrModel, LockClass, LockInstance, LValue, ThreadProg } from './ir';
import { makeCmpFn } from './cmp';
import { IrExpr } from './ir-expr';
import { ExprBatch, generateLocalRunner, LocalRunner, makeHelpers } from './codegen';

import { ModelRuntimeError } from './runtime-error';
import { cmpAt, instanceAt } from './instances';

export { ModelRuntimeError };

interface LinkContext {
  classes: LockClass[];
  instances: LockInstance[];
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function linkExpr(x: IrExpr, ctx: LinkContext): Ev {
  const l = (y: IrExpr) => linkExpr(y, ctx);
  switch (x.e) {
    case 'const': {
      const v = x.v;
      return () => v;
    }
    case 'slot': {
      const off = x.offset;
      return x.shared ? (s) => s[off] : (s, b) => s[b + off];
    }
    case 'element': {
      const { offset, size, name } = x;
      const ix = l(x.index);
      const check = (i: number) => {
        if (i < 0 || i >= size) throw new ModelRuntimeError(`index ${i} out of range for ${name}[${size}]`);
        return i;
      };
      return x.shared ? (s, b) => s[offset + check(ix(s, b))] : (s, b) => s[b + offset + check(ix(s, b))];
    }
    case 'attr': {
      const of = l(x.of);
      const { attr, cls } = x;
      return (s, b) => {
        const inst = instanceAt(ctx.classes, ctx.instances, cls, of(s, b), `.${attr}`);
        const v = inst.attrs[attr];
        if (v === undefined) throw new ModelRuntimeError(`${inst.name} has no attribute ${attr}`);
        return v;
      };
    }
    case 'set': {
      const evs = x.items.map(l);
      return (s, b) => {
        let m = 0;
        for (const f of evs) m |= 1 << f(s, b);
        return m;
      };
    }
    case 'call': {
      const [a, b2] = x.args.map(l);
      switch (x.fn) {
        case 'cmp':
          return (s, base) => {
            const p = a(s, base);
            return cmpAt(ctx.classes, ctx.instances, x.cls ?? -1, p, b2(s, base));
          };
        case 'size':
          return (s, base) => popcount(a(s, base));
        case 'has':
          return (s, base) => (a(s, base) >>> b2(s, base)) & 1;
        case 'add':
          return (s, base) => a(s, base) | (1 << b2(s, base));
        case 'del':
          return (s, base) => a(s, base) & ~(1 << b2(s, base));
        case 'min':
          return (s, base) => Math.min(a(s, base), b2(s, base));
        case 'max':
          return (s, base) => Math.max(a(s, base), b2(s, base));
        default:
          return assertNever(x.fn);
      }
    }
    case 'unary': {
      const f = l(x.of);
      if (x.op === '!') return (s, b) => (f(s, b) ? 0 : 1);
      if (x.op === '~') return (s, b) => ~f(s, b);
      return (s, b) => -f(s, b) | 0;
    }
    case 'bin':
      return binary(x.op, l(x.l), l(x.r));
    case 'cond': {
      const [kf, af, bf] = [l(x.c), l(x.a), l(x.b)];
      return (s, base) => (kf(s, base) ? af(s, base) : bf(s, base));
    }
    case 'lowest': {
      const f = l(x.of);
      return (s, b) => {
        const m = f(s, b);
        return 31 - Math.clz32(m & -m);
      };
    }
    case 'withoutLowest': {
      const f = l(x.of);
      return (s, b) => {
        const m = f(s, b);
        return m & (m - 1);
      };
    }
    case 'instanceOf': {
      const f = l(x.of);
      const { what, className, members } = x;
      return (s, b) => {
        const v = f(s, b);
        const id = members[v];
        if (id === undefined) throw new ModelRuntimeError(`${what}: ${v} is not an instance of ${className} (it has ${members.length})`);
        return id;
      };
    }
    case 'rank': {
      const f = l(x.of);
      const { what, className } = x;
      const n = x.members.length;
      return (s, b) => {
        const v = f(s, b);
        if (!(v >= 0 && v < n)) throw new ModelRuntimeError(`${what}: ${v} is not an instance of ${className} (it has ${n})`);
        return v;
      };
    }
    default:
      return assertNever(x);
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
    default:
      return assertNever(op);
  }
}

/** Evaluates an expression without a state: for constant folding (throws what running it would throw). */
export function evaluateConstant(x: IrExpr, ctx: LinkContext): number {
  return linkExpr(x, ctx)(new Int32Array(0), 0);
}

/** The instruction with each expression replaced by what `x` makes of it (fields in a fixed order). */
function linkInstr(i: Instr<IrExpr>, x: (y: IrExpr) => Ev): Instr {
  const lv = (l: LValue<IrExpr>): LValue => ({ ...l, index: l.index && x(l.index) });
  switch (i.op) {
    case 'acquire':
      return { ...i, lock: x(i.lock), nest: i.nest && x(i.nest) };
    case 'release':
    case 'assert_held':
      return { ...i, lock: x(i.lock) };
    case 'assign':
      return { ...i, target: lv(i.target), value: x(i.value) };
    case 'pick':
      return { ...i, target: lv(i.target), set: x(i.set) };
    case 'branch':
    case 'assert':
    case 'wait':
      return { ...i, cond: x(i.cond) };
    case 'sync_begin':
    case 'sync_wait':
      return { ...i, srcu: i.srcu && x(i.srcu) };
    case 'flush_begin':
    case 'completion':
      return i.item ? { ...i, item: x(i.item) } : (i as Instr);
    case 'jump':
    case 'choose':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'idle':
    case 'work_return':
    case 'flush_wait':
    case 'end':
      return i;
    default:
      return assertNever(i);
  }
}

export interface LinkOptions {
  /** run the closures of this module (the reference interpreter) instead of generated code */
  interpret?: boolean;
}

/**
 * The runnable model: every expression of the IR linked, everything else shared with it. By default the
 * expressions and each thread's local instructions are generated JavaScript (model/codegen.ts); with
 * `interpret` they are this module's closures, the reference the generated code is tested against.
 */
export function link(ir: IrModel, opts: LinkOptions = {}): CompiledModel {
  const classes = ir.classes.map((c) => (c.cmpRules ? { ...c, cmpFn: makeCmpFn(c.cmpRules, ir.instances) } : c));
  const ctx: LinkContext = { classes, instances: ir.instances };
  const helpers = opts.interpret ? undefined : makeHelpers(ctx);
  // copies of one thread share one program (symmetry reduction and the POR cache rely on it): link it once
  const linked = new Map<Instr<IrExpr>[], { code: Instr[]; runLocal?: LocalRunner }>();
  const linkCode = (c: Instr<IrExpr>[]) => {
    const hit = linked.get(c);
    if (hit) return hit;
    let out: { code: Instr[]; runLocal?: LocalRunner };
    if (!helpers) out = { code: c.map((i) => linkInstr(i, (y) => linkExpr(y, ctx))) };
    else {
      // two passes in the same field order: collect the expressions, generate them in one go, then link
      const batch = new ExprBatch(helpers);
      const collect = (y: IrExpr): Ev => (batch.add(y), NOT_BUILT);
      c.forEach((i) => linkInstr(i, collect));
      batch.build();
      out = { code: c.map((i) => linkInstr(i, () => batch.get())), runLocal: generateLocalRunner(c, helpers) };
    }
    linked.set(c, out);
    return out;
  };
  const threads: ThreadProg[] = ir.threads.map((t) => {
    const { code, runLocal } = linkCode(t.code);
    return runLocal ? { ...t, code, runLocal } : { ...t, code };
  });
  const finals: FinalAssert[] = ir.finals.map((f) => ({ ...f, cond: linkExpr(f.cond, ctx) }));
  return { ...ir, classes, threads, finals };
}

const NOT_BUILT: Ev = () => {
  throw new Error('internal: a generated expression used before it was built');
};
