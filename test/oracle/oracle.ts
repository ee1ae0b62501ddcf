// Independent reference oracle for lockcheck: a brute-force explorer of every interleaving,
// written only from shared/conformance/README.md, lockdep-cases.md, shared/DESIGN.md, README.md and the
// spec schema. No reduction of any kind: plain breadth-first search over explicit states.
// See test/oracle/README.md for the rules and the decisions taken on ambiguities.
import * as fs from 'fs';
import * as path from 'path';

export type Kind = string;
export interface OracleResult {
  kinds: Record<Kind, number>; // finding kind -> length of a shortest trace (in steps)
  states: number;
  complete: boolean;
  error?: string;
  // the behaviours of the work and completion constructs the search went through (a coverage measure for the
  // generator; no effect on the findings)
  events?: string[];
  // explore(..., { schedule }): the state the schedule reached (a hand-checked case's window into one run)
  replay?: { steps: number; blockedAt?: string; queued: Record<string, number>; status: Record<string, string> };
  // explore(..., { edges: true }): the lock-order graph, "held/sub -> acquired/sub" -> its types (EN, ER, SN, SR:
  // held exclusively or shared, acquired non-recursively or as a recursive reader) and the length of the shortest
  // run to a state whose attempt adds it; with a schedule, the edges that run's attempts add
  edges?: Record<string, { types: string[]; depth: number }>;
}

// ---------------------------------------------------------------- expressions
type Tok = { t: string; v: string; p: number };
function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const ops = ['||', '&&', '==', '!=', '<=', '>=', '<<', '>>', '->'];
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i;
      if (s.startsWith('0x', i) || s.startsWith('0X', i)) {
        j = i + 2;
        while (j < s.length && /[0-9a-fA-F]/.test(s[j])) j++;
      } else while (j < s.length && /[0-9]/.test(s[j])) j++;
      out.push({ t: 'num', v: s.slice(i, j), p: i });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j])) j++;
      out.push({ t: 'id', v: s.slice(i, j), p: i });
      i = j;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (ops.includes(two)) {
      out.push({ t: 'op', v: two, p: i });
      i += 2;
      continue;
    }
    if ('!~+-*/%<>&|^?:()[]{},.'.includes(c)) {
      out.push({ t: 'op', v: c, p: i });
      i++;
      continue;
    }
    throw new Error(`bad character '${c}' in expression "${s}"`);
  }
  out.push({ t: 'eof', v: '', p: s.length });
  return out;
}

export type Ast =
  | { k: 'num'; v: number }
  | { k: 'id'; n: string }
  | { k: 'idx'; a: Ast; i: Ast }
  | { k: 'mem'; a: Ast; n: string }
  | { k: 'un'; op: string; a: Ast }
  | { k: 'bin'; op: string; a: Ast; b: Ast }
  | { k: 'tern'; c: Ast; a: Ast; b: Ast }
  | { k: 'set'; items: Ast[] }
  | { k: 'call'; f: string; args: Ast[] };

const BIN_LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

export function parseExpr(src: string | number): Ast {
  if (typeof src === 'number') return { k: 'num', v: src };
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const eat = (v?: string) => {
    const t = toks[p];
    if (v !== undefined && t.v !== v) throw new Error(`expected '${v}' at ${t.p} in "${src}"`);
    p++;
    return t;
  };
  function ternary(): Ast {
    const c = bin(0);
    if (peek().v === '?') {
      eat('?');
      const a = ternary();
      eat(':');
      const b = ternary();
      return { k: 'tern', c, a, b };
    }
    return c;
  }
  function bin(level: number): Ast {
    if (level >= BIN_LEVELS.length) return unary();
    let a = bin(level + 1);
    while (peek().t === 'op' && BIN_LEVELS[level].includes(peek().v)) {
      const op = eat().v;
      const b = bin(level + 1);
      a = { k: 'bin', op, a, b };
    }
    return a;
  }
  function unary(): Ast {
    const t = peek();
    if (t.t === 'op' && (t.v === '!' || t.v === '-' || t.v === '~' || t.v === '+')) {
      eat();
      return { k: 'un', op: t.v, a: unary() };
    }
    return postfix();
  }
  function postfix(): Ast {
    let a = primary();
    for (;;) {
      if (peek().v === '[') {
        eat('[');
        const i = ternary();
        eat(']');
        a = { k: 'idx', a, i };
      } else if (peek().v === '.' || peek().v === '->') {
        eat();
        const n = eat().v;
        a = { k: 'mem', a, n };
      } else return a;
    }
  }
  function primary(): Ast {
    const t = eat();
    if (t.t === 'num') return { k: 'num', v: Number(t.v) };
    if (t.t === 'id') {
      if (peek().v === '(') {
        eat('(');
        const args: Ast[] = [];
        if (peek().v !== ')') {
          args.push(ternary());
          while (peek().v === ',') {
            eat(',');
            args.push(ternary());
          }
        }
        eat(')');
        return { k: 'call', f: t.v, args };
      }
      return { k: 'id', n: t.v };
    }
    if (t.v === '(') {
      const a = ternary();
      eat(')');
      return a;
    }
    if (t.v === '{') {
      const items: Ast[] = [];
      if (peek().v !== '}') {
        items.push(ternary());
        while (peek().v === ',') {
          eat(',');
          items.push(ternary());
        }
      }
      eat('}');
      return { k: 'set', items };
    }
    throw new Error(`unexpected '${t.v}' at ${t.p} in "${src}"`);
  }
  const r = ternary();
  if (peek().t !== 'eof') throw new Error(`trailing '${peek().v}' in "${src}"`);
  return r;
}

// ---------------------------------------------------------------- model
interface LockClass {
  name: string;
  kind: string;
  insts: string[];
  attrs: Record<string, Record<string, number>>;
  cmp?: any[];
  base: number; // global lock id of instance 0
}
type Binding =
  | { b: 'local'; slot: number }
  | { b: 'localArr'; base: number; len: number }
  | { b: 'shared'; slot: number }
  | { b: 'sharedArr'; base: number; len: number }
  | { b: 'const'; v: number };
type Scope = Map<string, Binding>;

class RtErr extends Error {}

interface Ctx {
  st: State;
  a: number;
  rec: boolean;
  reads: number[];
  lreads?: number[];
}
type Ev = (c: Ctx) => number;
interface CExpr {
  ev: Ev;
  shared: boolean;
}
interface LockRefC {
  cls: LockClass;
  idx: CExpr | null;
  fixed: number;
}

type Instr =
  | { op: 'lock'; ref: LockRefC; read: boolean; sub: number; nest: LockRefC | null; vis: true }
  | { op: 'try'; ref: LockRefC; into: Place | null; skip: number; vis: true }
  | { op: 'unlock'; ref: LockRefC; vis: true }
  | { op: 'assign'; place: Place; e: CExpr; vis: boolean }
  | { op: 'arrinit'; base: number; len: number; e: CExpr; vis: boolean }
  | { op: 'br'; c: CExpr; f: number; vis: boolean; assigned?: number[] }
  | { op: 'jmp'; t: number; vis: false }
  | { op: 'choose'; ts: number[]; vis: true }
  | { op: 'pick'; place: Place; e: CExpr; vis: true }
  | { op: 'assert'; e: CExpr; vis: boolean }
  | { op: 'held'; ref: LockRefC; vis: false }
  | { op: 'rcu_lock' | 'rcu_unlock' | 'sync_rcu' | 'sync_rcu_wait'; vis: true }
  | { op: 'srcu_lock' | 'srcu_unlock' | 'sync_srcu' | 'sync_srcu_wait'; ref: LockRefC; vis: true }
  | { op: 'wait'; e: CExpr; vis: true }
  | { op: 'queue'; work: number; inst: CExpr | null; vis: true }
  // flush_work / cancel_work_sync: two steps, the flush starts (notes the run to wait for) and its wait ends
  | { op: 'flush'; cancel: boolean; work: number; inst: CExpr | null; into: Place | null; vis: true }
  | { op: 'flush_wait'; cancel: boolean; vis: true }
  | { op: 'cwait' | 'complete' | 'complete_all' | 'reinit'; comp: number; inst: CExpr | null; vis: true }
  | { op: 'ret'; e: CExpr | null; place: Place | null; t: number; vis: boolean }
  | { op: 'end'; vis: false };

interface Place {
  shared: boolean;
  slot: (c: Ctx) => number;
  ev: CExpr | null;
}

interface Agent {
  name: string;
  prog: Instr[];
  nloc: number;
  work?: number;
  init: number[];
  enc: number[][];
}

interface Model {
  classes: LockClass[];
  lockClassOf: LockClass[];
  lockName: string[];
  nlocks: number;
  sharedInit: number[];
  sharedGuard: (number | 'rcu' | null)[];
  nshared: number;
  agents: Agent[];
  nthreads: number;
  works: { name: string; per: LockClass | null; items: number[] }[];
  comps: { name: string; per: LockClass | null; base: number; n: number }[];
  ncomp: number;
  final: CExpr[];
  instValue: Map<string, { cls: LockClass; v: number }>;
  params: Map<string, number>;
  cmpInvalid: boolean;
  maxHeld: number; // options.max_held: locks (SRCU read sections included, RCU sections not) an agent may hold at once
}

