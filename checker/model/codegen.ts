// Generated code: the data IR compiled to specialised JavaScript (`new Function`), the fast twin of the closure
// linker in link.ts, which stays the reference (`--interpret` runs it; the oracle compares both). Two things
// are generated:
//  - each expression as one function over (state, thread base), its sub-expressions inlined over the state
//    array instead of a tree of closures;
//  - per thread, a runner for its thread-local instructions: a `switch (pc)` whose cases are the local
//    instructions as straight-line code (falling through to the next one), returning the pc of the first
//    instruction it does not run (a scheduling point, `end`, or an op left to the interpreter).
// Runtime checks are the closures' own, in the same order (an index is checked before it is used, a divisor
// before the dividend is evaluated), with the same messages, so both give the same states, events and errors.
import { assertNever } from '../assert-never';
import { BinOp } from '../spec/expressions';
import { Ev, Instr, isSchedulingPoint, LockClass, LockInstance, T_PC } from './ir';
import { IrExpr } from './ir-expr';
import { ModelRuntimeError } from './runtime-error';
import { cmpAt, instanceAt } from './instances';

interface GenContext {
  classes: LockClass[];
  instances: LockInstance[];
}

/** What generated code calls for the rare, checked operations (kept out of line: they throw or look things up). */
export class Helpers {
  readonly tables: { members: readonly number[]; what: string; className: string }[] = [];
  constructor(private readonly ctx: GenContext) {}
  oob(i: number, size: number, name: string): never {
    throw new ModelRuntimeError(`index ${i} out of range for ${name}[${size}]`);
  }
  divZero(): never {
    throw new ModelRuntimeError('division by zero');
  }
  tooMany(): never {
    throw new ModelRuntimeError(`more than ${MAX_LOCAL_STEPS} local steps without a visible one (an unbounded loop?)`);
  }
  attr(cls: number, v: number, attr: string): number {
    const inst = instanceAt(this.ctx.classes, this.ctx.instances, cls, v, `.${attr}`);
    const a = inst.attrs[attr];
    if (a === undefined) throw new ModelRuntimeError(`${inst.name} has no attribute ${attr}`);
    return a;
  }
  cmp(cls: number, p: number, q: number): number {
    return cmpAt(this.ctx.classes, this.ctx.instances, cls, p, q);
  }
  popcount(x: number): number {
    x = x - ((x >>> 1) & 0x55555555);
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  instanceOf(k: number, v: number): number {
    const t = this.tables[k];
    const id = t.members[v];
    if (id === undefined) throw new ModelRuntimeError(`${t.what}: ${v} is not an instance of ${t.className} (it has ${t.members.length})`);
    return id;
  }
  rank(k: number, v: number): number {
    const t = this.tables[k];
    if (!(v >= 0 && v < t.members.length)) throw new ModelRuntimeError(`${t.what}: ${v} is not an instance of ${t.className} (it has ${t.members.length})`);
    return v;
  }
}

/** Writes JavaScript for expressions; temporaries are declared once per generated function. */
class ExprWriter {
  private temps = 0;
  constructor(private readonly h: Helpers) {}
  temp(): string {
    return `t${this.temps++}`;
  }
  declarations(): string {
    return this.temps ? `let ${Array.from({ length: this.temps }, (_, k) => `t${k}`).join(', ')};` : '';
  }
  /** JS for x over `s` (the state) and `b` (the thread base); evaluates exactly as linkExpr's closures do. */
  js(x: IrExpr): string {
    const r = (y: IrExpr) => this.js(y);
    switch (x.e) {
      case 'const':
        return x.v < 0 ? `(${x.v})` : String(x.v);
      case 'slot':
        return x.shared ? `s[${x.offset}]` : `s[b + ${x.offset}]`;
      case 'element': {
        const i = this.temp();
        const at = x.shared ? `${x.offset} + ${i}` : `b + ${x.offset} + ${i}`;
        return `((${i} = ${r(x.index)}) >= 0 && ${i} < ${x.size} ? s[${at}] : h.oob(${i}, ${x.size}, ${JSON.stringify(x.name)}))`;
      }
      case 'attr':
        return `h.attr(${x.cls}, ${r(x.of)}, ${JSON.stringify(x.attr)})`;
      case 'set':
        return x.items.length === 0 ? '0' : `(${x.items.map((y) => `(1 << ${r(y)})`).join(' | ')})`;
      case 'call': {
        const [a, b] = x.args.map(r);
        switch (x.fn) {
          case 'cmp':
            return `h.cmp(${x.cls ?? -1}, ${a}, ${b})`;
          case 'size':
            return `h.popcount(${a})`;
          case 'has':
            return `((${a} >>> ${b}) & 1)`;
          case 'add':
            return `(${a} | (1 << ${b}))`;
          case 'del':
            return `(${a} & ~(1 << ${b}))`;
          case 'min':
            return `Math.min(${a}, ${b})`;
          case 'max':
            return `Math.max(${a}, ${b})`;
          default:
            return assertNever(x.fn);
        }
      }
      case 'unary':
        if (x.op === '!') return `(${r(x.of)} ? 0 : 1)`;
        if (x.op === '~') return `(~${r(x.of)})`;
        return `(-${r(x.of)} | 0)`;
      case 'bin':
        return this.binary(x.op, x.l, x.r);
      case 'cond':
        return `(${r(x.c)} ? ${r(x.a)} : ${r(x.b)})`;
      case 'lowest': {
        const m = this.temp();
        return `((${m} = ${r(x.of)}), 31 - Math.clz32(${m} & -${m}))`;
      }
      case 'withoutLowest': {
        const m = this.temp();
        return `((${m} = ${r(x.of)}), ${m} & (${m} - 1))`;
      }
      case 'instanceOf':
      case 'rank': {
        const k = this.h.tables.length;
        this.h.tables.push({ members: x.members, what: x.what, className: x.className });
        return `h.${x.e}(${k}, ${r(x.of)})`;
      }
      default:
        return assertNever(x);
    }
  }

