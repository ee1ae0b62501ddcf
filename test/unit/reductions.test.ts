// Reductions never change a verdict: every bundled spec and a few hundred generated ones give the same
// finding kinds and the same lock-order graph (every held -> acquired edge) with partial-order, symmetry and
// dead-variable reduction as without, and the reduced search never stores more states.
import test from 'ava';
import fg from 'fast-glob';
import * as path from 'path';
import seedrandom from 'seedrandom';
import { mergeResults } from '../../checker/merge';
import { checkFile } from '../../checker/pipeline';
import { nodeHost } from '../../checker/spec/host';
import { SpecResult } from '../../checker/result';
import { checkSpec } from '../helpers/check';
import { ROOT } from '../helpers/cli';

const kinds = (r: SpecResult) => [...new Set(r.findings.map((f) => f.kind))].sort();
const OFF = { por: false, symmetry: false, deadVariables: false };

function same(
  t: { deepEqual: (a: unknown, b: unknown, m?: string) => void; true: (a: boolean, m?: string) => void },
  full: SpecResult,
  reduced: SpecResult,
  what: string,
) {
  t.deepEqual(reduced.diagnostics, [], what);
  t.deepEqual(kinds(reduced), kinds(full), `${what}: finding kinds`);
  t.deepEqual(reduced.lockGraph, full.lockGraph, `${what}: lock-order graph`);
  t.deepEqual(reduced.verdict, full.verdict, `${what}: verdict`);
  t.true(reduced.stats!.states <= full.stats!.states, `${what}: ${reduced.stats!.states} <= ${full.stats!.states} states`);
}

const specs = fg.sync('specs/{rtnl,kernel,conformance}/**/*.json', { cwd: ROOT }).sort();
for (const file of specs) {
  test(`reductions keep the verdict of ${file}`, (t) => {
    const f = path.join(ROOT, file);
    same(t, checkFile(nodeHost, f, OFF), checkFile(nodeHost, f), file);
  });
}

test('fingerprint storage (the default) finds what exact storage finds, on every bundled spec', (t) => {
  for (const file of specs) {
    const f = path.join(ROOT, file);
    const exact = checkFile(nodeHost, f, { exact: true });
    const fp = checkFile(nodeHost, f);
    t.deepEqual(kinds(fp), kinds(exact), file);
    t.is(fp.stats!.states, exact.stats!.states, file);
    t.is(fp.stats!.storage, 'fingerprint');
    t.is(exact.stats!.storage, 'exact');
  }
});

test('bitstate and simulation find real findings; finding nothing, they say incomplete', (t) => {
  const bad = path.join(ROOT, 'specs/rtnl/nets-unsorted-after.json');
  const good = path.join(ROOT, 'specs/rtnl/nets-sorted-after.json');
  const bs = checkFile(nodeHost, bad, { bitstateBits: 24 });
  t.deepEqual(kinds(bs), ['deadlock', 'recursive-locking']);
  t.is(checkFile(nodeHost, good, { bitstateBits: 24 }).verdict, 'incomplete');
  const sim = checkFile(nodeHost, bad, { simulate: { walks: 200, seed: '7' } });
  t.true(kinds(sim).includes('deadlock'));
  const d = sim.findings.find((f) => f.kind === 'deadlock')!;
  t.regex(String(d.reproduce), /--simulate 1 --seed 7 --walk \d+/);
  // the reproduce line replays that one walk, which finds the same deadlock again
  const again = checkFile(nodeHost, bad, { simulate: { walks: 1, seed: '7', walk: d.walk } });
  t.true(again.findings.some((f) => f.kind === 'deadlock' && f.message === d.message));
  t.is(checkFile(nodeHost, good, { simulate: { walks: 50, seed: '7' } }).verdict, 'incomplete');
});

