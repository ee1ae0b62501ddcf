// Findings as facts, through the real CLI: expect.findings naming findings by their facts, "when" selecting
// entries per --param, the diagnostics of a bad entry, and --baseline marking findings known or new.
import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CheckResult, Finding } from '../../checker/result';
import { fingerprint, legacyFingerprint } from '../../checker/fingerprint';
import { lockcheck } from '../helpers/cli';

const abbaThreads = [
  { name: 'cpu0', seq: 'L(A) L(B) U(B) U(A)' },
  { name: 'cpu1', seq: 'L(B) L(A) U(A) U(B)' },
];
const locks = { A: { kind: 'mutex' }, B: { kind: 'mutex' }, C: { kind: 'mutex' }, D: { kind: 'mutex' } };

/** A spec in a fresh folder; returns the folder. */
function specDir(spec: object, name = 'spec.json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-expect-'));
  fs.writeFileSync(path.join(dir, name), JSON.stringify(spec, null, 2));
  return dir;
}

const check = (dir: string, ...args: string[]) => lockcheck(['check', '--no-traces', ...args, 'spec.json'], { cwd: dir });
const json = (stdout: string) => JSON.parse(stdout) as CheckResult;

test('a named expectation matches a finding by its facts', (t) => {
  const dir = specDir({
    name: 'abba',
    locks,
    threads: abbaThreads,
    expect: {
      findings: [
        { kind: 'deadlock', category: 'cycle', locks: ['B', 'A'], threads: ['cpu0', 'cpu1'] },
        { kind: 'lock-order-cycle', classes: ['A', 'B'] },
      ],
    },
  });
  const r = check(dir);
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /spec\.json: findings, as expected \[deadlock, lock-order-cycle\]/);
  const doc = json(check(dir, '--format', 'json').stdout);
  t.deepEqual(doc.results[0].uncovered, []);
  t.deepEqual(doc.results[0].unmatched, []);
  t.is(doc.results[0].expectations?.length, 2);
});

test('a named expectation no finding meets fails the spec, and the finding it missed is unexpected', (t) => {
  const dir = specDir({
    name: 'abba',
    locks,
    threads: abbaThreads,
    expect: { findings: [{ kind: 'deadlock', locks: ['A', 'C'] }, 'lock-order-cycle'] },
  });
  const r = check(dir);
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /NOT as expected/);
  t.regex(r.stdout, /unexpected: deadlock/);
  t.regex(r.stdout, /expected but not found: deadlock with locks A, C/);
  const junit = check(dir, '--format', 'junit').stdout;
  t.regex(junit, /expected deadlock with locks A, C, but the search found none/);
});

test('a new, different deadlock in a spec that expects one deadlock fails it (exit 1)', (t) => {
  const threads = [...abbaThreads, { name: 'cpu2', seq: 'L(C) L(D) U(D) U(C)' }, { name: 'cpu3', seq: 'L(D) L(C) U(C) U(D)' }];
  const named = { kind: 'deadlock', locks: ['A', 'B'] };
  const kindOnly = specDir({ name: 'two', locks, threads, expect: { findings: ['deadlock', 'lock-order-cycle'] } });
  t.is(check(kindOnly).code, 0, 'a kind entry covers every deadlock, as before');
  const dir = specDir({ name: 'two', locks, threads, expect: { findings: [named, 'lock-order-cycle'] } });
  const r = check(dir);
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stdout, /unexpected: deadlock/);
  const doc = json(check(dir, '--format', 'json').stdout).results[0];
  const outside = doc.uncovered!.map((i) => doc.findings[i]);
  t.true(outside.length > 0);
  for (const f of outside) t.true(f.kind === 'deadlock' && f.facts.locks.includes('C'), f.message);
  // naming both deadlocks covers both
  const both = specDir({ name: 'two', locks, threads, expect: { findings: [named, { kind: 'deadlock', locks: ['C', 'D'] }, 'lock-order-cycle'] } });
  t.is(check(both).code, 0);
});

const gated = (expect: (object | string)[]) => ({
  name: 'broken or not',
  params: { BROKEN: 1 },
  locks,
  threads: [
    { name: 'cpu0', seq: 'L(A) L(B) U(B) U(A)' },
    { name: 'cpu1', body: [{ if: 'BROKEN == 1', then: [{ seq: 'L(B) L(A) U(A) U(B)' }], else: [{ seq: 'L(A) L(B) U(B) U(A)' }] }] },
  ],
  expect: { findings: expect },
});

