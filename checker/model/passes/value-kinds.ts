// Pass 6, value kinds: how traces print each variable's values. The state holds integers only; a variable
// that the program uses as a lock instance (picked from all(CLASS), named in a lock reference such as
// net[n], compared with cmp(), assigned an instance name) prints as that instance's name, and one used as a
// set of instances as its members. Flow-insensitive: a write unifies the variable with what it is assigned,
// and a use gives evidence; plain integer literals give none (rtnl_nets_init() zeroes a table of netns).
// Locals are keyed by their procedure and name within their thread's code (slots are reused by procedure
// frames; procedures do not recurse); a by_ref or array parameter's name is unified with the caller's
// variable at each write through it. Runs once per compile over the IR; a search looks at none of it.
import { assertNever } from '../../assert-never';
import { GlobalVar, Instr, IrModel, LValue, ValueKind } from '../ir';
import { IrExpr, renderExpr } from '../ir-expr';
import { SourcePos } from '../../diagnostics/diagnostic';

/** the classes of the instances a variable was seen holding (-1: an instance of some class), as one or as a set */
type Evidence = { instance: Set<number>; set: Set<number> };
type Of = ValueKind['of'];

class Kinds {
  private parent = new Map<string, string>();
  private evidence = new Map<string, Evidence>();

  find(k: string): string {
    let p = this.parent.get(k);
    if (p === undefined) {
      this.parent.set(k, k);
      this.evidence.set(k, { instance: new Set(), set: new Set() });
      return k;
    }
    while (p !== k) {
      k = p;
      p = this.parent.get(k)!;
    }
    return k;
  }

  union(a: string, b: string) {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra === rb) return;
    this.parent.set(rb, ra);
    const [ea, eb] = [this.evidence.get(ra)!, this.evidence.get(rb)!];
    this.evidence.set(ra, { instance: new Set([...ea.instance, ...eb.instance]), set: new Set([...ea.set, ...eb.set]) });
    // one variable: what its members hold is one too (members of members are not tracked)
    if (!ra.startsWith('m:') && (this.parent.has(`m:${ra}`) || this.parent.has(`m:${rb}`))) this.union(`m:${ra}`, `m:${rb}`);
  }

  /** The key of what a set variable's members hold: has(s, x), add(s, x), foreach and pick unify x with it. */
  member(k: string): string {
    return `m:${this.find(k)}`;
  }

  mark(k: string, kind: ValueKind) {
    this.evidence.get(this.find(k))![kind.of].add(kind.cls);
  }

  /** the classes of the instances a variable was seen holding (-1 left out) */
  instanceClasses(k: string): number[] {
    return [...this.evidence.get(this.find(k))!.instance].filter((c) => c >= 0);
  }

  kindOf(k: string): ValueKind | undefined {
    const e = this.evidence.get(this.find(k))!;
    const one = (s: Set<number>) => {
      const known = [...s].filter((c) => c >= 0);
      return known.length === 1 ? known[0] : -1;
    };
    if (e.instance.size > 0 && e.set.size === 0) return { of: 'instance', cls: one(e.instance) };
    if (e.set.size > 0 && e.instance.size === 0) {
      const cls = one(e.set);
      // a set built with add() of instances of one class is a set of that class
      const m = cls < 0 && this.parent.has(this.member(k)) ? this.kindOf(this.member(k)) : undefined;
      return { of: 'set', cls: m?.of === 'instance' ? m.cls : cls };
    }
    return undefined;
  }
}

/** An instance whose class the compiler needs and cannot tell, or an index of the wrong class: for diagnostics. */
export type ClassProblem =
  | { kind: 'undecided'; src: SourcePos; what: string; operand: string; need: 'attr' | 'cmp' }
  | { kind: 'wrongIndex'; src: SourcePos; array: string; expected: number; actual: number; index: string };

/**
 * Sets `kind` on every written LValue, thread local name and shared var of the model (in place), and the class
 * of every attribute read and cmp() that the expression alone did not decide; returns what it could not.
 */
