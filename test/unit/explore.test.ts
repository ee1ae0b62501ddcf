// State counts worked out by hand (see each test), asserted exactly, on the unreduced search (the
// reductions have their own test: test/unit/reductions.test.ts).
import test from 'ava';
import { explore } from '../../checker/explore/explore';
import { compileSpec, shorthand } from '../helpers/check';

function run(spec: object, opts = {}) {
  const { model, diagnostics } = compileSpec(spec);
  if (!model) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return explore(model, { por: false, symmetry: false, ...opts });
}

test('one thread L(A) U(A): 3 states in a line', (t) => {
  const x = run(shorthand({ A: 'mutex' }, ['L(A) U(A)']));
  t.is(x.store.count, 3);
  t.is(x.transitions, 2);
  t.is(x.depth, 2);
  t.deepEqual(x.deadlocks, []);
});

test('two independent threads: the 3 x 3 product, 12 transitions', (t) => {
  // every pair (i, j) of positions 0..2; moves: one per unfinished thread: 3*2 + 2*3
  const x = run(shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) U(A)', 'L(B) U(B)']));
  t.is(x.store.count, 9);
  t.is(x.transitions, 12);
  t.is(x.depth, 4);
});

test('two threads on one lock: mutual exclusion removes (1,1): 8 states, 8 transitions', (t) => {
  const x = run(shorthand({ A: 'mutex' }, ['L(A) U(A)', 'L(A) U(A)']));
  t.is(x.store.count, 8);
  t.is(x.transitions, 8);
});

test('ABBA: 25 position pairs, 5 exclude each other, (3,3) unreachable: 19 states', (t) => {
  const x = run(shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(B) L(A) U(A) U(B)']));
  t.is(x.store.count, 19);
  t.is(x.deadlocks.length, 1);
  t.is(x.deadlockStates, 1);
});

test('choose: each branch is a successor; local steps merge into the visible one', (t) => {
  // choose(2) -> {lock A | lock B} -> unlock -> end: initial, 2 after choosing, 2 holding, 2 done... the
  // unlock leads to the same final local state only if locals agree: they do (no locals) but pcs differ.
  const x = run({
    name: 'c',
    locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } },
    threads: [
      {
        name: 't',
        body: [
          {
            choose: [
              [{ lock: 'A' }, { unlock: 'A' }],
              [{ lock: 'B' }, { unlock: 'B' }],
            ],
          },
        ],
      },
    ],
  });
  // states: choose point; at lock A; at lock B; holding A (at unlock A); holding B; end (the jump to the
  // common end is local, so both branches reach the same end state)
  t.is(x.store.count, 6);
  t.is(x.transitions, 6);
});

test('pick: one successor per member of the set', (t) => {
  const x = run({
    name: 'p',
    locks: { net: { kind: 'mutex', instances: ['a', 'b', 'c'] } },
    threads: [{ name: 't', locals: { n: 0 }, body: [{ pick: 'n', from: 'all(net)' }, { lock: 'net[n]' }, { unlock: 'net[n]' }] }],
  });
  // initial; 3 after the pick (n differs); 3 holding; one done state (n is dead there, so it is zeroed)
  t.is(x.store.count, 8);
});

test('rwlock readers share: two readers reach the state where both hold the lock', (t) => {
  const x = run(shorthand({ A: 'rwlock' }, ['R(A) U(A)', 'R(A) U(A)']));
  t.is(x.store.count, 9); // no exclusion: the full 3 x 3 product
});

test('rwsem reader queues behind a waiting writer', (t) => {
  // t0 holds A for read, t1 waits to write: t0's second read must block (p04 of the catalog)
  const x = run(shorthand({ A: 'rwsem' }, ['R(A) R(A) U(A) U(A)', 'L(A) U(A)']));
  t.is(x.deadlocks.length, 1);
});

test('--max-states stops the search and says so', (t) => {
  const x = run(shorthand({ A: 'mutex', B: 'mutex' }, ['L(A) L(B) U(B) U(A)', 'L(B) L(A) U(A) U(B)']), { maxStates: 5 });
  t.is(x.stopped, 'max-states');
  t.true(x.store.count <= 6);
});

test('--max-seconds stops the search (with an injected clock)', (t) => {
  let clock = 0;
  const x = run(
    {
      name: 'big',
      locks: { A: { kind: 'mutex' } },
      threads: [{ name: 't', count: 6, locals: { i: 0 }, body: [{ for: 'i', from: 0, to: 3, do: [{ lock: 'A' }, { unlock: 'A' }] }] }],
    },
    { maxSeconds: 0.2, now: () => (clock += 0.01) },
  );
  t.is(x.stopped, 'max-seconds');
});
