// Expressions: readable C-like strings ("nets[i] == n && len < 3") parsed into an AST whose nodes keep
// their offset in the string, so errors point at the exact character.
import { assertNever } from '../assert-never';

export type Expr =
  | { t: 'num'; v: number; at: number }
  | { t: 'name'; name: string; at: number }
  | { t: 'index'; base: Expr; index: Expr; at: number }
  | { t: 'attr'; base: Expr; attr: string; at: number }
  | { t: 'call'; fn: string; args: Expr[]; at: number }
  | { t: 'set'; items: Expr[]; at: number }
  | { t: 'unary'; op: '!' | '-' | '~'; e: Expr; at: number }
  | { t: 'bin'; op: BinOp; l: Expr; r: Expr; at: number }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr; at: number };

/** The subexpressions of e, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.t) {
    case 'num':
    case 'name':
      return [];
    case 'index':
      return [e.base, e.index];
    case 'attr':
      return [e.base];
    case 'call':
      return e.args;
    case 'set':
      return e.items;
    case 'unary':
      return [e.e];
    case 'bin':
      return [e.l, e.r];
    case 'cond':
      return [e.c, e.a, e.b];
    default:
      return assertNever(e);
  }
}

export type BinOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%' | '|' | '&';

export class ExprSyntaxError extends Error {
  constructor(
    message: string,
    public at: number,
  ) {
    super(message);
  }
}

interface Tok {
  k: 'num' | 'id' | 'op' | 'end';
  s: string;
  at: number;
}

const OPS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%', '!', '(', ')', '[', ']', '{', '}', ',', '.', '?', ':', '|', '&', '~'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(0x[0-9a-fA-F]+|[0-9]+)/.exec(src.slice(i));
    if (num) {
      out.push({ k: 'num', s: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (id) {
      out.push({ k: 'id', s: id[0], at: i });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
    out.push({ k: 'op', s: op, at: i });
    i += op.length;
  }
  out.push({ k: 'end', s: '', at: src.length });
  return out;
}

/**
 * How deep an expression may nest (parentheses, operator chains, subscripts). Later stages compile and
 * evaluate expressions recursively, so an unbounded depth would overflow the stack: a limit far beyond any
 * real kernel condition turns that into an expression error at the offending character.
 */
export const MAX_EXPR_DEPTH = 200;