test('"when" selects the entries of a --param value: one spec holds the broken and the fixed variant', (t) => {
  const dir = specDir(
    gated([
      { kind: 'deadlock', locks: ['A', 'B'], when: { BROKEN: 1 } },
      { kind: 'lock-order-cycle', when: { BROKEN: 1 } },
    ]),
  );
  const broken = check(dir);
  t.is(broken.code, 0, broken.stdout + broken.stderr);
  t.regex(broken.stdout, /findings, as expected \[deadlock, lock-order-cycle\]/);
  const fixed = check(dir, '--param', 'BROKEN=0');
  t.is(fixed.code, 0, fixed.stdout + fixed.stderr);
  t.regex(fixed.stdout, /spec\.json: ok, as expected/);
  // an entry of the fixed variant that does not hold there
  const wrong = specDir(
    gated([
      { kind: 'deadlock', when: { BROKEN: 0 } },
      { kind: 'lock-order-cycle', when: { BROKEN: 1 } },
    ]),
  );
  const w = check(wrong);
  t.is(w.code, 1, 'BROKEN=1: the deadlock is covered by no entry that holds');
  t.regex(w.stdout, /unexpected: deadlock/);
  t.is(check(wrong, '--param', 'BROKEN=0').code, 1, 'BROKEN=0: the deadlock it names is not found');
});

test('"when" naming an undeclared param is LC3030 at its position, with a did-you-mean (exit 2)', (t) => {
  const dir = specDir(gated([{ kind: 'deadlock', when: { BROKN: 1 } }, 'lock-order-cycle']));
  const r = check(dir);
  t.is(r.code, 2, r.stdout + r.stderr);
  const text = fs.readFileSync(path.join(dir, 'spec.json'), 'utf8').split('\n');
  const line = text.findIndex((l) => l.includes('"BROKN"')) + 1;
  const col = text[line - 1].indexOf('"BROKN"') + 1;
  t.regex(r.stderr, new RegExp(`spec\\.json:${line}:${col}: error: expect\\.findings: "when" names "BROKN", which is not a param \\[LC3030\\]`));
  t.regex(r.stderr, /did you mean "BROKEN"\?/);
});

test('a named finding with a fact its kind does not have is LC3031 (exit 2)', (t) => {
  const dir = specDir({ name: 'abba', locks, threads: abbaThreads, expect: { findings: [{ kind: 'deadlock', variables: ['x'] }] } });
  const r = check(dir);
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stderr, /spec\.json:\d+:\d+: error: expect\.findings: a deadlock finding has no fact "variables" \[LC3031\]/);
  t.regex(r.stderr, /deadlock findings can be named by: category, locks, threads, classes/);
});

/** abba without an expectation, its JSON result as a baseline, and a folder to check it in. */
function baselined() {
  const dir = specDir({ name: 'abba', locks, threads: abbaThreads });
  const main = check(dir, '--format', 'json');
  t0(main.code === 1, main.stderr);
  fs.writeFileSync(path.join(dir, 'main.json'), main.stdout);
  return { dir, base: path.join(dir, 'main.json'), doc: json(main.stdout) };
}
function t0(ok: boolean, why: string) {
  if (!ok) throw new Error(why);
}

test('--baseline: known findings are printed as known, do not fail, and the summary counts new vs known', (t) => {
  const { dir, base } = baselined();
  const r = check(dir, '--baseline', base);
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /spec\.json: findings, all known \[deadlock, lock-order-cycle\] \(2 known, 0 new\)/);
  t.notRegex(r.stdout, /as expected \[/, 'not "as expected": its findings are known');
  t.regex(r.stdout, /deadlock \(known\): AB-BA deadlock/);
  t.regex(r.stdout, /1 spec: 0 as expected, 1 with known findings only, 0 not as expected, 0 incomplete, 0 with errors; findings: 0 new, 2 known/);
  t.regex(r.stderr, /baseline .*main\.json: 2 known findings, 0 new/);
  const doc = json(check(dir, '--baseline', base, '--format', 'json').stdout);
  t.deepEqual(
    doc.results[0].findings.map((f) => f.known),
    [true, true],
  );
  const sarif = JSON.parse(check(dir, '--baseline', base, '--format', 'sarif').stdout);
  t.deepEqual(
    sarif.runs[0].results.map((x: { baselineState: string }) => x.baselineState),
    ['unchanged', 'unchanged'],
  );

  // a new cycle over C: the new findings fail, the known ones do not
  fs.writeFileSync(
    path.join(dir, 'spec.json'),
    JSON.stringify({
      name: 'abba',
      locks,
      threads: [...abbaThreads, { name: 'cpu2', seq: 'L(C) L(A) U(A) U(C)' }, { name: 'cpu3', seq: 'L(A) L(C) U(C) U(A)' }],
    }),
  );
  const pr = check(dir, '--baseline', base);
  t.is(pr.code, 1, pr.stdout + pr.stderr);
  t.regex(pr.stdout, /spec\.json: findings \[deadlock, lock-order-cycle\] \(2 known, [1-9]\d* new\)/);
  t.regex(pr.stdout, /deadlock \(known\): AB-BA deadlock: cpu0/);
  t.regex(pr.stdout, /findings: [1-9]\d* new, 2 known/);
  const prSarif = JSON.parse(check(dir, '--baseline', base, '--format', 'sarif').stdout);
  const states = prSarif.runs[0].results.map((x: { baselineState: string }) => x.baselineState);
  t.true(states.includes('new') && states.includes('unchanged'), states.join(' '));
});