interface State {
  pc: number[]; // -1 done, -2 idle worker
  loc: number[][];
  sh: number[];
  lw: number[]; // writer agent per lock, -1 free
  lr: number[][]; // lr[lock][agent] reader count
  held: Held[][]; // per agent: the held stack
  rcu: number[];
  gpDom: number[]; // -1 none, 0 rcu, 1+lock srcu
  gpSet: number[]; // bitmask of agents still to wait for
  skip: number[][]; // pcs of U steps to skip (failed T)
  pend: number[]; // per agent: work pending flag
  tt: number[][]; // per agent per shared slot: the toctou status of its latest read under the guard (0: none; see the copies below)
  brDep: [number, Taint][][]; // per agent: pairs [branch pc, the copies its last evaluation depended on]
  taint: Taint[][]; // per agent per local slot: the copies (values read under their guard) that flowed into it
  fwItem: number[]; // per agent: the work item (its agent) of the flush or cancel it is in, between its two steps; -1
  fwWait: number[]; // per agent: what that flush still waits for: 0 nothing, 1 the running run's return, 2 the queued run
  dis: number[]; // per work item (agent): cancels in progress that disabled it (queue_work does nothing while > 0)
  comp: number[]; // per completion: its count, or COMP_ALL after complete_all
}
const COMP_ALL = -1;
// TOCTOU staleness of one value read under its guard (a copy): 1 read, guard still held; 2 guard dropped; 3 stale
// (written by another agent after the drop, or while the guard was still held and then dropped); 4 written by
// another agent while the guard is still held. Two copies of the same slot in the same status evolve alike, so a
// copy is the pair (slot, status), coded slot * 8 + status. (tt[][] uses the same numbers, and 5 for a stale slot
// read again without its guard, which behaves as 3.)
// a set of copies: sorted, without duplicates; never mutated in place (states share them)
type Taint = readonly number[];
const NO_TAINT: Taint = [];
const copyOf = (slot: number, st: number) => slot * 8 + st;
const slotOfCopy = (c: number) => c >> 3;
const statusOfCopy = (c: number) => c & 7;
const isStale = (st: number) => st === 3 || st === 5;
// the status transitions, for the latest read of a slot and for every copy of it alike
const afterDrop = (st: number) => (st === 1 ? 2 : st === 4 ? 3 : st);
const afterWrite = (st: number) => (st === 2 ? 3 : st === 1 ? 4 : st);
function normTaint(x: number[]): Taint {
  if (x.length < 2) return x;
  x.sort((p, q) => p - q);
  const out = [x[0]];
  for (let i = 1; i < x.length; i++) if (x[i] !== x[i - 1]) out.push(x[i]);
  return out;
}
function unionTaint(x: Taint, y: Taint): Taint {
  if (!y.length) return x;
  if (!x.length) return y;
  return normTaint([...x, ...y]);
}
// [lock, rd (0 exclusive, 1 reader, 2 recursive reader), trylocked, subclass, taint of the expression naming it]
type Held = [number, number, number, number, Taint];

function cloneState(s: State): State {
  return {
    pc: s.pc.slice(),
    loc: s.loc.map((x) => x.slice()),
    sh: s.sh.slice(),
    lw: s.lw.slice(),
    lr: s.lr.map((x) => x.slice()),
    held: s.held.map((h) => h.map((e) => e.slice() as Held)),
    rcu: s.rcu.slice(),
    gpDom: s.gpDom.slice(),
    gpSet: s.gpSet.slice(),
    skip: s.skip.map((x) => x.slice()),
    pend: s.pend.slice(),
    tt: s.tt.map((x) => x.slice()),
    taint: s.taint.map((x) => x.slice()),
    brDep: s.brDep.map((x) => x.slice()), // pairs are replaced, never mutated
    fwItem: s.fwItem.slice(),
    fwWait: s.fwWait.slice(),
    dis: s.dis.slice(),
    comp: s.comp.slice(),
  };
}
function keyOf(s: State): string {
  return JSON.stringify([
    s.pc,
    s.loc,
    s.sh,
    s.lw,
    s.lr,
    s.held,
    s.rcu,
    s.gpDom,
    s.gpSet,
    s.skip,
    s.pend,
    s.tt,
    s.taint,
    s.brDep,
    s.fwItem,
    s.fwWait,
    s.dis,
    s.comp,
  ]);
}

function popcount(x: number) {
  let n = 0;
  x >>>= 0;
  while (x) {
    n += x & 1;
    x >>>= 1;
  }
  return n;
}

export function cmpInst(cls: LockClass, a: number, b: number): number {
  if (!cls.cmp) return 0;
  const na = cls.insts[a],
    nb = cls.insts[b];
  for (const r of cls.cmp) {
    if (r.first !== undefined) {
      if (na === r.first && nb !== r.first) return -1;
      if (nb === r.first && na !== r.first) return 1;
      continue;
    }
    const at = cls.attrs[r.by] || {};
    const va = at[na],
      vb = at[nb];
    if (va === undefined || vb === undefined || va === vb) continue;
    const c = va < vb ? -1 : 1;
    return r.order === 'desc' ? -c : c;
  }
  return 0;
}

// ---------------------------------------------------------------- loading
function loadWithImports(file: string, seen: Set<string>, acc: any) {
  const abs = path.resolve(file);
  if (seen.has(abs)) return;
  seen.add(abs);
  const d = JSON.parse(fs.readFileSync(abs, 'utf8'));
  for (const imp of d.imports || []) loadWithImports(path.resolve(path.dirname(abs), imp), seen, acc);
  for (const sec of ['params', 'locks', 'vars', 'procedures', 'notifiers', 'works', 'completions']) {
    if (d[sec]) acc[sec] = Object.assign(acc[sec] || {}, d[sec]);
  }
  return d;
}

export function loadSpec(file: string): any {
  const acc: any = {};
  const abs = path.resolve(file);
  const d = JSON.parse(fs.readFileSync(abs, 'utf8'));
  for (const imp of d.imports || []) loadWithImports(path.resolve(path.dirname(abs), imp), new Set([abs]), acc);
  for (const sec of ['params', 'locks', 'vars', 'procedures', 'notifiers', 'works', 'completions']) {
    if (d[sec]) acc[sec] = Object.assign(acc[sec] || {}, d[sec]);
  }
  return { ...d, ...acc, threads: d.threads, final: d.final };
}

