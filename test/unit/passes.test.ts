// The compiler's passes one at a time: normalise (tagged AST, shorthand expanded, T/U paired), resolve
// (params, instances, vars), layout (the shared part of the state vector), and the array-param analysis.
import test from 'ava';
import { load } from '../../checker/spec/load';
import { memoryHost } from '../../checker/spec/host';
import { Ctx } from '../../checker/model/passes/context';
import { normalise } from '../../checker/model/passes/normalise';
import { resolve } from '../../checker/model/passes/resolve';
import { layoutShared } from '../../checker/model/passes/layout';
import { arrayParam } from '../../checker/model/passes/lower';
import { AstStmt } from '../../checker/model/passes/ast';
import { compileSpec, specText } from '../helpers/check';
import { ValueKind } from '../../checker/model/ir';

function passes(spec: object, params: Record<string, number> = {}) {
  const { loaded } = load(memoryHost({ 'spec.json': specText(spec) }), 'spec.json');
  const ctx = new Ctx();
  const normalised = normalise(loaded!, ctx);
  const lockParts: { slots: number }[] = [];
  const sym = resolve(normalised, ctx, { params }, (p) => (lockParts.push(...p), true));
  const layout = sym && layoutShared(sym, lockParts as never, ctx, 2);
  return { ctx, normalised, sym, layout };
}

test('normalise: shorthand becomes lock, trylock and unlock nodes; each U(X) closes the latest T(X) as written', (t) => {
  const { normalised, ctx } = passes({
    name: 'n',
    locks: { A: { kind: 'mutex' }, B: { kind: 'rwlock' } },
    threads: [{ name: 't', seq: 'L(A) T(A) R(B) U(A) U(B) U(A)' }],
  });
  t.deepEqual(ctx.diagnostics, []);
  const body = normalised.threads[0].value.body;
  t.deepEqual(
    body.map((s) => s.kind),
    ['lock', 'trylock', 'lock', 'unlock', 'unlock', 'unlock'],
  );
  const tryId = (body[1] as Extract<AstStmt, { kind: 'trylock' }>).tryId;
  t.not(tryId, undefined);
  t.is((body[3] as Extract<AstStmt, { kind: 'unlock' }>).closesTry, tryId, 'the first U(A) closes the T(A)');
  t.is((body[5] as Extract<AstStmt, { kind: 'unlock' }>).closesTry, undefined, 'the second U(A) closes the L(A)');
  t.true((body[2] as Extract<AstStmt, { kind: 'lock' }>).read);
  // each node keeps the offset of its step in the string, for errors at the exact character
  t.deepEqual(
    body.map((s) => s.where.at),
    [0, 5, 10, 15, 20, 25],
  );
});

test('normalise: statements get their kind, and a shorthand error is reported once at its character', (t) => {
  const { normalised, ctx } = passes({
    name: 'n',
    locks: { A: { kind: 'mutex' } },
    procedures: { p: { body: [{ seq: 'L(A) X(A)' }] } },
    threads: [{ name: 't', body: [{ for: 'i', from: 0, to: 2, do: [{ call: 'p' }] }, { rcu_read_lock: {} }, { rcu_read_unlock: {} }], locals: { i: 0 } }],
  });
  const body = normalised.threads[0].value.body;
  t.deepEqual(
    body.map((s) => s.kind),
    ['for', 'rcu_read_lock', 'rcu_read_unlock'],
  );
  t.is(ctx.diagnostics.length, 1);
  t.is(ctx.diagnostics[0].code, 'LC3008');
  t.regex(ctx.diagnostics[0].message, /X\(A\)/);
});

test('resolve: params from the spec and the command line, generated instances, var sizes and guards', (t) => {
  const { sym, ctx } = passes(
    {
      name: 'r',
      params: { N: 2, M: 1 },
      locks: { net: { kind: 'mutex', instances: { count: 'N', prefix: 'net' } }, rtnl: { kind: 'mutex' } },
      vars: { tbl: { array: 'N + 1', init: 'M', guard: 'rtnl' }, x: {} },
      threads: [{ name: 't', seq: 'L(rtnl) U(rtnl)' }],
    },
    { N: 3 },
  );
  t.deepEqual(ctx.diagnostics, []);
  t.is(sym!.params.N, 3, 'the command line overrides the spec');
  t.deepEqual(
    sym!.classByName.get('net')!.instances.map((i) => sym!.instances[i].name),
    ['net[net0]', 'net[net1]', 'net[net2]'],
  );
  const tbl = sym!.vars.get('tbl')!;
  t.is(tbl.size, 4);
  t.deepEqual(tbl.init, [1, 1, 1, 1]);
  t.is(tbl.guard, sym!.classByName.get('rtnl')!.instances[0]);
  t.is(sym!.vars.get('x')!.guard, -1);
});

test('resolve: recursion through a notifier chain is found', (t) => {
  const { sym, ctx } = passes({
    name: 'rec',
    notifiers: { chain: { handlers: ['h'] } },
    procedures: { h: { body: [{ call_notifiers: 'chain' }] } },
    threads: [{ name: 't', body: [{ call_notifiers: 'chain' }] }],
  });
  t.true(sym!.recursive.has('h'));
  t.true(ctx.diagnostics.some((d) => /h -> h/.test(d.message)));
});