  private binary(op: BinOp, lx: IrExpr, rx: IrExpr): string {
    const l = this.js(lx);
    const r = this.js(rx);
    switch (op) {
      case '||':
        return `(${l} || ${r} ? 1 : 0)`;
      case '&&':
        return `(${l} && ${r} ? 1 : 0)`;
      case '==':
        return `(${l} === ${r} ? 1 : 0)`;
      case '!=':
        return `(${l} !== ${r} ? 1 : 0)`;
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `(${l} ${op} ${r} ? 1 : 0)`;
      case '+':
      case '-':
        return `((${l} ${op} ${r}) | 0)`;
      case '*':
        return `Math.imul(${l}, ${r})`;
      case '|':
      case '&':
        return `(${l} ${op} ${r})`;
      case '/':
      case '%': {
        // the divisor first, as the closure does: its error (if any) comes before the dividend's
        const d = this.temp();
        const div = op === '/' ? `((${l} / ${d}) | 0)` : `(${l} % ${d})`;
        return `((${d} = ${r}) === 0 ? h.divZero() : ${div})`;
      }
      default:
        return assertNever(op);
    }
  }
}

/**
 * Generated functions for many expressions at once (one `new Function` for all of them: compiling each alone
 * would cost more than a big spec's whole search): `add` each, then `build`, then `get` them in the same order.
 */
export class ExprBatch {
  private readonly sources: string[] = [];
  private built: Ev[] = [];
  private next = 0;
  constructor(private readonly h: Helpers) {}
  add(x: IrExpr): void {
    const w = new ExprWriter(this.h);
    const body = w.js(x);
    this.sources.push(`function (s, b) { ${w.declarations()} return ${body}; }`);
  }
  build(): void {
    this.built = this.sources.length ? (new Function('h', `return [\n${this.sources.join(',\n')}\n];`)(this.h) as Ev[]) : [];
  }
  get(): Ev {
    return this.built[this.next++];
  }
}

/** The helper object generated code of one model calls. */
export const makeHelpers = (ctx: GenContext) => new Helpers(ctx);

/**
 * Runs a thread's local instructions from pc on (state s, thread base b) and returns the pc where it stopped:
 * the first scheduling point or `end`. It keeps the state's pc slot current, also when it throws (the machine
 * reports a runtime error at that pc). `fail(k)` reports the failed assertion at instruction k; `other(k)`
 * has the interpreter run a local instruction that is not generated (it returns the next pc).
 */
export type LocalRunner = (s: Int32Array, b: number, pc: number, fail: (k: number) => void, other: (k: number) => number) => number;

/** The largest number of local steps between two visible ones (the interpreter's bound: an unbounded loop). */
export const MAX_LOCAL_STEPS = 100000;

/** The local runner of a thread's code, or undefined when the code has no local instruction. */
export function generateLocalRunner(code: readonly Instr<IrExpr>[], h: Helpers): LocalRunner | undefined {
  const w = new ExprWriter(h);
  const cases: string[] = [];
  let any = false;
  code.forEach((i, pc) => {
    if (i.op === 'end' || isSchedulingPoint(i)) {
      cases.push(`case ${pc}: s[b + ${T_PC}] = ${pc}; return ${pc};`);
      return;
    }
    any = true;
    // counted per instruction, as the interpreter counts: the same instruction passes the bound
    const head = `case ${pc}: pc = ${pc}; if (++n > ${MAX_LOCAL_STEPS + 1}) h.tooMany();`;
    const js = localJs(i, pc, w) ?? `s[b + ${T_PC}] = ${pc}; pc = other(${pc}); continue;`;
    cases.push(`${head}\n${js}`);
  });
  if (!any) return undefined;
  const src = `
return function run(s, b, pc, fail, other) {
  ${w.declarations()}
  let n = 0;
  try {
    for (;;) {
      switch (pc) {
${cases.join('\n')}
        default: s[b + ${T_PC}] = pc; return pc;
      }
    }
  } catch (e) { s[b + ${T_PC}] = pc; throw e; }
};`;
  return new Function('h', src)(h) as LocalRunner;
}

/**
 * JS for a local instruction at pc, falling through to pc + 1 (or setting pc and `continue` for a jump), or
 * undefined when it is left to the interpreter.
 */
function localJs(i: Instr<IrExpr>, pc: number, w: ExprWriter): string | undefined {
  switch (i.op) {
    case 'assign': {
      const lv = i.target;
      if (lv.global) return undefined; // a write to shared state is a scheduling point, and may need its guard
      const v = w.temp();
      if (!lv.index) return `${v} = ${w.js(i.value)}; s[b + ${lv.offset}] = ${v};`;
      const k = w.temp();
      // the value first, then the index, as Machine.store does
      return `${v} = ${w.js(i.value)}; ${k} = ${w.js(lv.index)}; if (${k} < 0 || ${k} >= ${lv.size}) h.oob(${k}, ${lv.size}, ${JSON.stringify(lv.name)}); s[b + ${lv.offset} + ${k}] = ${v};`;
    }
    case 'branch':
      return `if (!${w.js(i.cond)}) { pc = ${i.elseTarget}; continue; }`;
    case 'jump':
      return `pc = ${i.target}; continue;`;
    case 'assert':
      return `if (!${w.js(i.cond)}) fail(${pc});`;
    case 'acquire':
    case 'release':
    case 'choose':
    case 'pick':
    case 'assert_held':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'sync_begin':
    case 'sync_wait':
    case 'wait':
    case 'idle':
    case 'work_return':
    case 'flush_begin':
    case 'flush_wait':
    case 'completion':
    case 'end':
      return undefined;
    default:
      return assertNever(i);
  }
}