// ---------------------------------------------------------------- compiling
export function compile(spec: any): Model {
  const params = new Map<string, number>();
  for (const [k, v] of Object.entries(spec.params || {})) params.set(k, v as number);
  const intOrParam = (x: any): number => (typeof x === 'number' ? x : params.has(x) ? params.get(x)! : Number(x));
  const classes: LockClass[] = [];
  const lockClassOf: LockClass[] = [];
  const lockName: string[] = [];
  const instValue = new Map<string, { cls: LockClass; v: number }>();
  let nlocks = 0;
  for (const [name, l] of Object.entries<any>(spec.locks || {})) {
    let insts: string[] = [];
    let isClass = false;
    if (Array.isArray(l.instances)) {
      insts = l.instances;
      isClass = true;
    } else if (l.instances) {
      const n = intOrParam(l.instances.count);
      for (let i = 0; i < n; i++) insts.push(l.instances.prefix + i);
      isClass = true;
    } else insts = [name];
    const attrs: Record<string, Record<string, number>> = {};
    for (const [an, av] of Object.entries<any>(l.attrs || {})) {
      if (typeof av === 'object') attrs[an] = av;
      else throw new Error(`unsupported attr form ${an}: ${av}`);
    }
    const cls: LockClass = { name, kind: l.kind, insts, attrs, cmp: l.cmp, base: nlocks };
    (cls as any).isClass = isClass;
    classes.push(cls);
    insts.forEach((iname, i) => {
      lockClassOf.push(cls);
      lockName.push(isClass ? `${name}[${iname}]` : name);
      if (isClass) instValue.set(iname, { cls, v: i });
      nlocks++;
    });
  }
  let cmpInvalid = false;
  for (const c of classes) {
    if (!c.cmp) continue;
    for (let a = 0; a < c.insts.length; a++) for (let b = a + 1; b < c.insts.length; b++) if (cmpInst(c, a, b) === 0) cmpInvalid = true;
  }
  const classByName = new Map(classes.map((c) => [c.name, c]));

  // shared vars
  const global: Scope = new Map();
  for (const [k, v] of params) global.set(k, { b: 'const', v });
  for (const [k, v] of instValue) if (!global.has(k)) global.set(k, { b: 'const', v: v.v });
  const sharedInit: number[] = [];
  const sharedGuard: (number | 'rcu' | null)[] = [];
  const constEval = (e: any): number => {
    const ce = compileExpr(parseExpr(e), global);
    return ce.ev({ st: null as any, a: -1, rec: false, reads: [] });
  };
  for (const [name, v] of Object.entries<any>(spec.vars || {})) {
    let guard: number | 'rcu' | null = null;
    if (v.guard === 'rcu') guard = 'rcu';
    else if (v.guard && v.guard !== 'none') {
      const c = classByName.get(v.guard);
      if (c && !(c as any).isClass) guard = c.base;
      else throw new Error('unsupported guard ' + v.guard);
    }
    if (v.array !== undefined) {
      const len = intOrParam(v.array);
      const base = sharedInit.length;
      for (let i = 0; i < len; i++) {
        const init = Array.isArray(v.init) ? (v.init[i] !== undefined ? constEval(v.init[i]) : 0) : v.init !== undefined ? constEval(v.init) : 0;
        sharedInit.push(init);
        sharedGuard.push(guard);
      }
      global.set(name, { b: 'sharedArr', base, len });
    } else {
      global.set(name, { b: 'shared', slot: sharedInit.length });
      sharedInit.push(v.init !== undefined ? constEval(Array.isArray(v.init) ? v.init[0] : v.init) : 0);
      sharedGuard.push(guard);
    }
  }

  function classForAttr(attr: string): LockClass {
    for (const c of classes) if (c.attrs[attr]) return c;
    throw new Error('unknown attr ' + attr);
  }
  function cmpClass(): LockClass {
    const withCmp = classes.filter((c) => c.cmp && (c as any).isClass);
    if (withCmp.length >= 1) return withCmp[0];
    const cl = classes.filter((c) => (c as any).isClass);
    return cl[0];
  }

  function compileExpr(ast: Ast, sc: Scope): CExpr {
    const sub = (x: Ast) => compileExpr(x, sc);
    switch (ast.k) {
      case 'num': {
        const v = ast.v;
        return { ev: () => v, shared: false };
      }
      case 'id': {
        const b = sc.get(ast.n);
        if (!b) throw new Error('unknown name ' + ast.n);
        if (b.b === 'const') {
          const v = b.v;
          return { ev: () => v, shared: false };
        }
        if (b.b === 'local') {
          const s = b.slot;
          return {
            ev: (c) => {
              if (c.lreads) c.lreads.push(s);
              return c.st.loc[c.a][s];
            },
            shared: false,
          };
        }
        if (b.b === 'shared') {
          const s = b.slot;
          return {
            ev: (c) => {
              if (c.rec) c.reads.push(s);
              return c.st.sh[s];
            },
            shared: true,
          };
        }
        throw new Error('array used as value: ' + ast.n);
      }
      case 'idx': {
        if (ast.a.k !== 'id') throw new Error('index of non-name');
        const b = sc.get(ast.a.n);
        const i = sub(ast.i);
        if (!b) throw new Error('unknown name ' + ast.a.n);
        if (b.b === 'localArr') {
          const { base, len } = b;
          return {
            ev: (c) => {
              const k = i.ev(c);
              if (k < 0 || k >= len) throw new RtErr('bad index');
              if (c.lreads) c.lreads.push(base + k);
              return c.st.loc[c.a][base + k];
            },
            shared: i.shared,
          };
        }
        if (b.b === 'sharedArr') {
          const { base, len } = b;
          return {
            ev: (c) => {
              const k = i.ev(c);
              if (k < 0 || k >= len) throw new RtErr('bad index');
              if (c.rec) c.reads.push(base + k);
              return c.st.sh[base + k];
            },
            shared: true,
          };
        }
        throw new Error('not an array: ' + ast.a.n);
      }
      case 'mem': {
        const cls = classForAttr(ast.n);
        const a = sub(ast.a);
        const at = cls.attrs[ast.n];
        return {
          ev: (c) => {
            const v = a.ev(c);
            const nm = cls.insts[v];
            if (nm === undefined) throw new RtErr('bad instance');
            return at[nm] ?? 0;
          },
          shared: a.shared,
        };
      }
      case 'un': {
        const a = sub(ast.a);
        const f = ast.op === '!' ? (x: number) => (x ? 0 : 1) : ast.op === '-' ? (x: number) => -x | 0 : ast.op === '~' ? (x: number) => ~x : (x: number) => x;
        return { ev: (c) => f(a.ev(c)), shared: a.shared };
      }
      case 'bin': {
        const a = sub(ast.a),
          b = sub(ast.b);
        const sh = a.shared || b.shared;
        switch (ast.op) {
          case '&&':
            return { ev: (c) => (a.ev(c) ? (b.ev(c) ? 1 : 0) : 0), shared: sh };
          case '||':
            return { ev: (c) => (a.ev(c) ? 1 : b.ev(c) ? 1 : 0), shared: sh };
          case '+':
            return { ev: (c) => (a.ev(c) + b.ev(c)) | 0, shared: sh };
          case '-':
            return { ev: (c) => (a.ev(c) - b.ev(c)) | 0, shared: sh };
          case '*':
            return { ev: (c) => Math.imul(a.ev(c), b.ev(c)), shared: sh };
          case '/':
            return {
              ev: (c) => {
                const x = a.ev(c),
                  y = b.ev(c);
                if (y === 0) throw new RtErr('division by zero');
                return (x / y) | 0;
              },
              shared: sh,
            };
          case '%':
            return {
              ev: (c) => {
                const x = a.ev(c),
                  y = b.ev(c);
                if (y === 0) throw new RtErr('division by zero');
                return (x % y) | 0;
              },
              shared: sh,
            };
          case '==':
            return { ev: (c) => (a.ev(c) === b.ev(c) ? 1 : 0), shared: sh };
          case '!=':
            return { ev: (c) => (a.ev(c) !== b.ev(c) ? 1 : 0), shared: sh };
          case '<':
            return { ev: (c) => (a.ev(c) < b.ev(c) ? 1 : 0), shared: sh };
          case '<=':
            return { ev: (c) => (a.ev(c) <= b.ev(c) ? 1 : 0), shared: sh };
          case '>':
            return { ev: (c) => (a.ev(c) > b.ev(c) ? 1 : 0), shared: sh };
          case '>=':
            return { ev: (c) => (a.ev(c) >= b.ev(c) ? 1 : 0), shared: sh };
          case '&':
            return { ev: (c) => a.ev(c) & b.ev(c), shared: sh };
          case '|':
            return { ev: (c) => a.ev(c) | b.ev(c), shared: sh };
          case '^':
            return { ev: (c) => a.ev(c) ^ b.ev(c), shared: sh };
          case '<<':
            return { ev: (c) => a.ev(c) << b.ev(c), shared: sh };
          case '>>':
            return { ev: (c) => a.ev(c) >> b.ev(c), shared: sh };
        }
        throw new Error('bad op ' + ast.op);
      }
      case 'tern': {
        const cc = sub(ast.c),
          a = sub(ast.a),
          b = sub(ast.b);
        return { ev: (c) => (cc.ev(c) ? a.ev(c) : b.ev(c)), shared: cc.shared || a.shared || b.shared };
      }
      case 'set': {
        const items = ast.items.map(sub);
        return {
          ev: (c) => {
            let m = 0;
            for (const it of items) {
              const v = it.ev(c);
              if (v < 0 || v > 30) throw new RtErr('bad set member');
              m |= 1 << v;
            }
            return m;
          },
          shared: items.some((x) => x.shared),
        };
      }
      case 'call': {
        if (ast.f === 'all') {
          const an = ast.args[0];
          if (!an || an.k !== 'id') throw new Error('all(CLASS)');
          const cls = classByName.get(an.n)!;
          const m = (1 << cls.insts.length) - 1;
          return { ev: () => m, shared: false };
        }
        const args = ast.args.map(sub);
        const sh = args.some((x) => x.shared);
        const A = (c: Ctx) => args.map((x) => x.ev(c));
        switch (ast.f) {
          case 'size':
            return { ev: (c) => popcount(args[0].ev(c)), shared: sh };
          case 'has':
            return {
              ev: (c) => {
                const [s, x] = A(c);
                return x >= 0 && x <= 30 && s & (1 << x) ? 1 : 0;
              },
              shared: sh,
            };
          case 'add':
            return {
              ev: (c) => {
                const [s, x] = A(c);
                if (x < 0 || x > 30) throw new RtErr('bad set member');
                return s | (1 << x);
              },
              shared: sh,
            };
          case 'del':
            return {
              ev: (c) => {
                const [s, x] = A(c);
                if (x < 0 || x > 30) return s;
                return s & ~(1 << x);
              },
              shared: sh,
            };
          case 'min':
            return {
              ev: (c) => {
                const v = A(c);
                if (v.length >= 2) return Math.min(...v);
                const s = v[0] >>> 0;
                if (!s) throw new RtErr('min of empty set');
                let i = 0;
                while (!(s & (1 << i))) i++;
                return i;
              },
              shared: sh,
            };
          case 'max':
            return {
              ev: (c) => {
                const v = A(c);
                if (v.length >= 2) return Math.max(...v);
                const s = v[0] >>> 0;
                if (!s) throw new RtErr('max of empty set');
                let i = 30;
                while (!(s & (1 << i))) i--;
                return i;
              },
              shared: sh,
            };
          case 'cmp': {
            const cls = cmpClass();
            return {
              ev: (c) => {
                const [x, y] = A(c);
                if (cls.insts[x] === undefined || cls.insts[y] === undefined) throw new RtErr('bad instance');
                return cmpInst(cls, x, y);
              },
              shared: sh,
            };
          }
        }
        throw new Error('unknown function ' + ast.f);
      }
    }
  }

  function compilePlace(src: string, sc: Scope): Place {
    const ast = parseExpr(src);
    if (ast.k === 'id') {
      const b = sc.get(ast.n);
      if (!b) throw new Error('unknown var ' + ast.n);
      if (b.b === 'local') {
        const s = b.slot;
        return { shared: false, slot: () => s, ev: null };
      }
      if (b.b === 'shared') {
        const s = b.slot;
        return { shared: true, slot: () => s, ev: null };
      }
      throw new Error('not assignable ' + ast.n);
    }
    if (ast.k === 'idx' && ast.a.k === 'id') {
      const b = sc.get(ast.a.n);
      const i = compileExpr(ast.i, sc);
      if (b && (b.b === 'localArr' || b.b === 'sharedArr')) {
        const { base, len } = b;
        return {
          shared: b.b === 'sharedArr',
          slot: (c) => {
            const k = i.ev(c);
            if (k < 0 || k >= len) throw new RtErr('bad index');
            return base + k;
          },
          ev: i,
        };
      }
    }
    throw new Error('not assignable: ' + src);
  }

  function compileLockRef(src: string, sc: Scope): LockRefC {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(.*)\])?\s*$/.exec(src);
    if (!m) throw new Error('bad lock ref ' + src);
    const cls = classByName.get(m[1]);
    if (!cls) throw new Error('unknown lock ' + m[1]);
    if (m[2] === undefined) {
      if ((cls as any).isClass) throw new Error('instance needed: ' + src);
      return { cls, idx: null, fixed: cls.base };
    }
    const inner = m[2].trim();
    const direct = cls.insts.indexOf(inner);
    if (direct >= 0 && !sc.has(inner)) return { cls, idx: null, fixed: cls.base + direct };
    const isc: Scope = new Map(sc);
    cls.insts.forEach((n, i) => {
      if (!sc.has(n) || sc.get(n)!.b === 'const') isc.set(n, { b: 'const', v: i });
    });
    return { cls, idx: compileExpr(parseExpr(inner), isc), fixed: -1 };
  }

  const works: Model['works'] = [];
  const workIdx = new Map<string, number>();
  for (const [wn, w] of Object.entries<any>(spec.works || {})) {
    workIdx.set(wn, works.length);
    works.push({ name: wn, per: w.per ? classByName.get(w.per)! : null, items: [] });
  }
  const comps: Model['comps'] = [];
  const compIdx = new Map<string, number>();
  let ncomp = 0;
  for (const [cn, cd] of Object.entries<any>(spec.completions || {})) {
    const per = cd.per ? classByName.get(cd.per) : null;
    if (cd.per && !per) throw new Error('unknown class ' + cd.per);
    compIdx.set(cn, comps.length);
    const n = per ? per.insts.length : 1;
    comps.push({ name: cn, per: per || null, base: ncomp, n });
    ncomp += n;
  }
  // "name" or "name[instance]" of a works or completions entry: its index and the instance expression (null: no per)
  function compileItemRef(src: string, what: string, idx: Map<string, number>, perOf: (i: number) => LockClass | null, sc: Scope) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[(.*)\])?\s*$/.exec(src);
    if (!m) throw new Error(`bad ${what} ${src}`);
    const i = idx.get(m[1]);
    if (i === undefined) throw new Error(`unknown ${what} ${m[1]}`);
    const cls = perOf(i);
    if ((m[2] === undefined) !== !cls) throw new Error(`${what} ${src}: an instance exactly when the entry has per`);
    if (!cls) return { i, inst: null };
    const isc: Scope = new Map(sc);
    cls.insts.forEach((n, k) => {
      if (!sc.has(n) || sc.get(n)!.b === 'const') isc.set(n, { b: 'const', v: k });
    });
    return { i, inst: compileExpr(parseExpr(m[2]!), isc) };
  }
  const workRef = (src: string, sc: Scope) => compileItemRef(src, 'work', workIdx, (i) => works[i].per, sc);
  const compRef = (src: string, sc: Scope) => compileItemRef(src, 'completion', compIdx, (i) => comps[i].per, sc);

  // per agent compilation
  function compileAgent(
    name: string,
    body: any[] | null,
    seq: string | null,
    locals: any,
    selfV: number | null,
    workProc?: { proc: string; inst: number | null },
  ): Agent {
    const prog: Instr[] = [];
    let nloc = 0;
    const init: number[] = [];
    const alloc = (n: number, v = 0) => {
      const s = nloc;
      for (let i = 0; i < n; i++) init.push(v);
      nloc += n;
      return s;
    };
    const sc: Scope = new Map(global);
    if (selfV !== null) {
      sc.set('self', { b: 'local', slot: alloc(1, selfV) });
    }
    const enc: number[][] = [];
    const brStack: number[] = [];
    const emit = (i: Instr) => {
      prog.push(i);
      enc.push(brStack.slice());
      return prog.length - 1;
    };
    // local slots (static places) assigned by the instructions emitted since `from`: an implicit flow target
    const assignedSince = (from: number): number[] => {
      const out = new Set<number>();
      for (let k = from; k < prog.length; k++) {
        const ins: any = prog[k];
        const pl: Place | null =
          ins.op === 'assign' || ins.op === 'pick' ? ins.place : ins.op === 'ret' || ins.op === 'try' || ins.op === 'flush' ? ins.place || ins.into : null;
        if (pl && !pl.shared && !pl.ev) out.add(pl.slot(null as any));
        if (ins.op === 'arrinit') for (let j = 0; j < ins.len; j++) out.add(ins.base + j);
        if (pl && !pl.shared && pl.ev) {
          /* an element of a local array: its index is dynamic */
        }
      }
      return [...out].sort((x, y) => x - y);
    };
    const lctx = { st: null as any, a: -1, rec: false, reads: [] } as Ctx;
    for (const [ln, lv] of Object.entries<any>(locals || {})) {
      if (lv !== null && typeof lv === 'object' && !Array.isArray(lv)) {
        if (lv.array !== undefined) {
          const len = intOrParam(lv.array);
          const iv = lv.init !== undefined ? compileExpr(parseExpr(lv.init), sc).ev(lctx) : 0;
          const base = alloc(len, iv);
          sc.set(ln, { b: 'localArr', base, len });
        } else {
          const iv = lv.init !== undefined ? compileExpr(parseExpr(lv.init), sc).ev(lctx) : 0;
          sc.set(ln, { b: 'local', slot: alloc(1, iv) });
        }
      } else {
        const iv = compileExpr(parseExpr(lv), sc).ev(lctx);
        sc.set(ln, { b: 'local', slot: alloc(1, iv) });
      }
    }
    interface ProcCtx {
      retPatches: number[];
      into: Place | null;
    }

    function compileSeq(s: string, sc: Scope) {
      const steps = s
        .trim()
        .split(/\s+/)
        .filter((x) => x.length);
      const parsed = steps.map((st) => {
        const m = /^([LRTUNS])\((.*)\)$/.exec(st);
        if (!m) throw new Error('bad shorthand step ' + st);
        let args: string[];
        if (m[1] === 'N' || m[1] === 'S') {
          // split at the last top-level comma
          const inner = m[2];
          let depth = 0,
            cut = -1;
          for (let i = 0; i < inner.length; i++) {
            if (inner[i] === '[') depth++;
            else if (inner[i] === ']') depth--;
            else if (inner[i] === ',' && depth === 0) cut = i;
          }
          if (cut < 0) throw new Error('bad shorthand step ' + st);
          args = [inner.slice(0, cut), inner.slice(cut + 1)];
        } else args = [m[2]];
        return { op: m[1], args };
      });
      const norm = (r: string) => r.replace(/\s+/g, '');
      const idxs: number[] = [];
      const tryFix: { at: number; j: number }[] = [];
      parsed.forEach((p, k) => {
        let ins: Instr;
        const ref = compileLockRef(p.args[0], sc);
        if (p.op === 'L') ins = { op: 'lock', ref, read: false, sub: 0, nest: null, vis: true };
        else if (p.op === 'R') ins = { op: 'lock', ref, read: true, sub: 0, nest: null, vis: true };
        else if (p.op === 'T') ins = { op: 'try', ref, into: null, skip: -1, vis: true };
        else if (p.op === 'U') ins = { op: 'unlock', ref, vis: true };
        else if (p.op === 'N') ins = { op: 'lock', ref, read: false, sub: 0, nest: compileLockRef(p.args[1], sc), vis: true };
        else ins = { op: 'lock', ref, read: false, sub: Number(p.args[1]), nest: null, vis: true };
        idxs.push(emit(ins));
        if (p.op === 'T') {
          // matching U(X): the first later U(X) with as many acquisitions as releases of X in between
          const x = norm(p.args[0]);
          let depth = 0;
          let j = -1;
          for (let q = k + 1; q < parsed.length; q++) {
            if (norm(parsed[q].args[0]) !== x) continue;
            if (parsed[q].op === 'U') {
              if (depth === 0) {
                j = q;
                break;
              }
              depth--;
            } else depth++;
          }
          if (j >= 0) tryFix.push({ at: k, j });
        }
      });
      for (const f of tryFix) (prog[idxs[f.at]] as any).skip = idxs[f.j];
    }

    function compileBody(body: any[], sc: Scope, pctx: ProcCtx | null, depth: number) {
      for (const st of body) compileStmt(st, sc, pctx, depth);
    }
    function compileCall(procName: string, argsSrc: any[], into: Place | null, sc: Scope, depth: number) {
      const proc = spec.procedures?.[procName];
      if (!proc) throw new Error('unknown procedure ' + procName);
      if (depth > 20) throw new Error('recursion');
      const psc: Scope = new Map(global);
      const byRef = new Set<string>(proc.by_ref || []);
      (proc.params || []).forEach((pn: string, i: number) => {
        const a = argsSrc[i];
        const ast = parseExpr(a);
        if (ast.k === 'id' && sc.get(ast.n) && (sc.get(ast.n)!.b === 'localArr' || sc.get(ast.n)!.b === 'sharedArr')) {
          psc.set(pn, sc.get(ast.n)!);
          return;
        }
        if (byRef.has(pn)) {
          if (ast.k !== 'id') throw new Error('by_ref argument must be a variable');
          const b = sc.get(ast.n)!;
          psc.set(pn, b);
          return;
        }
        const e = compileExpr(ast, sc);
        const slot = alloc(1);
        psc.set(pn, { b: 'local', slot });
        emit({ op: 'assign', place: { shared: false, slot: () => slot, ev: null }, e, vis: e.shared });
      });
      for (const [ln, lv] of Object.entries<any>(proc.locals || {})) {
        if (lv !== null && typeof lv === 'object' && !Array.isArray(lv)) {
          if (lv.array !== undefined) {
            const len = intOrParam(lv.array);
            const base = alloc(len);
            const e = compileExpr(parseExpr(lv.init ?? 0), psc);
            psc.set(ln, { b: 'localArr', base, len });
            emit({ op: 'arrinit', base, len, e, vis: e.shared });
          } else {
            const e = compileExpr(parseExpr(lv.init ?? 0), psc);
            const slot = alloc(1);
            psc.set(ln, { b: 'local', slot });
            emit({ op: 'assign', place: { shared: false, slot: () => slot, ev: null }, e, vis: e.shared });
          }
        } else {
          const e = compileExpr(parseExpr(lv), psc);
          const slot = alloc(1);
          psc.set(ln, { b: 'local', slot });
          emit({ op: 'assign', place: { shared: false, slot: () => slot, ev: null }, e, vis: e.shared });
        }
      }
      const pc: ProcCtx = { retPatches: [], into };
      compileBody(proc.body, psc, pc, depth + 1);
      const endAt = prog.length;
      for (const r of pc.retPatches) (prog[r] as any).t = endAt;
    }
    function compileStmt(st: any, sc: Scope, pctx: ProcCtx | null, depth: number) {
      if ('lock' in st) {
        const ref = compileLockRef(st.lock, sc);
        emit({ op: 'lock', ref, read: !!st.read, sub: st.subclass || 0, nest: st.nest_lock ? compileLockRef(st.nest_lock, sc) : null, vis: true });
      } else if ('trylock' in st) {
        emit({ op: 'try', ref: compileLockRef(st.trylock, sc), into: st.into ? compilePlace(st.into, sc) : null, skip: -1, vis: true });
      } else if ('unlock' in st) emit({ op: 'unlock', ref: compileLockRef(st.unlock, sc), vis: true });
      else if ('seq' in st) compileSeq(st.seq, sc);
      else if ('assign' in st) {
        const place = compilePlace(st.assign, sc);
        const e = compileExpr(parseExpr(st.value), sc);
        emit({ op: 'assign', place, e, vis: place.shared || e.shared || !!place.ev?.shared });
      } else if ('if' in st) {
        const c = compileExpr(parseExpr(st.if), sc);
        const br = emit({ op: 'br', c, f: -1, vis: c.shared });
        brStack.push(br);
        compileBody(st.then, sc, pctx, depth);
        if (st.else && st.else.length) {
          const j = emit({ op: 'jmp', t: -1, vis: false });
          (prog[br] as any).f = prog.length;
          compileBody(st.else, sc, pctx, depth);
          (prog[j] as any).t = prog.length;
        } else (prog[br] as any).f = prog.length;
        brStack.pop();
        (prog[br] as any).assigned = assignedSince(br + 1);
      } else if ('choose' in st) {
        const ch = emit({ op: 'choose', ts: [], vis: true });
        const jumps: number[] = [];
        for (const b of st.choose) {
          (prog[ch] as any).ts.push(prog.length);
          compileBody(b, sc, pctx, depth);
          jumps.push(emit({ op: 'jmp', t: -1, vis: false }));
        }
        for (const j of jumps) (prog[j] as any).t = prog.length;
      } else if ('pick' in st) {
        emit({ op: 'pick', place: compilePlace(st.pick, sc), e: compileExpr(parseExpr(st.from), sc), vis: true });
      } else if ('for' in st) {
        const place = compilePlace(st.for, sc);
        const a = compileExpr(parseExpr(st.from), sc),
          b = compileExpr(parseExpr(st.to), sc);
        const endSlot = alloc(1);
        const endPlace: Place = { shared: false, slot: () => endSlot, ev: null };
        emit({ op: 'assign', place, e: a, vis: a.shared || place.shared });
        emit({ op: 'assign', place: endPlace, e: b, vis: b.shared });
        const isc: Scope = new Map(sc);
        isc.set('$end', { b: 'local', slot: endSlot });
        const iv = compileExpr(parseExpr(st.for), sc);
        const cond: CExpr = {
          ev: (c) => {
            if (c.lreads) c.lreads.push(endSlot);
            return iv.ev(c) < c.st.loc[c.a][endSlot] ? 1 : 0;
          },
          shared: iv.shared,
        };
        const top = emit({ op: 'br', c: cond, f: -1, vis: cond.shared });
        brStack.push(top);
        compileBody(st.do, sc, pctx, depth);
        brStack.pop();
        (prog[top] as any).assigned = assignedSince(top + 1);
        const inc: CExpr = { ev: (c) => (iv.ev(c) + 1) | 0, shared: iv.shared };
        emit({ op: 'assign', place, e: inc, vis: place.shared });
        emit({ op: 'jmp', t: top, vis: false });
        (prog[top] as any).f = prog.length;
      } else if ('foreach' in st) {
        const place = compilePlace(st.foreach, sc);
        const S = compileExpr(parseExpr(st.in), sc);
        const rest = alloc(1);
        const restPlace: Place = { shared: false, slot: () => rest, ev: null };
        emit({ op: 'assign', place: restPlace, e: S, vis: S.shared });
        const top = emit({
          op: 'br',
          c: {
            ev: (c) => {
              if (c.lreads) c.lreads.push(rest);
              return c.st.loc[c.a][rest] !== 0 ? 1 : 0;
            },
            shared: false,
          },
          f: -1,
          vis: false,
        });
        brStack.push(top);
        const minE: CExpr = {
          ev: (c) => {
            if (c.lreads) c.lreads.push(rest);
            const s = c.st.loc[c.a][rest] >>> 0;
            let i = 0;
            while (!(s & (1 << i))) i++;
            return i;
          },
          shared: false,
        };
        emit({ op: 'assign', place, e: minE, vis: place.shared });
        const xv = compileExpr(parseExpr(st.foreach), sc);
        emit({
          op: 'assign',
          place: restPlace,
          e: {
            ev: (c) => {
              const x = xv.ev(c);
              if (c.lreads) c.lreads.push(rest);
              return x >= 0 && x <= 30 ? c.st.loc[c.a][rest] & ~(1 << x) : c.st.loc[c.a][rest];
            },
            shared: xv.shared,
          },
          vis: xv.shared,
        });
        compileBody(st.do, sc, pctx, depth);
        brStack.pop();
        (prog[top] as any).assigned = assignedSince(top + 1);
        emit({ op: 'jmp', t: top, vis: false });
        (prog[top] as any).f = prog.length;
      } else if ('call' in st) {
        compileCall(st.call, st.args || [], st.into ? compilePlace(st.into, sc) : null, sc, depth);
      } else if ('call_notifiers' in st) {
        const ch = spec.notifiers?.[st.call_notifiers];
        if (!ch) throw new Error('unknown notifier');
        for (const h of ch.handlers) compileCall(h, st.args || [], null, sc, depth);
      } else if ('return' in st) {
        if (!pctx) throw new Error('return outside procedure');
        const e = st.return === null || st.return === undefined ? null : compileExpr(parseExpr(st.return), sc);
        const place = e ? pctx.into : null;
        pctx.retPatches.push(emit({ op: 'ret', e, place, t: -1, vis: !!(e && e.shared) || !!(place && (place.shared || place.ev?.shared)) }));
      } else if ('assert' in st) {
        const e = compileExpr(parseExpr(st.assert), sc);
        emit({ op: 'assert', e, vis: e.shared });
      } else if ('assert_held' in st) emit({ op: 'held', ref: compileLockRef(st.assert_held, sc), vis: false });
      else if ('rcu_read_lock' in st) emit({ op: 'rcu_lock', vis: true });
      else if ('rcu_read_unlock' in st) emit({ op: 'rcu_unlock', vis: true });
      else if ('synchronize_rcu' in st) {
        emit({ op: 'sync_rcu', vis: true });
        emit({ op: 'sync_rcu_wait', vis: true });
      } else if ('srcu_read_lock' in st) emit({ op: 'srcu_lock', ref: compileLockRef(st.srcu_read_lock, sc), vis: true });
      else if ('srcu_read_unlock' in st) emit({ op: 'srcu_unlock', ref: compileLockRef(st.srcu_read_unlock, sc), vis: true });
      else if ('synchronize_srcu' in st) {
        const ref = compileLockRef(st.synchronize_srcu, sc);
        emit({ op: 'sync_srcu', ref, vis: true });
        emit({ op: 'sync_srcu_wait', ref, vis: true });
      } else if ('wait_until' in st) emit({ op: 'wait', e: compileExpr(parseExpr(st.wait_until), sc), vis: true });
      else if ('queue_work' in st) {
        const { i, inst } = workRef(st.queue_work, sc);
        emit({ op: 'queue', work: i, inst, vis: true });
      } else if ('flush_work' in st || 'cancel_work_sync' in st) {
        const cancel = 'cancel_work_sync' in st;
        const { i, inst } = workRef(cancel ? st.cancel_work_sync : st.flush_work, sc);
        emit({ op: 'flush', cancel, work: i, inst, into: st.into ? compilePlace(st.into, sc) : null, vis: true });
        emit({ op: 'flush_wait', cancel, vis: true });
      } else if ('wait_for_completion' in st || 'complete' in st || 'complete_all' in st || 'reinit_completion' in st) {
        const [op, src] =
          'wait_for_completion' in st
            ? (['cwait', st.wait_for_completion] as const)
            : 'complete' in st
              ? (['complete', st.complete] as const)
              : 'complete_all' in st
                ? (['complete_all', st.complete_all] as const)
                : (['reinit', st.reinit_completion] as const);
        const { i, inst } = compRef(src, sc);
        emit({ op, comp: i, inst, vis: true });
      } else throw new Error('unknown statement ' + JSON.stringify(st));
    }
    if (workProc) {
      compileCall(workProc.proc, workProc.inst !== null ? [workProc.inst] : [], null, sc, 0);
    } else if (seq !== null) compileSeq(seq, sc);
    else compileBody(body || [], sc, null, 0);
    emit({ op: 'end', vis: false });
    return { name, prog, nloc, init, enc };
  }

  const agents: Agent[] = [];
  for (const th of spec.threads) {
    const cnt = th.count !== undefined ? intOrParam(th.count) : null;
    if (cnt === null) agents.push(compileAgent(th.name, th.body ?? null, th.seq ?? null, th.locals, null));
    else for (let i = 0; i < cnt; i++) agents.push(compileAgent(`${th.name}[${i}]`, th.body ?? null, th.seq ?? null, th.locals, i));
  }
  const nthreads = agents.length;
  works.forEach((w, wi) => {
    const wdef = spec.works[w.name];
    const insts = w.per ? w.per.insts.map((_, i) => i) : [null];
    for (const inst of insts) {
      const ag = compileAgent(w.per ? `${w.name}[${w.per.insts[inst!]}]` : w.name, null, null, null, null, { proc: wdef.proc, inst });
      ag.work = wi;
      w.items.push(agents.length);
      agents.push(ag);
    }
  });
  const final = (spec.final || []).map((f: any) => compileExpr(parseExpr(f.assert), global));
  return {
    classes,
    lockClassOf,
    lockName,
    nlocks,
    sharedInit,
    sharedGuard,
    nshared: sharedInit.length,
    agents,
    nthreads,
    works,
    comps,
    ncomp,
    final,
    instValue,
    params,
    cmpInvalid,
    maxHeld: spec.options?.max_held ?? 8,
  };
}

