// Differential test against SPIN: on random shorthand specs (bench/promela/random-shorthand.ts, seeded) and a
// few hand-made ones aimed at single rules of the semantics, lockcheck reports a `deadlock` exactly when pan
// reports an invalid end state on the spec's Promela twin (bench/promela/shorthand-to-promela.ts).
// Needs spin and gcc on PATH; without them the comparisons are skipped, except under CI=true, where that is a
// failure. More at once: npx ts-node bench/differential.ts --count 500 --seed 1
import test from 'ava';
import { compareWithSpin, Comparison } from '../../bench/promela/compare';
import { randomShorthandSpec, ShorthandSpec, specSeed } from '../../bench/promela/random-shorthand';
import { toPromela, TranslateError } from '../../bench/promela/shorthand-to-promela';
import { parsePan, spinAvailable } from '../../bench/promela/spin';

const SEED = Number(process.env.DIFF_SEED ?? 1);
const COUNT = Number(process.env.DIFF_COUNT ?? 40);
const JOBS = 2;

const spec = (name: string, locks: Record<string, ShorthandSpec['locks'][string]['kind']>, seqs: string[], extra: object = {}) => ({
  name,
  locks: Object.fromEntries(Object.entries(locks).map(([k, kind]) => [k, { kind }])),
  threads: seqs.map((seq, i) => ({ name: `t${i}`, seq })),
  ...extra,
});

/** One rule each; the expected verdict is worked out by hand. */
const HAND_MADE: [object, 'deadlock' | 'ok'][] = [
  // rwsem: t0's second read queues behind t1's waiting write, which waits for t0's first read
  [spec('rwsem-reader-behind-queued-writer', { A: 'rwsem' }, ['R(A) R(A) U(A) U(A)', 'L(A) U(A)']), 'deadlock'],
  // rwlock: the same with a recursive reader never waits for the queued writer
  [spec('rwlock-recursive-reader', { A: 'rwlock' }, ['R(A) R(A) U(A) U(A)', 'L(A) U(A)']), 'ok'],
  // a failed trylock skips its U; the second U(A) of t0 releases what L(A) took
  [spec('trylock-pairs-with-its-unlock', { A: 'mutex', B: 'mutex' }, ['L(A) T(A) U(A) U(A)', 'L(A) U(A)']), 'ok'],
  // the contract's trylock rule: the failed T(A) of a held A skips its own U(A), so t0 ends holding A
  [spec('failed-trylock-of-held-lock-keeps-it', { A: 'mutex' }, ['L(A) T(A) U(A)', 'L(A) U(A)']), 'deadlock'],
  // a T(A) that succeeds pairs with its U(A), which releases it
  [spec('trylock-succeeds-and-releases', { A: 'mutex' }, ['T(A) U(A)', 'L(A) U(A)']), 'ok'],
  // a leaked lock: t1 waits for A forever once t0 has ended holding it
  [spec('leak-blocks-the-other', { A: 'spinlock' }, ['L(A)', 'L(A) U(A)']), 'deadlock'],
  // unlock of a lock not held goes on without releasing: t1 still holds A when t0 waits for it
  [spec('unlock-not-held-releases-nothing', { A: 'mutex' }, ['U(A) L(A) U(A)', 'L(A)']), 'deadlock'],
  // the ninth lock is a run-time error that ends t0 where it stands (holding eight): t1 waits for A forever
  [spec('ninth-lock-ends-the-thread', { A: 'rwlock' }, ['R(A) R(A) R(A) R(A) R(A) R(A) R(A) R(A) R(A)', 'L(A) U(A)']), 'deadlock'],
  // with room for nine, the ninth read is taken and all nine are released: no deadlock
  [
    spec(
      'max-held-raised',
      { A: 'rwlock', B: 'mutex' },
      ['R(A) R(A) R(A) R(A) R(A) R(A) R(A) R(A) R(A) U(A) U(A) U(A) U(A) U(A) U(A) U(A) U(A) U(A)', 'L(A) U(A)'],
      { options: { max_held: 9 } },
    ),
    'ok',
  ],
];

const have = spinAvailable();
const ready = have.spin && have.gcc;
const missing = `spin and gcc must be on PATH for the differential test (spin: ${have.spin ? 'found' : 'missing'}, gcc: ${have.gcc ? 'found' : 'missing'}): apt-get install -y spin gcc`;

