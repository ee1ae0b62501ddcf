// The dependency graph and lockdep's strong-path rule, on hand-built graphs.
import test from 'ava';
import { CompiledModel } from '../../checker/model/ir';
import { AttemptWitness, LockdepValidator } from '../../checker/lockdep/validator';

function validator(n: number) {
  const classes = Array.from({ length: n }, (_, i) => ({
    id: i,
    name: String.fromCharCode(65 + i),
    kind: 'rwlock' as const,
    instances: [i],
    hasInstances: false,
  }));
  const instances = classes.map((c) => ({ id: c.id, cls: c.id, name: c.name, short: c.name, attrs: {} }));
  const v = new LockdepValidator({ classes, instances, works: [] } as unknown as CompiledModel);
  const add = (from: number, to: number, type: 'EN' | 'ER' | 'SN' | 'SR') => {
    const key = (from * 8 * n * 8 + to * 8) * 4 + ['EN', 'ER', 'SN', 'SR'].indexOf(type);
    // no other lock held when the edge was taken: no candidate gate locks (strongCycles() does not read the witness)
    v.edges.set(key, { from: from * 8, to: to * 8, type, witness: {} as AttemptWitness, gates: [] });
  };
  return { v, add };
}

test('a two-class cycle of exclusive edges is strong', (t) => {
  const { v, add } = validator(2);
  add(0, 1, 'EN');
  add(1, 0, 'EN');
  t.is(v.strongCycles().length, 1);
});

test('-(ER)-> then -(SN)-> through B is not strong (p18)', (t) => {
  const { v, add } = validator(2);
  add(0, 1, 'ER');
  add(1, 0, 'SN');
  t.is(v.strongCycles().length, 0);
});

test('the strong-path rule also applies across the wrap-around of the cycle', (t) => {
  const { v, add } = validator(2);
  add(0, 1, 'SN'); // leaves A as shared
  add(1, 0, 'ER'); // enters A as a recursive reader
  t.is(v.strongCycles().length, 0);
});

test('a longer cycle is found once, from its smallest class', (t) => {
  const { v, add } = validator(4);
  add(0, 1, 'EN');
  add(1, 2, 'EN');
  add(2, 3, 'EN');
  add(3, 0, 'EN');
  add(2, 0, 'EN'); // a second, shorter cycle A->B->C->A
  const cycles = v.strongCycles().map((c) => c.map((e) => v.nodeName(e.from)).join(''));
  t.deepEqual(cycles.sort(), ['ABC', 'ABCD']);
});

test('a strong cycle exists when one of two parallel edges is strong', (t) => {
  const { v, add } = validator(2);
  add(0, 1, 'ER');
  add(0, 1, 'EN');
  add(1, 0, 'SN');
  t.is(v.strongCycles().length, 1);
});