// ---------------------------------------------------------------- semantics
export interface ExploreOpts {
  sleepInAtomic?: boolean;
  events?: boolean;
  // follow these agents' steps (the first branch of a choose or pick) instead of searching
  schedule?: string[];
  // give the lock-order graph (OracleResult.edges)
  edges?: boolean;
}
interface Out {
  st: State;
  found: Map<Kind, number>;
}

export function explore(m: Model, maxStates = 200000, opts: ExploreOpts = {}): OracleResult {
  const A = m.agents.length;
  const kinds: Record<Kind, number> = {};
  const note = (k: Kind, d: number) => {
    if (kinds[k] === undefined || kinds[k] > d) kinds[k] = d;
  };
  const events = new Set<string>();
  const hit = (e: string) => events.add(e);
  if (m.cmpInvalid) note('cmp-invalid', 0);
  // lock-order graph: node = lockclass name + '/' + subclass; edge types bitmask 1 EN, 2 ER, 4 SN, 8 SR
  const edges = new Map<string, Map<string, number>>();
  const edgeDepth = new Map<string, number>(); // "u -> v": the least depth of an attempt that adds it
  const addEdge = (u: string, v: string, t: number, d: number) => {
    if (u === v) return;
    let mm = edges.get(u);
    if (!mm) edges.set(u, (mm = new Map()));
    mm.set(v, (mm.get(v) || 0) | t);
    const k = `${u} -> ${v}`;
    const old = edgeDepth.get(k);
    if (old === undefined || d < old) edgeDepth.set(k, d);
  };
  const edgeList = (): NonNullable<OracleResult['edges']> => {
    const out: NonNullable<OracleResult['edges']> = {};
    for (const [u, o] of edges)
      for (const [v, t] of o) {
        const k = `${u} -> ${v}`;
        out[k] = { types: ['EN', 'ER', 'SN', 'SR'].filter((_, i) => t & (1 << i)), depth: edgeDepth.get(k)! };
      }
    return out;
  };

  const lockOf = (r: LockRefC, c: Ctx): number => {
    if (!r.idx) return r.fixed;
    const v = r.idx.ev(c);
    if (v < 0 || v >= r.cls.insts.length) throw new RtErr('bad instance');
    return r.cls.base + v;
  };
  const holds = (s: State, a: number, l: number) => s.lw[l] === a || s.lr[l][a] > 0;
  // README, "Writing a spec": an agent holds at most max_held locks; held[] has an entry per lock, read lock, trylock
  // and SRCU read section it holds (RCU sections are counted in rcu[], not here)
  const overLimit = (s: State, a: number) => s.held[a].length >= m.maxHeld;
  const sleeping = (kind: string) => kind === 'mutex' || kind === 'rwsem';
  // the agent of a work item, the slot of a completion
  const itemOf = (work: number, inst: CExpr | null, c: Ctx): number => {
    const w = m.works[work];
    if (!inst) return w.items[0];
    const v = inst.ev(c);
    if (v < 0 || v >= w.items.length) throw new RtErr('bad work instance');
    return w.items[v];
  };
  const compOf = (comp: number, inst: CExpr | null, c: Ctx): number => {
    const k = m.comps[comp];
    if (!inst) return k.base;
    const v = inst.ev(c);
    if (v < 0 || v >= k.n) throw new RtErr('bad completion instance');
    return k.base + v;
  };
  // a worker is idle (-2) or in a run; a run stopped by a run-time error (-1) never returns, so it stays running
  const runningRun = (s: State, item: number) => s.pc[item] !== -2;
  // lockdep's class of a works entry's completion map, (work_completion)(NAME): one node (subclass 0)
  const wcNode = (work: number) => `(work_completion)(${m.works[work].name})/0`;
  const rdType = (kind: string, read: boolean) => (!read ? 0 : kind === 'rwlock' || kind === 'srcu' ? 2 : 1);

  function exclBlocked(s: State, l: number): boolean {
    if (s.lw[l] >= 0) return true;
    for (let a = 0; a < A; a++) if (s.lr[l][a] > 0) return true;
    return false;
  }
  function writerWaiting(s: State, l: number, me: number): boolean {
    for (let b = 0; b < A; b++) {
      if (b === me || s.pc[b] < 0) continue;
      const ins = m.agents[b].prog[s.pc[b]];
      if (ins.op !== 'lock' || ins.read) continue;
      try {
        if (lockOf(ins.ref, { st: s, a: b, rec: false, reads: [] }) === l && exclBlocked(s, l)) return true;
      } catch {
        /* ignore */
      }
    }
    return false;
  }
  function enabled(s: State, a: number): boolean {
    const pc = s.pc[a];
    if (pc === -1) return false;
    if (pc === -2) return !!s.pend[a];
    const ins = m.agents[a].prog[pc];
    const c: Ctx = { st: s, a, rec: false, reads: [] };
    try {
      switch (ins.op) {
        case 'lock': {
          const l = lockOf(ins.ref, c);
          if (!ins.read) return !exclBlocked(s, l);
          if (s.lw[l] >= 0) return false;
          if (m.lockClassOf[l].kind === 'rwsem' && writerWaiting(s, l, a)) return false;
          return true;
        }
        case 'sync_rcu_wait':
        case 'sync_srcu_wait':
          return s.gpSet[a] === 0;
        case 'wait':
          return !!ins.e.ev(c);
        case 'flush_wait':
          return s.fwWait[a] === 0;
        case 'cwait': {
          const v = s.comp[compOf(ins.comp, ins.inst, c)];
          return v > 0 || v === COMP_ALL;
        }
        case 'pick':
          return ins.e.ev(c) !== 0;
        default:
          return true;
      }
    } catch (e) {
      if (e instanceof RtErr) return true;
      throw e;
    }
  }

  // validator and entry checks for the statement an agent is about to run (lockdep runs at lock_acquire,
  // might_sleep() at the entry of a sleeping call: before the wait, so also for an attempt that blocks)
  function attemptChecks(s: State, a: number, depth: number) {
    const pc = s.pc[a];
    if (pc < 0) return;
    const ins = m.agents[a].prog[pc];
    const c: Ctx = { st: s, a, rec: false, reads: [] };
    let l = -1,
      rd = 0,
      sub = 0,
      nest = -1,
      isLock = false,
      sleeps = false,
      workMap = -1;
    try {
      if (ins.op === 'lock') {
        l = lockOf(ins.ref, c);
        isLock = true;
        const kind = m.lockClassOf[l].kind;
        rd = rdType(kind, ins.read);
        sub = ins.sub;
        sleeps = sleeping(kind);
        if (ins.nest) nest = lockOf(ins.nest, c);
      } else if (ins.op === 'sync_srcu') {
        l = lockOf(ins.ref, c);
        isLock = true;
        rd = 0;
        sleeps = true;
      } else if (ins.op === 'srcu_lock') {
        l = lockOf(ins.ref, c);
        isLock = true;
        rd = 2;
      } else if (ins.op === 'sync_rcu' || ins.op === 'wait' || ins.op === 'flush_wait' || ins.op === 'cwait') sleeps = true;
      else if (ins.op === 'flush') {
        // might_sleep() whatever the item's state; lockdep's touch_work_lockdep_map() only when start_flush_work()
        // finds a run: for flush_work the item is queued or running; for cancel_work_sync only when it is running
        // (README: __cancel_work_sync() takes a queued item off its queue before start_flush_work() looks, which then
        // finds no worker executing it and returns before it touches the map; a cancel that only dequeues, or finds
        // the item idle, gives lockdep nothing). Running and queued again is running: the touch happens.
        sleeps = true;
        const item = itemOf(ins.work, ins.inst, c);
        if (ins.cancel ? runningRun(s, item) : s.pend[item] || runningRun(s, item)) workMap = ins.work;
      } else return;
    } catch (e) {
      if (e instanceof RtErr) return;
      throw e;
    }
    if (sleeps && s.rcu[a] > 0) note('sleep-in-rcu', depth);
    if (
      sleeps &&
      opts.sleepInAtomic &&
      s.held[a].some((h) => {
        const k = m.lockClassOf[h[0]].kind;
        return k === 'spinlock' || k === 'rwlock';
      })
    )
      note('sleep-in-atomic', depth);
    // the agent's own run holds its entry's completion map below everything it holds
    const ownMap = m.agents[a].work;
    if (workMap >= 0) {
      // an exclusive acquisition (lock_map_acquire) of the map, released at once: never on the held stack, so no
      // max_held limit; no cmp, subclass or nest lock: the same class held (the agent runs an item of that entry)
      // is recursive locking, which adds no edge
      if (ownMap === workMap) {
        hit('work-map-recursive');
        note('recursive-locking', depth);
        return;
      }
      const node = wcNode(workMap);
      if (ownMap !== undefined) addEdge(wcNode(ownMap), node, 1, depth);
      for (const h of s.held[a]) addEdge(m.lockClassOf[h[0]].name + '/' + h[3], node, h[1] > 0 ? 4 : 1, depth);
      return;
    }
    if (!isLock) return;
    if (nest >= 0 && !holds(s, a, nest)) note('assertion', depth); // lockdep: "Nested lock was not taken"
    const cls = m.lockClassOf[l];
    const node = cls.name + '/' + sub;
    let nestH = false,
      excused = false;
    for (const h of s.held[a]) {
      if (h[0] === nest) nestH = true;
      const hc = m.lockClassOf[h[0]];
      if (hc !== cls || h[3] !== sub) continue;
      if (rd === 2 && h[1] > 0) continue;
      if (cls.cmp && cmpInst(cls, h[0] - cls.base, l - cls.base) < 0) continue;
      // a nest lock excuses another instance of the class, never the held instance itself (contract: at least lockdep)
      if (nestH && h[0] !== l) {
        excused = true;
        break;
      }
      note('recursive-locking', depth);
      return; // lockdep's check_deadlock() returned 0: validate_chain() adds no dependency
    }
    if (excused) return;
    if (ownMap !== undefined) addEdge(wcNode(ownMap), node, rd === 2 ? 2 : 1, depth); // the run's completion map, held exclusively
    for (const h of s.held[a]) {
      const hn = m.lockClassOf[h[0]].name + '/' + h[3];
      const t = (h[1] > 0 ? 4 : 1) * (rd === 2 ? 2 : 1);
      addEdge(hn, node, t, depth);
    }
  }

  function releaseReadSection(s: State, a: number, dom: number) {
    // agent a left its read section of dom (0 rcu, 1+l srcu): grace periods stop waiting for it
    for (let b = 0; b < A; b++) if (s.gpDom[b] === dom) s.gpSet[b] &= ~(1 << a);
  }
  function srcuDepth(s: State, a: number, l: number) {
    let n = 0;
    for (const h of s.held[a]) if (h[0] === l) n++;
    return n;
  }
  function dropHeld(s: State, a: number, l: number) {
    const h = s.held[a];
    for (let i = h.length - 1; i >= 0; i--)
      if (h[i][0] === l) {
        h.splice(i, 1);
        return;
      }
  }
  // apply a status transition to agent b's copies of the slots `hit` selects: its locals' taints, its held locks'
  // taints and its branch dependencies
  function evolveCopies(s: State, b: number, hit: (k: number) => boolean, f: (st: number) => number) {
    const ev = (t: Taint): Taint => {
      let changed = false;
      const out = t.map((c) => {
        const k = slotOfCopy(c);
        if (!hit(k)) return c;
        const st = statusOfCopy(c),
          n = f(st);
        if (n === st) return c;
        changed = true;
        return copyOf(k, n);
      });
      return changed ? normTaint(out) : t;
    };
    const tb = s.taint[b];
    for (let i = 0; i < tb.length; i++) if (tb[i].length) tb[i] = ev(tb[i]);
    for (const h of s.held[b]) if (h[4].length) h[4] = ev(h[4]);
    const bd = s.brDep[b];
    for (let i = 0; i < bd.length; i++) bd[i] = [bd[i][0], ev(bd[i][1])];
  }
  function guardDropped(s: State, a: number, g: number | 'rcu') {
    for (let k = 0; k < m.nshared; k++) if (m.sharedGuard[k] === g) s.tt[a][k] = afterDrop(s.tt[a][k]);
    evolveCopies(s, a, (k) => m.sharedGuard[k] === g, afterDrop);
  }
  function recordReads(s: State, a: number, reads: number[]) {
    for (const k of reads) {
      const g = m.sharedGuard[k];
      if (g === null) continue;
      if (g === 'rcu' ? s.rcu[a] > 0 : holds(s, a, g)) s.tt[a][k] = 1;
      else if (s.tt[a][k] === 3) s.tt[a][k] = 5;
    }
  }
  const underGuard = (s: State, a: number, k: number) => {
    const g = m.sharedGuard[k];
    return g !== null && (g === 'rcu' ? s.rcu[a] > 0 : holds(s, a, g));
  };
  // the copies the value of an expression just evaluated depends on: those of the locals it read, and a fresh
  // copy (status 1) of each shared slot it read under its guard
  function taintOf(s: State, a: number, c: Ctx): Taint {
    let t: Taint = NO_TAINT;
    for (const l of c.lreads || []) t = unionTaint(t, s.taint[a][l]);
    const fresh: number[] = [];
    for (const k of c.reads) if (underGuard(s, a, k)) fresh.push(copyOf(k, 1));
    return unionTaint(t, normTaint(fresh));
  }
  function writeShared(s: State, a: number, k: number, v: number, found: Map<Kind, number>, d: number) {
    const g = m.sharedGuard[k];
    if (typeof g === 'number' && !holds(s, a, g)) add(found, 'assertion', d);
    s.sh[k] = v;
    for (let b = 0; b < A; b++)
      if (b !== a) {
        s.tt[b][k] = afterWrite(s.tt[b][k]);
        evolveCopies(s, b, (j) => j === k, afterWrite);
      }
  }
  function add(found: Map<Kind, number>, k: Kind, d: number) {
    if (!found.has(k) || found.get(k)! > d) found.set(k, d);
  }
  // a failing use is a TOCTOU when it depends on a stale copy: a value this agent read under its guard, the
  // guard then dropped and another agent writing the slot, that reached the use through a local, the lock set
  // built from it (assert_held), or an enclosing branch condition; or when the use itself reads the slot under
  // its guard and this agent's latest read of it under the guard is stale (checked before the use's own reads
  // refresh anything)
  function failKind(s: State, a: number, c: Ctx): Kind {
    let dep: Taint = NO_TAINT;
    for (const l of c.lreads || []) dep = unionTaint(dep, s.taint[a][l]);
    if (m.agents[a].prog[s.pc[a]].op === 'held') for (const h of s.held[a]) dep = unionTaint(dep, h[4]); // the lock set built from the checked values
    const enc = m.agents[a].enc[s.pc[a]] || [];
    for (const [bpc, t] of s.brDep[a]) if (enc.includes(bpc)) dep = unionTaint(dep, t);
    const stale = dep.some((x) => isStale(statusOfCopy(x))) || c.reads.some((k) => underGuard(s, a, k) && isStale(s.tt[a][k]));
    const k = stale ? 'toctou' : 'assertion';
    if (process.env.ORACLE_DEBUG) console.error('fail', k, m.agents[a].name, s.pc[a], JSON.stringify(s.tt[a]), JSON.stringify(dep), JSON.stringify(s.sh));
    return k;
  }
  // execute one instruction of agent a (enabled); returns successor states (fork for choose/pick)
  function execOne(s: State, a: number, found: Map<Kind, number>, d: number): State[] {
    const ag = m.agents[a];
    const pc = s.pc[a];
    if (pc === -2) {
      // worker starts a queued item
      s.pend[a] = 0;
      s.pc[a] = 0;
      s.loc[a] = ag.init.slice();
      s.taint[a] = new Array(ag.nloc).fill(NO_TAINT);
      s.brDep[a] = [];
      // the queued run a flush noted is now the running one
      for (let b = 0; b < A; b++) if (s.fwItem[b] === a && s.fwWait[b] === 2) s.fwWait[b] = 1;
      return [s];
    }
    const ins = ag.prog[pc];
    const c: Ctx = { st: s, a, rec: true, reads: [], lreads: [] };
    const next = () => {
      s.pc[a] = pc + 1;
    };
    try {
      switch (ins.op) {
        case 'lock': {
          const l = lockOf(ins.ref, c);
          // README: one lock more than max_held is a run-time error at the step that would take it (the statement
          // blocks while the lock is unavailable, as any acquisition; the attempt was validated like any other)
          if (overLimit(s, a)) throw new RtErr('holds more than max_held locks');
          const kind = m.lockClassOf[l].kind;
          if (ins.read) s.lr[l][a]++;
          else s.lw[l] = a;
          s.held[a].push([l, rdType(kind, ins.read), 0, ins.sub, taintOf(s, a, c)]);
          next();
          break;
        }
        case 'try': {
          const l = lockOf(ins.ref, c);
          const ok = !exclBlocked(s, l);
          if (ok && overLimit(s, a)) throw new RtErr('holds more than max_held locks'); // a trylock that fails is no error
          if (ok) {
            s.lw[l] = a;
            s.held[a].push([l, 0, 1, 0, taintOf(s, a, c)]);
          } else if (ins.skip >= 0) {
            s.skip[a].push(ins.skip);
            s.skip[a].sort((x, y) => x - y);
          }
          if (ins.into) {
            const k = ins.into.slot(c);
            if (ins.into.shared) writeShared(s, a, k, ok ? 1 : 0, found, d);
            else s.loc[a][k] = ok ? 1 : 0;
          }
          next();
          break;
        }
        case 'unlock': {
          const si = s.skip[a].indexOf(pc);
          if (si >= 0) {
            s.skip[a].splice(si, 1);
            next();
            break;
          }
          const l = lockOf(ins.ref, c);
          if (s.lw[l] === a) {
            s.lw[l] = -1;
            dropHeld(s, a, l);
          } else if (s.lr[l][a] > 0) {
            s.lr[l][a]--;
            dropHeld(s, a, l);
          } else add(found, 'unlock-not-held', d);
          if (!holds(s, a, l)) guardDropped(s, a, l);
          next();
          break;
        }
        case 'assign': {
          const v = ins.e.ev(c);
          const t = taintOf(s, a, c);
          const k = ins.place.slot(c);
          recordReads(s, a, c.reads);
          if (ins.place.shared) writeShared(s, a, k, v, found, d);
          else {
            s.loc[a][k] = v;
            s.taint[a][k] = t;
          }
          next();
          break;
        }
        case 'arrinit': {
          const v = ins.e.ev(c);
          recordReads(s, a, c.reads);
          for (let i = 0; i < ins.len; i++) {
            s.loc[a][ins.base + i] = v;
            s.taint[a][ins.base + i] = NO_TAINT;
          }
          next();
          break;
        }
        case 'br': {
          const v = ins.c.ev(c);
          const dm = taintOf(s, a, c);
          recordReads(s, a, c.reads);
          const bd = s.brDep[a];
          const i = bd.findIndex((x) => x[0] === pc);
          if (dm.length) {
            if (i >= 0) bd[i] = [pc, dm];
            else {
              bd.push([pc, dm]);
              bd.sort((x, y) => x[0] - y[0]);
            }
          } else if (i >= 0) bd.splice(i, 1);
          if (dm.length && ins.assigned) for (const k of ins.assigned) s.taint[a][k] = unionTaint(s.taint[a][k], dm); // implicit flow, taken or not
          s.pc[a] = v ? pc + 1 : ins.f;
          break;
        }
        case 'jmp':
          s.pc[a] = ins.t;
          break;
        case 'choose': {
          const outs: State[] = [];
          ins.ts.forEach((t, i) => {
            const n = i === ins.ts.length - 1 ? s : cloneState(s);
            n.pc[a] = t;
            outs.push(n);
          });
          return outs;
        }
        case 'pick': {
          const set = ins.e.ev(c) >>> 0;
          recordReads(s, a, c.reads);
          const outs: State[] = [];
          for (let i = 0; i <= 30; i++)
            if (set & (1 << i)) {
              const n = cloneState(s);
              const cc: Ctx = { st: n, a, rec: false, reads: [] };
              const k = ins.place.slot(cc);
              if (ins.place.shared) writeShared(n, a, k, i, found, d);
              else n.loc[a][k] = i;
              n.pc[a] = pc + 1;
              outs.push(n);
            }
          return outs;
        }
        case 'assert': {
          const v = ins.e.ev(c);
          if (!v) add(found, failKind(s, a, c), d); // classified before this read refreshes anything
          recordReads(s, a, c.reads);
          next();
          break;
        }
        case 'held': {
          const cc: Ctx = { st: s, a, rec: true, reads: [], lreads: [] };
          const l = lockOf(ins.ref, cc);
          if (!holds(s, a, l)) add(found, failKind(s, a, cc), d);
          next();
          break;
        }
        case 'rcu_lock':
          s.rcu[a]++;
          next();
          break;
        case 'rcu_unlock':
          if (s.rcu[a] > 0) {
            s.rcu[a]--;
            if (s.rcu[a] === 0) {
              releaseReadSection(s, a, 0);
              guardDropped(s, a, 'rcu');
            }
          } else add(found, 'unlock-not-held', d);
          next();
          break;
        case 'sync_rcu':
        case 'sync_srcu': {
          let dom = 0,
            mask = 0;
          if (ins.op === 'sync_srcu') {
            const l = lockOf(ins.ref, c);
            dom = 1 + l;
            for (let b = 0; b < A; b++) if (srcuDepth(s, b, l) > 0) mask |= 1 << b;
          } else for (let b = 0; b < A; b++) if (s.rcu[b] > 0) mask |= 1 << b;
          s.gpDom[a] = dom;
          s.gpSet[a] = mask;
          next();
          break;
        }
        case 'sync_rcu_wait':
        case 'sync_srcu_wait':
          s.gpDom[a] = -1;
          s.gpSet[a] = 0;
          next();
          break;
        case 'srcu_lock': {
          const l = lockOf(ins.ref, c);
          if (overLimit(s, a)) throw new RtErr('holds more than max_held locks');
          s.held[a].push([l, 2, 0, 0, NO_TAINT]);
          next();
          break;
        }
        case 'srcu_unlock': {
          const l = lockOf(ins.ref, c);
          if (srcuDepth(s, a, l) > 0) {
            dropHeld(s, a, l);
            if (srcuDepth(s, a, l) === 0) releaseReadSection(s, a, 1 + l);
          } else add(found, 'unlock-not-held', d);
          next();
          break;
        }
        case 'wait': {
          ins.e.ev(c);
          recordReads(s, a, c.reads);
          next();
          break;
        }
        case 'queue': {
          const item = itemOf(ins.work, ins.inst, c);
          recordReads(s, a, c.reads);
          if (s.dis[item] === 0) s.pend[item] = 1;
          else hit('queue-ignored-while-disabled'); // a cancel in progress disabled the item: nothing happens
          next();
          break;
        }
        case 'flush': {
          const item = itemOf(ins.work, ins.inst, c);
          recordReads(s, a, c.reads);
          let into: number;
          if (!ins.cancel) {
            // the queued run (even with an earlier one still running), else the running run, else none
            s.fwWait[a] = s.pend[item] ? 2 : runningRun(s, item) ? 1 : 0;
            into = s.fwWait[a] ? 1 : 0;
            hit(
              s.fwWait[a] === 0
                ? 'flush-idle'
                : s.fwWait[a] === 1
                  ? 'flush-waits-running'
                  : runningRun(s, item)
                    ? 'flush-waits-queued-behind-running'
                    : 'flush-waits-queued',
            );
          } else {
            into = s.pend[item];
            hit(s.pend[item] ? 'cancel-dequeues' : runningRun(s, item) ? 'cancel-waits-running' : 'cancel-idle');
            if (s.dis[item]) hit('cancel-concurrent');
            if (s.pend[item]) {
              s.pend[item] = 0; // that run never happens: a flush waiting for it has nothing left to wait for
              for (let b = 0; b < A; b++)
                if (s.fwItem[b] === item && s.fwWait[b] === 2) {
                  s.fwWait[b] = 0;
                  hit('flush-of-cancelled-run');
                }
            }
            s.fwWait[a] = runningRun(s, item) ? 1 : 0;
            s.dis[item]++;
          }
          s.fwItem[a] = item;
          if (ins.into) {
            const k = ins.into.slot(c);
            if (ins.into.shared) writeShared(s, a, k, into, found, d);
            else {
              s.loc[a][k] = into;
              s.taint[a][k] = NO_TAINT;
            }
          }
          next();
          break;
        }
        case 'flush_wait':
          if (ins.cancel) s.dis[s.fwItem[a]]--; // the last cancel of the item to end enables it again
          s.fwItem[a] = -1;
          s.fwWait[a] = 0;
          next();
          break;
        case 'cwait': {
          const k = compOf(ins.comp, ins.inst, c);
          recordReads(s, a, c.reads);
          if (s.comp[k] !== COMP_ALL) s.comp[k]--;
          else hit('wait-passes-all');
          next();
          break;
        }
        case 'complete':
        case 'complete_all':
        case 'reinit': {
          const k = compOf(ins.comp, ins.inst, c);
          recordReads(s, a, c.reads);
          // complete() leaves a completed-for-all completion as it is (done == UINT_MAX)
          if (ins.op === 'complete_all') s.comp[k] = COMP_ALL;
          else if (ins.op === 'reinit') s.comp[k] = 0;
          else if (s.comp[k] !== COMP_ALL) s.comp[k]++;
          if (s.comp[k] >= 2) hit('completion-count-2');
          if (ins.op !== 'complete') hit(ins.op);
          next();
          break;
        }
        case 'ret': {
          if (ins.e) {
            const v = ins.e.ev(c);
            const t = taintOf(s, a, c);
            recordReads(s, a, c.reads);
            if (ins.place) {
              const k = ins.place.slot(c);
              if (ins.place.shared) writeShared(s, a, k, v, found, d);
              else {
                s.loc[a][k] = v;
                s.taint[a][k] = t;
              }
            }
          }
          s.pc[a] = ins.t;
          break;
        }
        case 'end': {
          if (s.held[a].length > 0 || s.rcu[a] > 0) add(found, 'held-at-exit', d);
          s.pc[a] = ag.work !== undefined ? -2 : -1;
          // the run returned: the flushes and cancels that noted it stop waiting
          if (ag.work !== undefined) for (let b = 0; b < A; b++) if (s.fwItem[b] === a && s.fwWait[b] === 1) s.fwWait[b] = 0;
          break;
        }
      }
    } catch (e) {
      if (!(e instanceof RtErr)) throw e;
      add(found, 'assertion', d); // run-time error in the model: the agent stops
      s.pc[a] = -1;
    }
    return [s];
  }
  function isLocalAt(s: State, a: number): boolean {
    const pc = s.pc[a];
    if (pc < 0) return false;
    const ins = m.agents[a].prog[pc];
    return !ins.vis; // a skipped U(X) is still a shorthand step, hence visible
  }
  function runTail(s: State, a: number, found: Map<Kind, number>, d: number) {
    let guard = 0;
    while (isLocalAt(s, a)) {
      execOne(s, a, found, d);
      if (++guard > 100000) throw new Error('local loop does not end');
    }
  }
  function step(s0: State, a: number, d: number): Out[] {
    const found = new Map<Kind, number>();
    const s = cloneState(s0);
    const outs = execOne(s, a, found, d);
    for (const n of outs) runTail(n, a, found, d);
    return outs.map((st) => ({ st, found }));
  }

  function replay(s0: State, schedule: string[]): NonNullable<OracleResult['replay']> {
    let s = s0;
    let steps = 0;
    let blockedAt: string | undefined;
    for (const name of schedule) {
      const a = m.agents.findIndex((g) => g.name === name);
      if (a < 0) throw new Error('no agent ' + name);
      attemptChecks(s, a, steps);
      if (!enabled(s, a)) {
        blockedAt = name;
        break;
      }
      const o = step(s, a, steps + 1)[0];
      for (const [k, d] of o.found) note(k, d);
      s = o.st;
      steps++;
    }
    const queued: Record<string, number> = {};
    const status: Record<string, string> = {};
    m.agents.forEach((g, a) => {
      if (g.work !== undefined) queued[g.name] = s.pend[a];
      const p = s.pc[a];
      status[g.name] = p === -1 ? 'done' : p === -2 ? 'idle' : !enabled(s, a) ? 'blocked' : g.prog[p].op === 'flush_wait' ? 'in-flush' : 'ready';
    });
    return { steps, blockedAt, queued, status };
  }

  // initial state
  const s0: State = {
    pc: m.agents.map((g) => (g.work !== undefined ? -2 : 0)),
    loc: m.agents.map((g) => g.init.slice()),
    sh: m.sharedInit.slice(),
    lw: new Array(m.nlocks).fill(-1),
    lr: Array.from({ length: m.nlocks }, () => new Array(A).fill(0)),
    held: m.agents.map(() => []),
    rcu: new Array(A).fill(0),
    gpDom: new Array(A).fill(-1),
    gpSet: new Array(A).fill(0),
    skip: m.agents.map(() => []),
    pend: new Array(A).fill(0),
    tt: m.agents.map(() => new Array(m.nshared).fill(0)),
    taint: m.agents.map((g) => new Array(g.nloc).fill(NO_TAINT)),
    brDep: m.agents.map(() => []),
    fwItem: new Array(A).fill(-1),
    fwWait: new Array(A).fill(0),
    dis: new Array(A).fill(0),
    comp: new Array(m.ncomp).fill(0),
  };
  const f0 = new Map<Kind, number>();
  for (let a = 0; a < A; a++) if (s0.pc[a] >= 0) runTail(s0, a, f0, 0);
  for (const [k, d] of f0) note(k, d);
  if (opts.schedule) {
    const replayed = replay(s0, opts.schedule);
    return { kinds, states: 0, complete: false, replay: replayed, ...(opts.edges ? { edges: edgeList() } : {}) };
  }
  const seen = new Set<string>([keyOf(s0)]);
  let frontier: State[] = [s0];
  let depth = 0;
  let count = 1;
  let complete = true;
  while (frontier.length) {
    const nextF: State[] = [];
    for (const s of frontier) {
      for (let a = 0; a < A; a++) attemptChecks(s, a, depth);
      let any = false;
      for (let a = 0; a < A; a++) {
        if (!enabled(s, a)) continue;
        any = true;
        for (const o of step(s, a, depth + 1)) {
          for (const [k, d] of o.found) note(k, d);
          const key = keyOf(o.st);
          if (seen.has(key)) continue;
          seen.add(key);
          count++;
          nextF.push(o.st);
        }
      }
      const live = s.pc.some((p, a) => p >= 0 || (p === -2 && s.pend[a]));
      if (!any && live) {
        note('deadlock', depth);
        for (let a = 0; a < A; a++) {
          const p = s.pc[a];
          const op = p >= 0 ? m.agents[a].prog[p].op : '';
          if (op === 'cwait') hit('completion-deadlock');
          if (op === 'flush_wait') hit('flush-deadlock');
        }
      }
      if (!live && m.final.length) {
        for (const f of m.final) {
          try {
            if (!f.ev({ st: s, a: -1, rec: false, reads: [] })) note('assertion', depth);
          } catch (e) {
            if (e instanceof RtErr) note('assertion', depth);
            else throw e;
          }
        }
      }
    }
    if (count > maxStates) {
      complete = false;
      break;
    }
    frontier = nextF;
    depth++;
  }
  if (hasStrongCycle(edges)) {
    note('lock-order-cycle', 0);
    const plain = new Map([...edges].filter(([u]) => !u.startsWith('(')).map(([u, o]) => [u, new Map([...o].filter(([v]) => !v.startsWith('(')))]));
    if (!hasStrongCycle(plain)) hit('work-map-cycle');
  }
  return {
    kinds,
    states: count,
    complete,
    ...(opts.events ? { events: [...events].sort() } : {}),
    ...(opts.edges ? { edges: edgeList() } : {}),
  };
}