test('the shards of a split search cover the whole search: merged, they give its verdict', (t) => {
  for (const file of ['specs/rtnl/nets-unsorted-after.json', 'specs/rtnl/nets-sorted-during.json', 'specs/kernel/setlink-relookup-race.json']) {
    const f = path.join(ROOT, file);
    const whole = checkFile(nodeHost, f);
    const parts = [0, 1, 2].map((index) => ({ results: [checkFile(nodeHost, f, { shard: { index, count: 3, depth: -1 } })] }));
    const merged = mergeResults(parts).results[0];
    t.deepEqual(kinds(merged), kinds(whole), file);
    t.is(merged.verdict, whole.verdict, file);
    t.deepEqual(merged.lockGraph, whole.lockGraph, file);
    t.is(mergeResults(parts.slice(0, 2)).results[0].verdict, 'incomplete', 'two of three shards prove nothing');
  }
});

test('symmetry reduction pays on copies of a thread: P=3 writers', (t) => {
  const f = path.join(ROOT, 'specs/rtnl/nets-sorted-after.json');
  const full = checkFile(nodeHost, f, { ...OFF, params: { P: 3 } });
  const sym = checkFile(nodeHost, f, { por: false, params: { P: 3 } });
  same(t, full, sym, 'P=3');
  t.true(sym.stats!.states * 3 < full.stats!.states, `${sym.stats!.states} vs ${full.stats!.states}: at least a 3x saving of the 3! = 6 permutations`);
});

/** Random shorthand specs: 2-4 threads over 2-4 locks, mostly nested, with trylocks, leaks and stray unlocks. */
function generate(rng: () => number): object {
  const nLocks = 2 + Math.floor(rng() * 3);
  const names = ['A', 'B', 'C', 'D'].slice(0, nLocks);
  const kinds = ['mutex', 'spinlock', 'rwlock', 'rwsem'];
  const locks = Object.fromEntries(names.map((n) => [n, { kind: kinds[Math.floor(rng() * kinds.length)] }]));
  const nThreads = 2 + Math.floor(rng() * 3);
  const copies = rng() < 0.3; // identical threads exercise symmetry
  const threadSeq = () => {
    const held: string[] = [];
    const steps: string[] = [];
    const len = 1 + Math.floor(rng() * 3);
    for (let k = 0; k < len; k++) {
      const l = names[Math.floor(rng() * names.length)];
      const r = rng();
      const kind = (locks as Record<string, { kind: string }>)[l].kind;
      const op = r < 0.15 ? 'T' : r < 0.3 && (kind === 'rwlock' || kind === 'rwsem') ? 'R' : 'L';
      steps.push(`${op}(${l})`);
      held.push(l);
    }
    while (held.length) {
      const r = rng();
      if (r < 0.05)
        held.pop(); // a leak
      else steps.push(`U(${held.splice(r < 0.2 ? 0 : held.length - 1, 1)[0]})`);
    }
    if (rng() < 0.05) steps.push(`U(${names[0]})`);
    return steps.join(' ');
  };
  if (copies)
    return {
      name: 'gen',
      locks,
      threads: [
        { name: 't', count: nThreads, seq: threadSeq() },
        { name: 'other', seq: threadSeq() },
      ],
    };
  return { name: 'gen', locks, threads: Array.from({ length: nThreads }, (_, i) => ({ name: `t${i}`, seq: threadSeq() })) };
}

test('reductions keep the verdict of 300 generated specs', (t) => {
  const rng = seedrandom('lockcheck-reductions');
  let reducedStates = 0;
  let fullStates = 0;
  for (let k = 0; k < 300; k++) {
    const spec = generate(rng);
    const full = checkSpec(spec, OFF);
    const red = checkSpec(spec);
    same(t, full, red, `generated #${k}: ${JSON.stringify(spec)}`);
    reducedStates += red.stats!.states;
    fullStates += full.stats!.states;
  }
  t.true(reducedStates < fullStates, `the reductions reduce: ${reducedStates} < ${fullStates}`);
});
