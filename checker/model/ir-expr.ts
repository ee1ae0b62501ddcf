// Expressions of the data IR: plain objects with every name resolved to a state slot, a constant, a lock
// class or an instance, so that the compiler's output can be printed, compared and analysed without running
// it. The link step (model/link.ts) turns them into the closures the explorer evaluates.
import { BinOp } from '../spec/expressions';
import { assertNever } from '../assert-never';

export type SetFunction = 'size' | 'has' | 'add' | 'del';

export type IrExpr =
  /** of: the constant names a lock instance of class cls (v is its position), or is the set all(CLASS) */
  | { e: 'const'; v: number; of?: 'instance' | 'set'; cls?: number }
  /** one slot: absolute for a shared var, relative to the thread's base for a local */
  | { e: 'slot'; shared: boolean; offset: number; name: string }
  /** an array element, bounds-checked against size; cls: the array is sized by that lock class (one per instance) */
  | { e: 'element'; shared: boolean; offset: number; size: number; name: string; index: IrExpr; cls?: number }
  /** an attribute of the instance at position `of` of class cls (decided at compile time; -1 until then) */
  | { e: 'attr'; of: IrExpr; attr: string; cls: number }
  /** a set of instances as a bit mask */
  | { e: 'set'; items: IrExpr[] }
  /** cls: for cmp, the class whose cmp_fn orders the two positions (decided at compile time; -1 until then) */
  | { e: 'call'; fn: SetFunction | 'cmp' | 'min' | 'max'; args: IrExpr[]; cls?: number }
  | { e: 'unary'; op: '!' | '~' | '-'; of: IrExpr }
  | { e: 'bin'; op: BinOp; l: IrExpr; r: IrExpr }
  | { e: 'cond'; c: IrExpr; a: IrExpr; b: IrExpr }
  /** foreach: the lowest member of a set, and the set without it */
  | { e: 'lowest'; of: IrExpr }
  | { e: 'withoutLowest'; of: IrExpr }
  /** the instance at position `of` of the class, range-checked: its global id (a lock reference such as net[n]) */
  | { e: 'instanceOf'; of: IrExpr; members: number[]; className: string; what: string }
  /** the value, range-checked as a position within the class (a work item or completion per instance) */
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