export function inferValueKinds(ir: IrModel): ClassProblem[] {
  const k = new Kinds();
  const globalKey = (offset: number): string | undefined => {
    const g = ir.globals.find((v) => offset >= v.offset && offset < v.offset + v.size);
    return g && !g.internal ? `g:${g.name}` : undefined;
  };
  for (const g of ir.globals) if (g.kind && !g.internal) k.mark(`g:${g.name}`, g.kind);
  const classOf = (inst: number) => ir.instances[inst]?.cls ?? -1;
  const kind = (of: Of, cls = -1): ValueKind => ({ of, cls });
  const codes = [...new Set(ir.threads.map((t) => t.code))];
  const codeIndex = new Map(codes.map((c, i) => [c, i]));
  const localKey = (c: number, frame: string | undefined, name: string) => `l${c}:${frame ?? ''}:${name}`;
  const nameOf = (l: { name: string; frame?: string }) =>
    l.frame !== undefined && l.name.startsWith(`${l.frame}.`) ? l.name.slice(l.frame.length + 1) : l.name;
  for (const t of ir.threads) for (const l of t.localNames) if (l.kind) k.mark(localKey(codeIndex.get(t.code)!, l.frame, nameOf(l)), l.kind);
  /** The readers of one code's names; `frame` is the procedure of the instruction being read. */
  const reader = (c: number) => {
    let frame: string | undefined;
    const key = (shared: boolean, offset: number, name: string) => (shared ? globalKey(offset) : localKey(c, frame, name));
    /**
     * A local array is passed by reference: the callee's parameter names the caller's array, at its slots.
     * Arrays at one offset are one variable here (frames that reuse the slots for other arrays share a kind).
     */
    const arrayKey = (shared: boolean, offset: number, name: string) => {
      const named = key(shared, offset, name);
      if (!shared && named) k.union(`a${c}:${offset}`, named);
      return named;
    };
    const lvKey = (lv: LValue<IrExpr>) => {
      const here = lv.index || lv.size > 1 ? arrayKey(lv.global, lv.offset, lv.name) : key(lv.global, lv.offset, lv.name);
      if (lv.global || !lv.decl || !here) return here;
      const declared = localKey(c, lv.decl.frame, lv.decl.name.replace(/\[\d+\]$/, ''));
      k.union(declared, here);
      return declared;
    };
    /** what an expression's value is: a kind, or the variable it copies */
    const valueOf = (x: IrExpr): { kind?: ValueKind; key?: string } => {
      switch (x.e) {
        case 'const':
          // an instance name, or all(CLASS): the compiler noted the class
          return x.of ? { kind: kind(x.of, x.cls ?? -1) } : {};
        case 'slot':
          return { key: key(x.shared, x.offset, x.name) };
        case 'element':
          return { key: arrayKey(x.shared, x.offset, x.name) };
        case 'set': {
          // {a, b} of instance names is a set of instances (of their class); {0, 1} a set of integers
          const consts = x.items.filter((i) => i.e === 'const');
          if (consts.some((i) => !i.of)) return {};
          const classes = new Set(consts.map((i) => i.cls ?? -1));
          return { kind: kind('set', classes.size === 1 && consts.length === x.items.length ? [...classes][0] : -1) };
        }
        case 'withoutLowest':
          return { kind: kind('set') };
        case 'lowest': {
          const from = valueOf(x.of);
          return { kind: kind('instance', from.kind?.of === 'set' ? from.kind.cls : -1), ...(from.key ? { key: k.member(from.key) } : {}) };
        }
        case 'instanceOf':
          return { kind: kind('instance', classOf(x.members[0])) };
        case 'call':
          return x.fn === 'add' || x.fn === 'del' ? { kind: kind('set') } : {};
        case 'cond': {
          const [a, b] = [valueOf(x.a), valueOf(x.b)];
          if (a.key && b.key) k.union(a.key, b.key);
          return a.kind || a.key ? a : b;
        }
        case 'attr':
        case 'unary':
        case 'bin':
        case 'rank':
          return {};
        default:
          return assertNever(x);
      }
    };
    const evidence = (x: IrExpr | undefined, of: Of, cls = -1) => {
      const v = x && valueOf(x);
      if (v?.key) k.mark(v.key, kind(of, cls));
    };
    /** evidence from how values are used: the operand of a lock reference is an instance, of size() a set */
    const uses = (x: IrExpr): void => {
      switch (x.e) {
        case 'const':
        case 'slot':
          return;
        case 'element':
          // an array sized by a class is indexed by its instances
          if (x.cls !== undefined) evidence(x.index, 'instance', x.cls);
          return uses(x.index);
        case 'attr':
          evidence(x.of, 'instance', x.cls);
          return uses(x.of);
        case 'instanceOf':
        case 'rank':
          evidence(x.of, 'instance', classOf(x.members[0]));
          return uses(x.of);
        case 'lowest':
        case 'withoutLowest':
          evidence(x.of, 'set');
          return uses(x.of);
        case 'set':
          if (valueOf(x).kind) x.items.forEach((i) => evidence(i, 'instance'));
          return x.items.forEach(uses);
        case 'call':
          if (x.fn === 'cmp') {
            // both operands are instances of one class
            x.args.forEach((a) => evidence(a, 'instance', x.cls));
            const [a, b] = x.args.map(valueOf);
            if (a.key && b.key) k.union(a.key, b.key);
          } else if (x.fn !== 'min' && x.fn !== 'max') {
            evidence(x.args[0], 'set');
            if (x.fn !== 'size') {
              evidence(x.args[1], 'instance');
              const [set, member] = x.args.map(valueOf);
              if (set.key && member.key) k.union(k.member(set.key), member.key);
              else if (set.key && member.kind?.of === 'instance') k.mark(k.member(set.key), member.kind);
            }
          }
          return x.args.forEach(uses);
        case 'unary':
          return uses(x.of);
        case 'bin':
          uses(x.l);
          return uses(x.r);
        case 'cond':
          uses(x.c);
          uses(x.a);
          return uses(x.b);
        default:
          return assertNever(x);
      }
    };
    const write = (lk: string | undefined, v: { kind?: ValueKind; key?: string }) => {
      if (!lk) return;
      if (v.kind) k.mark(lk, v.kind);
      if (v.key) k.union(lk, v.key);
    };
    const enter = (i: Instr<IrExpr>) => (frame = i.frames[i.frames.length - 1]);
    return { valueOf, uses, write, evidence, lvKey, enter, setFrame: (f: string | undefined) => (frame = f) };
  };
  codes.forEach((code, c) => {
    const { valueOf, uses, write, evidence, lvKey, enter, setFrame } = reader(c);
    for (const i of code as Instr<IrExpr>[]) {
      enter(i);
      for (const x of exprsOf(i)) uses(x);
      if ((i.op === 'assign' || i.op === 'pick') && i.target.index && i.target.indexedBy !== undefined)
        evidence(i.target.index, 'instance', i.target.indexedBy);
      if (i.op === 'assign' && i.role !== 'reset' && i.role !== 'temp') {
        const target = lvKey(i.target);
        // an argument is evaluated in the caller's frame
        if (i.role === 'param') setFrame(i.frames[i.frames.length - 2]);
        write(target, valueOf(i.value));
      }
      if (i.op === 'pick') {
        // a member of the set it is picked from: of that set's class when the set is all(CLASS)
        const from = valueOf(i.set);
        if (from.kind || from.key) {
          write(lvKey(i.target), { kind: kind('instance', from.kind?.of === 'set' ? from.kind.cls : -1), ...(from.key ? { key: k.member(from.key) } : {}) });
          evidence(i.set, 'set');
        }
      }
    }
  });
  // every write learns its variable's kind, so a trace prints old and new values alike
  for (const code of codes) {
    const c = codeIndex.get(code)!;
    for (const i of code as Instr<IrExpr>[])
      if ((i.op === 'assign' || i.op === 'pick') && !(i.op === 'assign' && (i.role === 'reset' || i.role === 'temp'))) {
        const lv = i.target;
        const key = lv.global ? globalKey(lv.offset) : localKey(c, lv.decl?.frame, (lv.decl?.name ?? lv.name).replace(/\[\d+\]$/, ''));
        const found = key ? k.kindOf(key) : undefined;
        if (found) lv.kind = found;
      }
  }
  for (const t of ir.threads)
    for (const l of t.localNames) {
      const found = l.temp ? undefined : k.kindOf(localKey(codeIndex.get(t.code)!, l.frame, nameOf(l)));
      if (found) l.kind = found;
    }
  ir.globals.forEach((g: GlobalVar) => {
    const found = g.internal ? undefined : k.kindOf(`g:${g.name}`);
    if (found) g.kind = found;
  });

  // Values are positions within a class: an attribute, a cmp() and an array sized by a class need the class.
  const problems: ClassProblem[] = [];
  type ValueOf = (y: IrExpr) => { kind?: ValueKind; key?: string };
  /** the class of the instance an expression holds, -1 if not known */
  const classBy = (valueOf: ValueOf) => (y: IrExpr) => {
    const v = valueOf(y);
    const found = v.kind ?? (v.key ? k.kindOf(v.key) : undefined);
    return found?.of === 'instance' ? found.cls : -1;
  };
  const decide = (x: IrExpr, src: SourcePos, valueOf: ValueOf): void => {
    const classOfValue = classBy(valueOf);
    for (const sub of subExprs(x)) decide(sub, src, valueOf);
    if (x.e === 'attr' && x.cls < 0) {
      x.cls = classOfValue(x.of);
      if (x.cls < 0) problems.push({ kind: 'undecided', src, what: `.${x.attr}`, operand: renderExpr(x.of), need: 'attr' });
    } else if (x.e === 'call' && x.fn === 'cmp' && (x.cls ?? -1) < 0) {
      x.cls = Math.max(...x.args.map(classOfValue));
      if (x.cls < 0) problems.push({ kind: 'undecided', src, what: renderExpr(x), operand: x.args.map(renderExpr).join(' or '), need: 'cmp' });
    } else if (x.e === 'element' && x.cls !== undefined) wrongIndex(x.name, x.cls, x.index, src, valueOf);
  };
  /** an index seen holding an instance of another class (indexing the array itself is evidence for its class) */
  const wrongIndex = (array: string, expected: number, index: IrExpr, src: SourcePos, valueOf: ValueOf) => {
    const v = valueOf(index);
    const seen = v.kind?.of === 'instance' ? [v.kind.cls] : v.key ? k.instanceClasses(v.key) : [];
    const actual = seen.find((c) => c >= 0 && c !== expected);
    if (actual !== undefined) problems.push({ kind: 'wrongIndex', src, array, expected, actual, index: renderExpr(index) });
  };
  codes.forEach((code, c) => {
    const { valueOf, enter, setFrame } = reader(c);
    for (const i of code as Instr<IrExpr>[]) {
      enter(i);
      const lvIndex = i.op === 'assign' || i.op === 'pick' ? i.target.index : undefined;
      if (lvIndex) decide(lvIndex, i.src, valueOf);
      if (lvIndex && (i.op === 'assign' || i.op === 'pick') && i.target.indexedBy !== undefined)
        wrongIndex(i.target.name, i.target.indexedBy, lvIndex, i.src, valueOf);
      if (i.op === 'assign' && i.role === 'param') setFrame(i.frames[i.frames.length - 2]);
      for (const x of exprsOf(i)) if (x !== lvIndex) decide(x, i.src, valueOf);
    }
  });
  const shared = reader(-1);
  for (const f of ir.finals) decide(f.cond, f.src, shared.valueOf);
  return problems;
}