const BINARY: BinOp[][] = [['||'], ['&&'], ['|'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

/** Values live in an Int32Array state: anything outside this range would wrap silently. */
export function fitsInt32(v: number): boolean {
  return Number.isInteger(v) && v <= 0x7fffffff && v >= -0x80000000;
}

export function parseExpr(src: string | number): Expr {
  if (typeof src === 'number') {
    if (!Number.isInteger(src)) throw new ExprSyntaxError(`${src} is not an integer`, 0);
    if (!fitsInt32(src)) throw new ExprSyntaxError(`${src} is out of range (32-bit integers)`, 0);
    return { t: 'num', v: src, at: 0 };
  }
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const take = () => toks[p++];
  // Depth of each node built so far (a chain "1+1+...+1" nests by iteration, not by recursion) and of the
  // parser's own recursion ("((((1))))", "!!!!x"): both stay within MAX_EXPR_DEPTH.
  const depths = new WeakMap<Expr, number>();
  const tooDeep = (at: number): never => {
    throw new ExprSyntaxError(`expression nested more than ${MAX_EXPR_DEPTH} levels deep`, at);
  };
  const node = <E extends Expr>(e: E, children: Expr[]): E => {
    const d = 1 + children.reduce((m, c) => Math.max(m, depths.get(c) ?? 1), 0);
    if (d > MAX_EXPR_DEPTH) tooDeep(e.at);
    depths.set(e, d);
    return e;
  };
  let nesting = 0;
  const nested = <T>(at: number, f: () => T): T => {
    if (++nesting > MAX_EXPR_DEPTH) tooDeep(at);
    try {
      return f();
    } finally {
      nesting--;
    }
  };
  const expect = (s: string) => {
    const t = take();
    if (t.s !== s || t.k === 'end') throw new ExprSyntaxError(`expected '${s}', found ${t.k === 'end' ? 'end of expression' : `'${t.s}'`}`, t.at);
    return t;
  };

  const ternary = (): Expr =>
    nested(peek().at, () => {
      const c = binary(0);
      if (peek().s === '?' && peek().k === 'op') {
        const at = take().at;
        const a = ternary();
        expect(':');
        const b = ternary();
        return node({ t: 'cond', c, a, b, at }, [c, a, b]);
      }
      return c;
    });
  const binary = (level: number): Expr => {
    if (level >= BINARY.length) return unary();
    let l = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t.k === 'op' && (BINARY[level] as string[]).includes(t.s)) {
        take();
        const r = binary(level + 1);
        l = node({ t: 'bin', op: t.s as BinOp, l, r, at: t.at }, [l, r]);
      } else return l;
    }
  };
  const unary = (): Expr => {
    const t = peek();
    if (t.k === 'op' && (t.s === '!' || t.s === '-' || t.s === '~')) {
      take();
      const e = nested(t.at, unary);
      return node({ t: 'unary', op: t.s, e, at: t.at }, [e]);
    }
    return postfix();
  };
  const postfix = (): Expr => {
    let e = primary();
    for (;;) {
      const t = peek();
      if (t.k === 'op' && t.s === '[') {
        take();
        const index = ternary();
        expect(']');
        e = node({ t: 'index', base: e, index, at: t.at }, [e, index]);
      } else if (t.k === 'op' && t.s === '.') {
        take();
        const a = take();
        if (a.k !== 'id') throw new ExprSyntaxError(`expected an attribute name after '.'`, a.at);
        e = node({ t: 'attr', base: e, attr: a.s, at: a.at }, [e]);
      } else return e;
    }
  };
  const list = (close: string): Expr[] => {
    const items: Expr[] = [];
    if (peek().s === close && peek().k === 'op') {
      take();
      return items;
    }
    for (;;) {
      items.push(ternary());
      const t = take();
      if (t.s === close && t.k === 'op') return items;
      if (t.s !== ',' || t.k !== 'op') throw new ExprSyntaxError(`expected ',' or '${close}', found ${t.k === 'end' ? 'end of expression' : `'${t.s}'`}`, t.at);
    }
  };
  const primary = (): Expr => {
    const t = take();
    if (t.k === 'num') {
      const v = Number(t.s);
      if (!fitsInt32(v)) throw new ExprSyntaxError(`number ${t.s} is too large (32-bit integers)`, t.at);
      return { t: 'num', v, at: t.at };
    }
    if (t.k === 'id') {
      if (t.s === 'true') return { t: 'num', v: 1, at: t.at };
      if (t.s === 'false') return { t: 'num', v: 0, at: t.at };
      if (peek().k === 'op' && peek().s === '(') {
        take();
        const args = list(')');
        return node({ t: 'call', fn: t.s, args, at: t.at }, args);
      }
      return { t: 'name', name: t.s, at: t.at };
    }
    if (t.k === 'op' && t.s === '(') {
      const e = ternary();
      expect(')');
      return e;
    }
    if (t.k === 'op' && t.s === '{') {
      const items = list('}');
      return node({ t: 'set', items, at: t.at }, items);
    }
    throw new ExprSyntaxError(t.k === 'end' ? 'unexpected end of expression' : `unexpected '${t.s}'`, t.at);
  };

  if (toks.length === 1) throw new ExprSyntaxError('empty expression', 0);
  const e = ternary();
  const rest = peek();
  if (rest.k !== 'end') throw new ExprSyntaxError(`unexpected '${rest.s}' after the expression`, rest.at);
  return e;
}

/** A lock reference "rtnl_mutex" or "net[nets[i]]": the class name and an optional instance expression. */
export interface LockRefAst {
  lock: string;
  index?: Expr;
  /** offset of the index expression within the string */
  indexAt: number;
}

export function parseLockRef(src: string): LockRefAst {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\[)?/.exec(src);
  if (!m) throw new ExprSyntaxError('expected a lock name, e.g. "rtnl_mutex" or "net[n]"', 0);
  if (!m[2]) {
    if (src.slice(m[0].length).trim() !== '') throw new ExprSyntaxError(`unexpected text after lock name`, m[0].length);
    return { lock: m[1], indexAt: 0 };
  }
  const close = src.lastIndexOf(']');
  if (close < m[0].length || src.slice(close + 1).trim() !== '') throw new ExprSyntaxError(`expected ']' at the end of the lock reference`, src.length);
  const inner = src.slice(m[0].length, close);
  try {
    return { lock: m[1], index: parseExpr(inner), indexAt: m[0].length };
  } catch (e) {
    if (e instanceof ExprSyntaxError) throw new ExprSyntaxError(e.message, e.at + m[0].length);
    throw e;
  }
}