test('--baseline: a reworded message keeps the fingerprint; an older baseline (message fingerprints) still matches', (t) => {
  const { dir, base, doc } = baselined();
  const f = doc.results[0].findings[0];
  const reworded: Finding = { ...f, message: 'a deadlock, worded otherwise' };
  t.is(fingerprint('spec.json', reworded), fingerprint('spec.json', f), 'the message is not the identity');
  t.is(f.fingerprint, fingerprint('spec.json', f), 'the spec path is relative to its project root');
  t.not(legacyFingerprint('spec.json', reworded), legacyFingerprint('spec.json', f), 'the old form was the message');

  // every message of the baseline reworded: still known
  const text = fs.readFileSync(base, 'utf8');
  const rewordedDoc = json(text);
  for (const r of rewordedDoc.results) for (const x of r.findings) x.message = `reworded: ${x.message}`;
  fs.writeFileSync(base, JSON.stringify(rewordedDoc));
  t.is(check(dir, '--baseline', base).code, 0);

  // a baseline of the previous version: no fingerprint, untyped details instead of facts
  const old = json(text);
  for (const r of old.results)
    for (const x of r.findings) {
      const o = x as unknown as Record<string, unknown>;
      o.details = o.facts;
      delete o.facts;
      delete o.fingerprint;
    }
  fs.writeFileSync(base, JSON.stringify(old));
  const r = check(dir, '--baseline', base);
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stderr, /2 known findings, 0 new/);
});

test('--baseline: an unknown kind is exit 2 with a did-you-mean; a spec the run does not check is a note', (t) => {
  const { dir, base, doc } = baselined();
  const bad = json(JSON.stringify(doc));
  (bad.results[0].findings[0] as { kind: string }).kind = 'deadlok';
  fs.writeFileSync(base, JSON.stringify(bad, null, 2));
  const r = check(dir, '--baseline', base);
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stderr, /main\.json:\d+:\d+: error: .*"deadlok", not one of deadlock, .*; did you mean "deadlock"\? \[LC6002\]/);

  // main had a spec this pull request renamed or removed: a note, not an error (the gate must not break)
  const gone = json(JSON.stringify(doc));
  const other = json(JSON.stringify(doc)).results[0];
  other.file = 'gone.json';
  for (const f of other.findings) f.fingerprint = '0123456789abcdef';
  gone.results.push(other);
  fs.writeFileSync(base, JSON.stringify(gone));
  const n = check(dir, '--baseline', base);
  t.is(n.code, 0, n.stdout + n.stderr);
  t.regex(n.stderr, /note: baseline .*main\.json has findings of gone\.json, which this run does not check/);
  t.regex(n.stderr, /2 known findings, 0 new/);
});

test('the folded bundled specs hold both variants: each --param value is as expected', (t) => {
  for (const [spec, param] of [
    ['specs/kernel/netns-move-inetdev-lro-6.18.24.json', 'INETDEV_INIT_FIXED'],
    ['specs/kernel/macvlan-unregister-6.18.json', 'RTNL_CONVERSION'],
  ]) {
    const fixed = lockcheck(['check', '--no-traces', spec]);
    t.is(fixed.code, 0, fixed.stdout + fixed.stderr);
    t.regex(fixed.stdout, /ok, as expected/);
    const broken = lockcheck(['check', '--no-traces', '--param', `${param}=0`, spec]);
    t.is(broken.code, 0, broken.stdout + broken.stderr);
    t.regex(broken.stdout, /findings, as expected \[/);
  }
});