// a closed walk over >= 2 classes with no edge that acquires as a recursive reader followed by an edge
// from that class held as a reader (lockdep's strong dependency path)
export function hasStrongCycle(edges: Map<string, Map<string, number>>): boolean {
  const R = (t: number) => t & 10,
    N = (t: number) => t & 5,
    S = (t: number) => t & 12,
    E = (t: number) => t & 3;
  for (const [s, out] of edges) {
    for (const [v0, t0] of out) {
      for (const firstS of [false, true]) {
        // first edge held as S (firstS) or E
        const tf = firstS ? S(t0) : E(t0);
        if (!tf) continue;
        for (const firstR of [false, true]) {
          const t1 = firstR ? tf & 10 : tf & 5;
          if (!t1) continue;
          // BFS over (node, lastR)
          const seen = new Set<string>();
          const q: [string, boolean][] = [[v0, firstR]];
          seen.add(v0 + '|' + firstR);
          while (q.length) {
            const [u, lastR] = q.shift()!;
            if (u === s) {
              if (!(lastR && firstS)) return true;
              continue;
            }
            const o = edges.get(u);
            if (!o) continue;
            for (const [w, t] of o) {
              const allowed = lastR ? E(t) : t; // after an R acquisition the next edge must start from an E hold
              if (!allowed) continue;
              for (const nr of [false, true]) {
                if (!(nr ? R(allowed) : N(allowed))) continue;
                const k = w + '|' + nr;
                if (seen.has(k)) continue;
                seen.add(k);
                q.push([w, nr]);
              }
            }
          }
        }
      }
    }
  }
  return false;
}

export function runOracle(file: string, maxStates = 200000, opts: ExploreOpts = {}): OracleResult {
  try {
    const spec = loadSpec(file);
    const m = compile(spec);
    return explore(m, maxStates, opts);
  } catch (e: any) {
    return { kinds: {}, states: 0, complete: false, error: String(e && e.message ? e.message : e) };
  }
}

// a spec given as an object (no imports): what the hand-checked cases use
export function runOracleSpec(spec: any, maxStates = 200000, opts: ExploreOpts = {}): OracleResult {
  try {
    return explore(compile(spec), maxStates, opts);
  } catch (e: any) {
    return { kinds: {}, states: 0, complete: false, error: String(e && e.message ? e.message : e) };
  }
}

if (require.main === module) {
  for (const f of process.argv.slice(2)) {
    const r = runOracle(f);
    console.log(f, JSON.stringify(r));
  }
}