/** The expressions directly inside x. */
function subExprs(x: IrExpr): IrExpr[] {
  switch (x.e) {
    case 'const':
    case 'slot':
      return [];
    case 'element':
      return [x.index];
    case 'attr':
    case 'unary':
    case 'lowest':
    case 'withoutLowest':
    case 'instanceOf':
    case 'rank':
      return [x.of];
    case 'set':
      return x.items;
    case 'call':
      return x.args;
    case 'bin':
      return [x.l, x.r];
    case 'cond':
      return [x.c, x.a, x.b];
    default:
      return assertNever(x);
  }
}

function exprsOf(i: Instr<IrExpr>): IrExpr[] {
  const lv = (t: LValue<IrExpr>) => (t.index ? [t.index] : []);
  switch (i.op) {
    case 'acquire':
      return i.nest ? [i.lock, i.nest] : [i.lock];
    case 'release':
    case 'assert_held':
      return [i.lock];
    case 'assign':
      return [i.value, ...lv(i.target)];
    case 'pick':
      return [i.set, ...lv(i.target)];
    case 'branch':
    case 'assert':
    case 'wait':
      return [i.cond];
    case 'sync_begin':
    case 'sync_wait':
      return i.srcu ? [i.srcu] : [];
    case 'flush_begin':
    case 'completion':
      return i.item ? [i.item] : [];
    case 'flush_wait':
    case 'jump':
    case 'choose':
    case 'rcu_lock':
    case 'rcu_unlock':
    case 'idle':
    case 'work_return':
    case 'end':
      return [];
    default:
      return assertNever(i);
  }
}
