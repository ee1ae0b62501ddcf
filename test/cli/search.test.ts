// The search options through the real CLI: bounds (SIGINT, --max-memory), --jobs, --shard with merge,
// --simulate with its reproduce line, and the reductions switched off.
import test from 'ava';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LONG_SEARCH, lockcheck, ROOT, UNREDUCED } from '../helpers/cli';

const json = (s: string) => JSON.parse(s).results[0];
const BIG = LONG_SEARCH;

test('SIGINT stops a long search cleanly: verdict incomplete, exit 3, what was covered', async (t) => {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/lockcheck.js'), 'check', '--format', 'json', ...BIG], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((r) => setTimeout(r, 2500));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  t.is(code, 3);
  const r = json(out);
  t.is(r.verdict, 'incomplete');
  t.regex(r.incomplete, /interrupted after \d+ states/);
  t.true(r.stats.states > 0);
});

test('--max-memory stops the search before memory runs out', (t) => {
  const r = lockcheck(['check', '--format', 'json', '--max-memory', '250m', ...BIG]);
  t.is(r.code, 3);
  t.regex(json(r.stdout).incomplete, /--max-memory/);
});

test('--max-seconds stops the search on time, keeping the coverage and the findings already found', (t) => {
  const t0 = Date.now();
  const r = lockcheck(['check', '--format', 'json', '--max-seconds', '1', ...UNREDUCED, '--param', 'N=4', '--param', 'P=3', 'specs/bench/scale-unsorted.json']);
  const wall = (Date.now() - t0) / 1000;
  t.is(r.code, 3, r.stderr);
  const res = json(r.stdout);
  t.is(res.verdict, 'incomplete');
  t.regex(res.incomplete, /--max-seconds/);
  t.true(res.stats.states > 1000, String(res.stats.states));
  t.is(res.stats.complete, false);
  // the unsorted writers nest netns against the cmp order within a few steps: found before the clock ran out
  t.true(
    res.findings.some((f: { kind: string }) => f.kind === 'recursive-locking'),
    JSON.stringify(res.findings.map((f: { kind: string }) => f.kind)),
  );
  t.true(wall < 15, `${wall} s`);
});

test('--jobs 2 gives the verdict of the single-threaded search', (t) => {
  for (const spec of ['specs/rtnl/nets-unsorted-after.json', 'specs/rtnl/nets-sorted-during.json']) {
    const one = json(lockcheck(['check', '--format', 'json', '--jobs', '1', spec]).stdout);
    const two = lockcheck(['check', '--format', 'json', '--jobs', '2', spec]);
    t.is(two.code, 0, spec);
    const r = json(two.stdout);
    t.is(r.verdict, one.verdict);
    t.deepEqual([...new Set(r.findings.map((f: { kind: string }) => f.kind))].sort(), [...new Set(one.findings.map((f: { kind: string }) => f.kind))].sort());
    t.deepEqual(r.lockGraph, one.lockGraph);
  }
});

test('--jobs 2 shares one visited set: the same distinct states, transitions and findings as one job', (t) => {
  // the first two split (their levels reach 100 states per shard), the last ends before its split level
  const cases = [
    [...UNREDUCED, '--param', 'N=3', '--param', 'P=2', 'specs/bench/scale-unsorted.json'],
    ['--param', 'N=4', '--param', 'P=3', 'specs/bench/scale-sorted.json'],
    ['--no-symmetry', '--param', 'N=3', '--param', 'P=3', 'specs/bench/scale-sorted.json'],
    ['specs/kernel/setlink-relookup-race.json'],
  ];
  for (const args of cases) {
    const one = json(lockcheck(['check', '--format', 'json', '--no-timings', '--jobs', '1', ...args]).stdout);
    const two = json(lockcheck(['check', '--format', 'json', '--no-timings', '--jobs', '2', ...args]).stdout);
    const counts = (r: { stats: Record<string, number> }) => [r.stats.states, r.stats.transitions, r.stats.deadlockStates, r.stats.reducedStates];
    t.deepEqual(counts(two), counts(one), args.join(' '));
    t.is(two.verdict, one.verdict);
    t.deepEqual([...new Set(two.findings.map((f: { kind: string }) => f.kind))].sort(), [...new Set(one.findings.map((f: { kind: string }) => f.kind))].sort());
    t.deepEqual(two.lockGraph, one.lockGraph);
  }
});