test('layout: shared vars, then work pending flags, then two slots per lock instance', (t) => {
  const { layout, sym } = passes({
    name: 'l',
    locks: { net: { kind: 'mutex', instances: ['a', 'b'] } },
    vars: { x: { array: 3 }, y: {} },
    works: { w: { proc: 'p', per: 'net' } },
    procedures: { p: { params: ['n'], body: [] } },
    threads: [{ name: 't', body: [{ queue_work: 'w[a]' }] }],
  });
  t.deepEqual(
    layout!.globals.map((g) => [g.name, g.offset, g.size]),
    [
      ['x', 0, 3],
      ['y', 3, 1],
      ['w pending', 4, 2],
    ],
  );
  t.is(layout!.works.get('w')!.pending, 4);
  t.is(layout!.locksBase, 6);
  t.is(layout!.threadsBase, 6 + 2 * sym!.instances.length);
});

test('array params: indexed in an expression or a lock reference, or passed on to one that is', (t) => {
  const { sym } = passes({
    name: 'a',
    locks: { net: { kind: 'mutex', instances: ['a', 'b'] } },
    procedures: {
      inExpr: { params: ['v', 's'], body: [{ assign: 's', value: 'v[0] + 1' }] },
      inLock: { params: ['nets'], body: [{ lock: 'net[nets[0]]' }, { unlock: 'net[nets[0]]' }] },
      passesOn: { params: ['w'], body: [{ call: 'inExpr', args: ['w', 0] }] },
      noteOnly: { params: ['q'], body: [{ assign: 'q', value: 1, note: 'q[0] is not read here' }] },
    },
    threads: [{ name: 't', seq: 'L(net[a]) U(net[a])' }],
  });
  t.true(arrayParam(sym!, 'inExpr', 'v'));
  t.false(arrayParam(sym!, 'inExpr', 's'));
  t.true(arrayParam(sym!, 'inLock', 'nets'));
  t.true(arrayParam(sym!, 'passesOn', 'w'));
  t.false(arrayParam(sym!, 'noteOnly', 'q'), 'a note is not code');
});

/** The value kind traces print each variable of thread 0 (and each shared var) with, by name. */
function valueKinds(spec: object): Record<string, string> {
  const { ir, diagnostics } = compileSpec(spec);
  if (!ir) throw new Error(JSON.stringify(diagnostics));
  const cls = (c: number) => (c < 0 ? '?' : ir.classes[c].name);
  const show = (k: ValueKind | undefined) => (k ? `${k.of} of ${cls(k.cls)}` : 'int');
  const out: Record<string, string> = {};
  for (const g of ir.globals) out[g.name] = show(g.kind);
  for (const l of ir.threads[0].localNames) if (!l.temp && l.frame === undefined) out[l.name] = show(l.kind);
  for (const i of ir.threads[0].code)
    if ((i.op === 'assign' || i.op === 'pick') && i.target.decl?.frame) out[`${i.target.decl.frame}.${i.target.decl.name}`] = show(i.target.kind);
  return out;
}

test('value kinds: what a variable holds is read off how the program uses it (instances, sets, integers)', (t) => {
  const kinds = valueKinds({
    name: 'k',
    locks: { m: { kind: 'mutex' }, net: { kind: 'mutex', instances: ['a', 'b'] }, dev: { kind: 'mutex', instances: ['d0', 'd1'] } },
    vars: { owner: { array: 2, init: ['a', 'b'] }, count: { init: 0 } },
    procedures: {
      // an array parameter names the caller's array; zeroing it with 0 gives no evidence
      fill: {
        params: ['tbl', 'x'],
        locals: { j: 0 },
        body: [
          { assign: 'tbl[0]', value: 0 },
          { assign: 'tbl[1]', value: 'x' },
        ],
      },
      take: { params: ['tbl'], body: [{ lock: 'net[tbl[1]]' }, { unlock: 'net[tbl[1]]' }] },
    },
    threads: [
      {
        name: 't',
        locals: { p: 0, s: 0, q: 0, n: 0, r: { array: 2 }, e: 'd1', u: 0, w: 0 },
        body: [
          { pick: 'p', from: 'all(net)' },
          { pick: 'u', from: '{d0, d1}' },
          { pick: 'w', from: '{0, 2}' },
          { assign: 's', value: 'add(s, p)' },
          { assign: 'q', value: 'cmp(p, owner[0]) + size(s)' },
          { assign: 'n', value: 'count + 1' },
          { call: 'fill', args: ['r', 'p'] },
          { call: 'take', args: ['r'] },
        ],
      },
    ],
  });
  t.like(kinds, {
    owner: 'instance of net',
    count: 'int',
    p: 'instance of net',
    // add(s, p) with p an instance of net: a set of net (its members print by name)
    s: 'set of net',
    q: 'int',
    n: 'int',
    r: 'instance of net',
    e: 'instance of dev',
    u: 'instance of dev',
    w: 'int',
    'fill.x': 'instance of net',
    'fill.j': 'int',
  });
});