/** At most JOBS comparisons at once: each compiles a pan with gcc. */
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(f: () => Promise<T>): Promise<T> {
  if (running >= JOBS) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await f();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const cases = [
  ...HAND_MADE.map(([s, want]) => ({ title: (s as { name: string }).name, spec: s, want })),
  ...Array.from({ length: COUNT }, (_, i) => {
    const seed = specSeed(SEED, i);
    return { title: `random spec ${i} (seed ${seed})`, spec: randomShorthandSpec(seed) as object, want: undefined };
  }),
  // rwsems too: a reader queues behind a waiting writer (bench/differential.ts --kinds ... agreed on 200 of 200)
  ...Array.from({ length: Math.ceil(COUNT / 2) }, (_, i) => {
    const seed = specSeed(SEED + 1000, i);
    return {
      title: `random spec with rwsems ${i} (seed ${seed})`,
      spec: randomShorthandSpec(seed, { kinds: ['mutex', 'spinlock', 'rwlock', 'rwsem'] }) as object,
      want: undefined,
    };
  }),
];
const comparisons = new Map<string, Promise<Comparison>>();
const compare = (c: (typeof cases)[number]) => {
  let p = comparisons.get(c.title);
  if (!p) comparisons.set(c.title, (p = limited(() => compareWithSpin(c.spec as ShorthandSpec))));
  return p;
};

if (!ready && process.env.CI === 'true') {
  test('spin and gcc are installed (CI)', (t) => {
    t.fail(missing);
  });
} else if (!ready) {
  test.skip(`differential test against SPIN: ${missing}`, () => {});
} else {
  for (const c of cases) {
    test(`lockcheck and SPIN agree: ${c.title}`, async (t) => {
      const r = await compare(c);
      const detail = `${JSON.stringify(c.spec)}\nlockcheck: ${r.lockcheck} [${r.kinds.join(', ')}], ${r.lockcheckStates} states; SPIN: ${r.spin}, ${r.spinStates} states\n${r.promela}`;
      t.is(r.lockcheck, r.spin, detail);
      if (c.want) t.is(r.spin, c.want, detail);
    });
  }
  test('the random sample has deadlocks and clean specs both', async (t) => {
    const rs = await Promise.all(cases.filter((c) => !c.want).map(compare));
    const deadlocks = rs.filter((r) => r.spin === 'deadlock').length;
    t.log(`${rs.length} compared, ${rs.filter((r) => r.agree).length} agree, ${rs.filter((r) => !r.agree).length} disagree (${deadlocks} deadlock)`);
    t.true(deadlocks >= rs.length / 5 && deadlocks <= (rs.length * 4) / 5, `${deadlocks} of ${rs.length} deadlock`);
  });
}

// The translator and pan's report, without SPIN.
test('the twin refuses what it cannot mirror', (t) => {
  t.throws(() => toPromela({ locks: { A: { kind: 'mutex' } }, threads: [{ name: 't', body: [] }] }), { instanceOf: TranslateError });
  t.throws(() => toPromela({ locks: { A: { kind: 'mutex' } }, threads: [{ name: 't', seq: 'R(A)' }] }), { instanceOf: TranslateError });
  t.throws(() => toPromela({ locks: { A: { kind: 'srcu' } }, threads: [{ name: 't', seq: '' }] }), { instanceOf: TranslateError });
  t.throws(() => toPromela({ locks: {}, threads: [{ name: 't', seq: 'L(B)' }] }), { instanceOf: TranslateError });
});

test('the twin expands classes and replicated threads, and ends every process at its closing brace', (t) => {
  const tw = toPromela({
    params: { P: 3 },
    locks: { net: { kind: 'mutex', instances: ['init_net', 'net1'] }, B: { kind: 'rwsem' } },
    threads: [
      { name: 'w', count: 'P', seq: 'L(net[net1]) U(net[net1]) R(B) U(B)' },
      { name: 'u', seq: 'L(B) U(B)' },
    ],
  });
  t.deepEqual(tw.instances, ['net[init_net]', 'net[net1]', 'B']);
  t.deepEqual(tw.processes, ['w[0]', 'w[1]', 'w[2]', 'u']);
  t.is(tw.text.match(/^active proctype/gm)?.length, 4);
  t.is(tw.text.match(/^stop:\n {2}skip\n\}$/gm)?.length, 4);
  // u starts at a write acquisition of B: one queued writer in the initial state
  t.regex(tw.text, /^byte queued_2 = 1;/m);
});

test('pan reports: an invalid end state is a deadlock; errors: 0 is ok; anything else is an error', (t) => {
  t.is(parsePan('pan:1: invalid end state (at depth 3)\nState-vector 28 byte, depth reached 5, errors: 1\n       14 states, stored\n').verdict, 'deadlock');
  t.is(parsePan('State-vector 28 byte, depth reached 9, errors: 0\n       33 states, stored\n').states, 33);
  t.throws(() => parsePan('pan:1: assertion violated x (at depth 2)\nState-vector 28 byte, depth reached 5, errors: 1\n'));
  t.throws(() => parsePan('error: max search depth too small\nState-vector 28 byte, depth reached 99, errors: 0\n'));
  t.throws(() => parsePan('spin: syntax error'));
});
