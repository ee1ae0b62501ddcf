// Tables of specs and the finding kinds they must give (ESLint RuleTester style): kinds and data, not English.
import test, { ExecutionContext } from 'ava';
import * as fs from 'fs';
import * as path from 'path';
import { CheckOptions } from '../../checker/pipeline';
import { SpecResult } from '../../checker/result';
import { checkSpec, kinds, shorthand } from '../helpers/check';

const cases: [string, object, string[], ((t: ExecutionContext, r: SpecResult) => void)?][] = [
  [
    'AA on a mutex',
    shorthand({ A: 'mutex' }, ['L(A) L(A) U(A) U(A)']),
    ['deadlock', 'recursive-locking'],
    (t, r) => {
      const d = r.findings.find((f) => f.kind === 'deadlock')!;
      t.is(d.facts.category, 'self');
      t.deepEqual(d.facts.threads, ['t0']);
    },
  ],
  [
    'ABBA',
    shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(B) L(A) U(A) U(B)']),
    ['deadlock', 'lock-order-cycle'],
    (t, r) => {
      const d = r.findings.find((f) => f.kind === 'deadlock')!;
      t.is(d.facts.category, 'cycle');
      t.deepEqual([...d.facts.threads].sort(), ['t0', 't1']);
      t.is(d.trace!.steps.length, 2, 'the shortest counterexample: each thread takes its first lock');
      const c = r.findings.find((f) => f.kind === 'lock-order-cycle')!;
      t.deepEqual(c.facts.classes, ['A', 'B']);
      t.is(c.chains!.length, 2);
    },
  ],
  [
    'ABBCCA',
    shorthand({ A: 'mutex', B: 'mutex', C: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(B) L(C) U(C) U(B)', 'L(C) L(A) U(A) U(C)']),
    ['deadlock', 'lock-order-cycle'],
    (t, r) => {
      const d = r.findings.find((f) => f.kind === 'deadlock')!;
      t.is(d.facts.threads.length, 3);
      t.is(d.trace!.steps.length, 3);
      const cycles = r.findings.filter((f) => f.kind === 'lock-order-cycle');
      t.is(cycles.length, 1, 'one cycle, reported once, not once per rotation');
      t.deepEqual(cycles[0].facts.classes, ['A', 'B', 'C']);
    },
  ],
  [
    'gated ABBA: the gate G prevents the deadlock, lockdep still sees A->B->A',
    shorthand({ G: 'mutex', A: 'mutex', B: 'mutex' }, ['L(G) L(A) L(B) U(B) U(A) U(G)', 'L(G) L(B) L(A) U(A) U(B) U(G)']),
    ['lock-order-cycle'],
  ],
  [
    'lock leak: t0 exits holding A, t1 waits forever',
    shorthand({ A: 'mutex' }, ['L(A)', 'L(A) U(A)']),
    ['deadlock', 'held-at-exit'],
    (t, r) => {
      const d = r.findings.find((f) => f.kind === 'deadlock')!;
      t.is(d.facts.category, 'orphan');
      t.regex(d.trace!.blocked![0].heldBy[0], /t0 \(exited\)/);
    },
  ],
  ['unlock of a lock not held', shorthand({ A: 'mutex' }, ['U(A)']), ['unlock-not-held']],
  ['double unlock', shorthand({ A: 'mutex' }, ['L(A) U(A) U(A)']), ['unlock-not-held']],
  ['trylock that fails skips its unlock', shorthand({ A: 'mutex' }, ['L(A) U(A)', 'T(A) U(A)']), []],
  ['no finding for consistent order', shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(A) L(B) U(B) U(A)']), []],
  [
    'same-class nesting in cmp order is allowed',
    {
      name: 'cmp',
      locks: { net: { kind: 'mutex', instances: ['a', 'b'], attrs: { addr: { a: 1, b: 2 } }, cmp: [{ by: 'addr', order: 'asc' }] } },
      threads: [
        { name: 't0', seq: 'L(net[a]) L(net[b]) U(net[b]) U(net[a])' },
        { name: 't1', seq: 'L(net[a]) L(net[b]) U(net[b]) U(net[a])' },
      ],
    },
    [],
  ],
  [
    'same-class nesting against desc order is recursive locking',
    {
      name: 'cmp',
      locks: { net: { kind: 'mutex', instances: ['a', 'b'], attrs: { addr: { a: 1, b: 2 } }, cmp: [{ by: 'addr', order: 'desc' }] } },
      threads: [{ name: 't0', seq: 'L(net[a]) L(net[b]) U(net[b]) U(net[a])' }],
    },
    ['recursive-locking'],
  ],
  [
    'nest lock allows same-class nesting',
    {
      name: 'nest',
      locks: { big: { kind: 'mutex' }, q: { kind: 'mutex', instances: ['x', 'y'] } },
      threads: [{ name: 't0', seq: 'L(big) N(q[x],big) N(q[y],big) U(q[y]) U(q[x]) U(big)' }],
    },
    [],
  ],
  [
    'a cmp that ties two instances is cmp-invalid',
    {
      name: 'tie',
      locks: { net: { kind: 'mutex', instances: ['a', 'b'], attrs: { addr: { a: 1, b: 1 } }, cmp: [{ by: 'addr' }] } },
      threads: [{ name: 't0', seq: 'L(net[a]) U(net[a])' }],
    },
    ['cmp-invalid'],
    (t, r) => t.deepEqual(r.findings[0].kind === 'cmp-invalid' && r.findings[0].facts.instances, ['net[a]', 'net[b]']),
  ],
  [
    'assert on shared state',
    {
      name: 'assert',
      locks: { L: { kind: 'mutex' } },
      vars: { x: { init: 0, guard: 'L' } },
      threads: [
        { name: 'w', body: [{ lock: 'L' }, { assign: 'x', value: 1 }, { unlock: 'L' }] },
        { name: 'r', body: [{ lock: 'L' }, { assert: 'x == 0', message: 'x changed' }, { unlock: 'L' }] },
      ],
    },
    ['assertion'],
    (t, r) => t.is(r.findings[0].message, 'x changed'),
  ],
  [
    'write to a guarded var without its guard',
    {
      name: 'guard',
      locks: { L: { kind: 'mutex' } },
      vars: { x: { guard: 'L' } },
      threads: [{ name: 'w', body: [{ assign: 'x', value: 1 }] }],
    },
    ['assertion'],
  ],
  [
    'assert_held fails when the lock is not held',
    {
      name: 'held',
      locks: { L: { kind: 'mutex' } },
      threads: [{ name: 't', body: [{ assert_held: 'L' }] }],
    },
    ['assertion'],
  ],
  [
    'runtime error: index out of range is an assertion with a trace',
    {
      name: 'oob',
      threads: [{ name: 't', locals: { a: { array: 2 }, i: 5 }, body: [{ assign: 'a[i]', value: 1 }] }],
    },
    ['assertion'],
    (t, r) => t.regex(r.findings[0].message, /index 5 out of range/),
  ],
];

for (const [title, spec, expected, more] of cases) {
  test(title, (t) => {
    const r = checkSpec(spec);
    t.deepEqual(r.diagnostics, []);
    t.deepEqual(kinds(r), [...expected].sort());
    more?.(t, r);
  });
}

test('expectation matching: unexpected and missing kinds', (t) => {
  const r = checkSpec(shorthand({ A: 'mutex' }, ['U(A)'], { expect: { findings: ['deadlock'] } }));
  t.false(r.matches);
  t.deepEqual(r.unexpected, ['unlock-not-held']);
  t.deepEqual(r.missing, ['deadlock']);
});

test('an incomplete search does not claim expected findings are missing', (t) => {
  const r = checkSpec(shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(B) L(A) U(A) U(B)'], { expect: { findings: ['deadlock'] } }), {
    maxStates: 2,
  });
  t.is(r.verdict, 'incomplete');
  t.deepEqual(r.missing, []);
});

test('procedures: by-value params, by-reference out params, arrays by reference, return values', (t) => {
  const r = checkSpec({
    name: 'procs',
    procedures: {
      push: {
        params: ['arr', 'len', 'v'],
        by_ref: ['len'],
        body: [{ assign: 'arr[len]', value: 'v' }, { assign: 'len', value: 'len + 1' }, { assign: 'v', value: 99 }, { return: 'len' }],
      },
    },
    threads: [
      {
        name: 't',
        locals: { a: { array: 3 }, n: 0, x: 7, r: 0 },
        body: [
          { call: 'push', args: ['a', 'n', 'x'], into: 'r' },
          { call: 'push', args: ['a', 'n', 'x + 1'], into: 'r' },
          { assert: 'n == 2 && r == 2 && a[0] == 7 && a[1] == 8 && x == 7', message: 'calls behave' },
        ],
      },
    ],
  });
  t.deepEqual(kinds(r), []);
});

test('the rtnl_nets_add bubble sort keeps nets in cmp order and refuses duplicates', (t) => {
  const net = {
    kind: 'mutex',
    instances: ['init_net', 'n1', 'n2'],
    attrs: { addr: { init_net: 300, n1: 200, n2: 100 } },
    cmp: [{ first: 'init_net' }, { by: 'addr', order: 'asc' }],
  };
  const r = checkSpec(
    {
      name: 'sort',
      imports: ['models/rtnl_nets.json'],
      locks: { net },
      threads: [
        {
          name: 't',
          locals: { nets: { array: 'RTNL_NETS_MAX' }, len: 0, e: 0, a: 0, b: 0, c: 0 },
          body: [
            { pick: 'a', from: 'all(net)' },
            { pick: 'b', from: 'all(net)' },
            { pick: 'c', from: 'all(net)' },
            { call: 'rtnl_nets_init', args: ['nets', 'len'] },
            { call: 'rtnl_nets_add', args: ['nets', 'len', 'a'], into: 'e' },
            { call: 'rtnl_nets_add', args: ['nets', 'len', 'b'], into: 'e' },
            { if: 'a == b', then: [{ assert: 'e == -EEXIST', message: 'duplicate refused' }] },
            { call: 'rtnl_nets_add', args: ['nets', 'len', 'c'], into: 'e' },
            { assert: 'len == size({a, b, c})', message: 'one entry per distinct netns' },
            { assert: 'len < 2 || cmp(nets[0], nets[1]) < 0', message: 'sorted 0 < 1' },
            { assert: 'len < 3 || cmp(nets[1], nets[2]) < 0', message: 'sorted 1 < 2' },
            { assert: 'nets[0] == init_net || !has({a, b, c}, init_net)', message: 'init_net first' },
          ],
        },
      ],
    },
    // dead variables kept, so that each of the 27 choices of a, b, c ends in a state of its own
    { deadVariables: false },
    {
      'models/rtnl_nets.json': fs.readFileSync(path.join(__dirname, '../../models/rtnl/rtnl_nets.json'), 'utf8'),
      'models/rtnl.json': fs.readFileSync(path.join(__dirname, '../../models/rtnl/rtnl.json'), 'utf8'),
    },
  );
  t.deepEqual(r.diagnostics, []);
  t.deepEqual(kinds(r), []);
  t.true(r.stats!.states > 27);
});

test('--without drops a lock: removing the RTNL gate exposes the deadlock', (t) => {
  const spec = shorthand({ G: 'mutex', A: 'mutex', B: 'mutex' }, ['L(G) L(A) L(B) U(B) U(A) U(G)', 'L(G) L(B) L(A) U(A) U(B) U(G)']);
  t.deepEqual(kinds(checkSpec(spec)), ['lock-order-cycle']);
  t.deepEqual(kinds(checkSpec(spec, { without: ['G'] })), ['deadlock', 'lock-order-cycle']);
});

test('params: --param overrides the spec, which overrides the model', (t) => {
  const spec = { name: 'p', params: { N: 2 }, locks: { A: { kind: 'mutex' } }, threads: [{ name: 't', count: 'N', seq: 'L(A) U(A)' }] };
  t.is(checkSpec(spec).stats!.threads, 2);
  t.is(checkSpec(spec, { params: { N: 3 } }).stats!.threads, 3);
});

test('two failing asserts with the same message at different places are two findings, each with its shortest trace', (t) => {
  // t1's assert fails at its first step; t0's only after its first; a reduced search meets t0's first
  const spec = {
    name: 'same-message',
    vars: { y: {} },
    threads: [
      {
        name: 't0',
        locals: { v: 0 },
        body: [
          { assign: 'v', value: 'y' },
          { assert: 'y', message: 'a' },
        ],
      },
      { name: 't1', body: [{ assert: 'y < y', message: 'a' }] },
    ],
  };
  for (const options of [{}, { por: false }, { por: false, symmetry: false }]) {
    const lengths = checkSpec(spec, options)
      .findings.filter((f) => f.kind === 'assertion')
      .map((f) => `${f.trace!.steps[f.trace!.steps.length - 1].thread}:${f.trace!.steps.length}:${f.trace!.shortest ?? 'shortest'}`)
      .sort();
    t.deepEqual(lengths, ['t0:2:shortest', 't1:1:shortest'], JSON.stringify(options));
  }
});

test('traces of a shard, a walk or a bitstate search are marked as possibly not the shortest', (t) => {
  const spec = shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(B) L(A) U(A) U(B)']);
  const marks = (options: CheckOptions) =>
    checkSpec(spec, options)
      .findings.filter((f) => f.trace)
      .map((f) => f.trace!.shortest);
  t.true(
    marks({}).every((m) => m === undefined),
    'a complete reduced search confirms its traces',
  );
  t.true(marks({ por: false, symmetry: false }).every((m) => m === undefined));
  const shards = [0, 1].flatMap((index) => marks({ shard: { index, count: 2, depth: 1 } }));
  t.true(shards.length > 0 && shards.every((x) => x === false), 'shards');
  for (const options of [{ simulate: { walks: 20, seed: '1' } }, { bitstateBits: 20 }] as CheckOptions[]) {
    const m = marks(options);
    t.true(m.length > 0 && m.every((x) => x === false), JSON.stringify(options));
  }
});
