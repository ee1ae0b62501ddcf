// Expressions of the data IR: plain objects with every name resolved to a state slot, a constant, a lock
// class or an instance, so that the compiler's output can be printed, compared and analysed without running
// it. The link step (model/link.ts) turns them into the closures the explorer evaluates.
import { BinOp } from '../spec/expressions';
import { assertNever } from '../assert-never';

export type SetFunction = 'size' | 'has' | 'add' | 'del';

export type IrExpr =
  /** of: the constant names a lock instance, or is the set all(CLASS) (for how traces print values) */
  | { e: 'const'; v: number; of?: 'instance' | 'set' }
  /** one slot: absolute for a shared var, relative to the thread's base for a local */
  | { e: 'slot'; shared: boolean; offset: number; name: string }
  /** an array element, bounds-checked against size */
  | { e: 'element'; shared: boolean; offset: number; size: number; name: string; index: IrExpr }
  | { e: 'attr'; of: IrExpr; attr: string }
  /** a set of instances as a bit mask */
  | { e: 'set'; items: IrExpr[] }
  | { e: 'call'; fn: SetFunction | 'cmp' | 'min' | 'max'; args: IrExpr[] }
  | { e: 'unary'; op: '!' | '~' | '-'; of: IrExpr }
  | { e: 'bin'; op: BinOp; l: IrExpr; r: IrExpr }
  | { e: 'cond'; c: IrExpr; a: IrExpr; b: IrExpr }
  /** foreach: the lowest member of a set, and the set without it */
  | { e: 'lowest'; of: IrExpr }
  | { e: 'withoutLowest'; of: IrExpr }
  /** the value, which must be an instance of the class (a lock reference such as net[n]) */
  | { e: 'instanceOf'; of: IrExpr; members: number[]; className: string; what: string }
  /** the position within its class of the instance the value names (an array indexed by a class) */
  | { e: 'rank'; of: IrExpr; members: number[]; className: string; what: string };

export const irConst = (v: number): IrExpr => ({ e: 'const', v });

/** The expression in the spec language's own syntax, with what the compiler resolved made visible. */
export function renderExpr(x: IrExpr): string {
  const r = renderExpr;
  switch (x.e) {
    case 'const':
      return String(x.v);
    case 'slot':
      return x.name;
    case 'element':
      return `${x.name}[${r(x.index)}]`;
    case 'attr':
      return `${r(x.of)}.${x.attr}`;
    case 'set':
      return `{${x.items.map(r).join(', ')}}`;
    case 'call':
      return `${x.fn}(${x.args.map(r).join(', ')})`;
    case 'unary':
      return `${x.op}${r(x.of)}`;
    case 'bin':
      return `(${r(x.l)} ${x.op} ${r(x.r)})`;
    case 'cond':
      return `(${r(x.c)} ? ${r(x.a)} : ${r(x.b)})`;
    case 'lowest':
      return `lowest(${r(x.of)})`;
    case 'withoutLowest':
      return `without_lowest(${r(x.of)})`;
    case 'instanceOf':
      return `${x.className}[${r(x.of)}]`;
    case 'rank':
      return `rank_in(${x.className}, ${r(x.of)})`;
    default:
      return assertNever(x);
  }
}
