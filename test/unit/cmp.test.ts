// The cmp check: a strict total order passes; ties, two-way orders and cycles are named, once each; big
// classes are checked in well under a second (the check is O(n^2) at most, not O(n^3)).
import test from 'ava';
import { checkCmpOrder } from '../../checker/model/cmp';

const name = (i: number) => `n${i}`;
const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
const byKey = (key: (i: number) => number) => (a: number, b: number) => Math.sign(key(a) - key(b));

test('ascending addresses are a strict total order', (t) => {
  t.deepEqual(
    checkCmpOrder(
      ids(50),
      byKey((i) => (i * 7919) % 50),
      name,
    ),
    [],
  );
});

test('instances with the same key are one problem, however many', (t) => {
  const ps = checkCmpOrder(
    ids(6),
    byKey((i) => (i < 4 ? 0 : i)),
    name,
  );
  t.is(ps.length, 1);
  t.is(ps[0].rule, 'total');
  t.deepEqual(ps[0].instances, [0, 1, 2, 3]);
  t.regex(ps[0].message, /cmp ties n0, n1, n2 and n3: none is ordered/);
  const two = checkCmpOrder(
    ids(3),
    byKey((i) => (i === 2 ? 0 : i)),
    name,
  );
  t.deepEqual(
    two.map((p) => [p.rule, p.instances]),
    [['total', [0, 2]]],
  );
});

test('a cmp that puts each of two before the other is not antisymmetric', (t) => {
  const ps = checkCmpOrder(ids(3), (a, b) => (a === b ? 0 : (a === 0 && b === 1) || (a === 1 && b === 0) ? -1 : Math.sign(a - b)), name);
  t.deepEqual(
    ps.map((p) => [p.rule, [...p.instances].sort()]),
    [['antisymmetric', [0, 1]]],
  );
});

test('a cycle a < b < c < a is not transitive, with the three named', (t) => {
  // rock, paper, scissors
  const beats = (a: number, b: number) => (a + 1) % 3 === b;
  const ps = checkCmpOrder(ids(3), (a, b) => (a === b ? 0 : beats(a, b) ? -1 : 1), name);
  t.true(ps.length >= 1);
  t.is(ps[0].rule, 'transitive');
  t.is(ps[0].instances.length, 3);
  t.regex(ps[0].message, /^cmp orders n\d < n\d < n\d but not n\d < n\d$/);
});

test('cmp(a, a) must be 0', (t) => {
  const ps = checkCmpOrder(ids(2), (a, b) => (a === b ? -1 : Math.sign(a - b)), name);
  t.deepEqual(
    ps.map((p) => p.rule),
    ['irreflexive', 'irreflexive'],
  );
});

test('big classes: 2000 tied instances are one problem, 8000 ordered ones none, each fast', (t) => {
  let t0 = performance.now();
  const ps = checkCmpOrder(ids(2000), () => 0, name);
  t.is(ps.length, 1);
  t.is(ps[0].instances.length, 2000);
  t.regex(ps[0].message, /and 1997 more/);
  t.true(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  t0 = performance.now();
  t.deepEqual(
    checkCmpOrder(
      ids(8000),
      byKey((i) => -i),
      name,
    ),
    [],
  );
  t.true(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
});

test('a broken cmp over many instances gives at most ten problems', (t) => {
  const ps = checkCmpOrder(ids(300), (a, b) => (a === b ? 0 : (a ^ b) & 1 ? -1 : 1), name);
  t.true(ps.length > 0 && ps.length <= 10, String(ps.length));
});