test('--jobs 2 reports the same findings and traces on every run, whichever worker gets where first', (t) => {
  // unreduced, so that no confirming single-threaded search re-derives the traces afterwards: what the workers
  // found is what is reported. LOCKCHECK_SPLIT_STATES=2 makes the small specs split too.
  const cases: [string[], Record<string, string>][] = [
    [[...UNREDUCED, '--param', 'N=3', '--param', 'P=3', 'specs/bench/scale-unsorted.json'], {}],
    [[...UNREDUCED, 'specs/kernel/setlink-relookup-race.json'], { LOCKCHECK_SPLIT_STATES: '2' }],
    [[...UNREDUCED, 'specs/regress/flush-work-queued-under-lock.json'], { LOCKCHECK_SPLIT_STATES: '2' }],
  ];
  for (const [args, env] of cases) {
    const report = () => {
      const r = json(lockcheck(['check', '--format', 'json', '--no-timings', '--jobs', '2', ...args], { env }).stdout);
      delete r.stats.bytesPerState; // each worker's store holds states it stored and then lost to the other
      return r;
    };
    const first = report();
    t.true(first.findings.length > 0, args.join(' '));
    for (let i = 0; i < 2; i++) t.deepEqual(report(), first, args.join(' '));
  }
});

test('--jobs 2 under a bound: both workers stop (none waits for the other), incomplete, exit 3', (t) => {
  for (const bound of [
    ['--max-states', '20000'],
    ['--max-seconds', '1'],
  ]) {
    const t0 = Date.now();
    const r = lockcheck(['check', '--format', 'json', '--jobs', '2', ...bound, ...BIG], { timeoutMs: 60_000 });
    t.is(r.code, 3, `${bound.join(' ')}: ${r.stderr}`);
    const res = json(r.stdout);
    t.is(res.verdict, 'incomplete');
    t.regex(res.incomplete, bound[0] === '--max-states' ? /max-states|states/ : /--max-seconds/);
    if (bound[0] === '--max-states') t.true(res.stats.states < 60_000, String(res.stats.states));
    t.true(Date.now() - t0 < 30_000);
  }
});

test('--shard i/n results merge into the whole search; a set with a shard missing is refused', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-shards-'));
  const files = [0, 1, 2].map((i) => {
    const r = lockcheck(['check', '--format', 'json', '--shard', `${i}/3`, 'specs/rtnl/nets-unsorted-after.json']);
    t.is(r.code, 0, 'each shard of a buggy spec finds what it expects... or at least exits 0/3');
    const f = path.join(dir, `s${i}.json`);
    fs.writeFileSync(f, r.stdout);
    return f;
  });
  const all = lockcheck(['merge', '--format', 'json', ...files]);
  t.is(all.code, 0);
  t.is(json(all.stdout).verdict, 'findings');
  const some = lockcheck(['merge', ...files.slice(0, 2)]);
  t.is(some.code, 2);
  t.regex(some.stderr, /shard 2 of 3 missing.*\[LC6003\]/);
  t.is(lockcheck(['merge', path.join(ROOT, 'package.json')]).code, 2);
});

test('--simulate finds the deadlock and its reproduce line replays it', (t) => {
  const r = json(lockcheck(['check', '--format', 'json', '--simulate', '100', '--seed', '3', 'specs/rtnl/nets-unsorted-after.json']).stdout);
  const d = r.findings.find((f: { kind: string }) => f.kind === 'deadlock');
  t.truthy(d);
  const args = String(d.reproduce).split(' ').slice(2); // drop "lockcheck check"
  const again = json(lockcheck(['check', '--format', 'json', ...args]).stdout);
  t.true(again.findings.some((f: { kind: string; message: string }) => f.kind === 'deadlock' && f.message === d.message));
  t.is(lockcheck(['check', '--simulate', '20', 'specs/rtnl/nets-sorted-after.json']).code, 3, 'finding nothing by chance proves nothing');
});

test('--no-por --no-symmetry search more states for the same verdict', (t) => {
  const red = json(lockcheck(['check', '--format', 'json', 'specs/rtnl/nets-sorted-after.json']).stdout);
  const full = json(lockcheck(['check', '--format', 'json', '--no-por', '--no-symmetry', 'specs/rtnl/nets-sorted-after.json']).stdout);
  t.is(full.verdict, red.verdict);
  t.true(full.stats.states > red.stats.states);
});
