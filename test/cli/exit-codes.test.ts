// The CLI contract: exit codes 0/1/2/3, the JSON document, usage errors, globs.
import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockcheck } from '../helpers/cli';

function tmpSpec(spec: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-'));
  const f = path.join(dir, 'spec.json');
  fs.writeFileSync(f, JSON.stringify(spec, null, 2));
  return f;
}
const abba = (expect?: string[]) => ({
  name: 'abba',
  locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } },
  threads: [
    { name: 'cpu0', seq: 'L(A) L(B) U(B) U(A)' },
    { name: 'cpu1', seq: 'L(B) L(A) U(A) U(B)' },
  ],
  ...(expect ? { expect: { findings: expect } } : {}),
});

test('0 when the findings are the expected ones', (t) => {
  t.is(lockcheck(['check', tmpSpec(abba(['deadlock', 'lock-order-cycle']))]).code, 0);
});

test('1 when they differ, and the text says which', (t) => {
  const r = lockcheck(['check', tmpSpec(abba(['deadlock']))]);
  t.is(r.code, 1);
  t.regex(r.stdout, /unexpected: lock-order-cycle/);
});

test('1 without an expectation when there is any finding', (t) => {
  t.is(lockcheck(['check', tmpSpec(abba())]).code, 1);
});

test('2 for a bad spec, with FILE:LINE:COL diagnostics on stderr', (t) => {
  const f = tmpSpec({ name: 'bad', threads: [{ name: 't', seq: 'L(X)' }] });
  const r = lockcheck(['check', f]);
  t.is(r.code, 2);
  t.regex(r.stderr, /spec\.json:\d+:\d+: error: unknown lock "X"/);
  t.notRegex(r.stderr + r.stdout, /^\s+at .*\.js:\d+/m);
});

test('2 for bad usage', (t) => {
  t.is(lockcheck(['check']).code, 2);
  t.is(lockcheck(['frobnicate']).code, 2);
  t.is(lockcheck(['check', '--format', 'yaml', 'x.json']).code, 2);
  t.is(lockcheck(['check', '--max-states', 'lots', 'x.json']).code, 2);
  t.is(lockcheck(['check', '--param', 'N', 'x.json']).code, 2);
  t.is(lockcheck(['check', 'no/such/*.json']).code, 2);
});

test('3 when --max-states stops the search: verdict incomplete, never ok', (t) => {
  const r = lockcheck(['check', '--format', 'json', '--max-states', '3', tmpSpec(abba([]))]);
  t.is(r.code, 3);
  const doc = JSON.parse(r.stdout);
  t.is(doc.results[0].verdict, 'incomplete');
  t.regex(doc.results[0].incomplete, /--max-states/);
});

test('the JSON document follows the contract', (t) => {
  const r = lockcheck(['check', '--format', 'json', tmpSpec(abba(['deadlock', 'lock-order-cycle']))]);
  const doc = JSON.parse(r.stdout);
  t.is(doc.results.length, 1);
  const res = doc.results[0];
  t.true(typeof res.file === 'string');
  t.is(res.verdict, 'findings');
  t.deepEqual(res.findings.map((f: { kind: string }) => f.kind).sort(), ['deadlock', 'lock-order-cycle']);
  for (const f of res.findings) t.true(typeof f.message === 'string' && f.message.length > 0);
  t.true(res.stats.states > 0);
  t.true(res.stats.bytesPerState > 0);
});

test('globs expand, and --param reaches the model', (t) => {
  const r = lockcheck(['check', '--format', 'json', 'specs/conformance/p0*.json']);
  t.is(JSON.parse(r.stdout).results.length, 9);
  const p = lockcheck(['check', '--format', 'json', '--param', 'P=1', 'specs/rtnl/nets-unsorted-after.json']);
  const res = JSON.parse(p.stdout).results[0];
  t.is(res.stats.threads, 1);
  t.deepEqual(
    res.findings.map((f: { kind: string }) => f.kind),
    ['recursive-locking'],
    'one writer cannot deadlock with itself',
  );
});

test('--without rtnl_mutex: what breaks when rtnl_lock() is removed', (t) => {
  const r = lockcheck(['check', '--format', 'json', '--without', 'rtnl_mutex', 'specs/rtnl/nets-unsorted-during.json']);
  const kinds = JSON.parse(r.stdout)
    .results[0].findings.map((f: { kind: string }) => f.kind)
    .sort();
  t.true(kinds.includes('deadlock'));
  t.is(r.code, 1);
});

test('--version prints the version from package.json and exits 0', (t) => {
  const r = lockcheck(['--version']);
  t.is(r.code, 0);
  t.is(r.stdout.trim(), JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
});

test('a --param or --without that no spec declares is exit 2 with a did-you-mean, before any search', (t) => {
  const p = lockcheck(['check', '--param', 'RTNL_NETS_MX=2', 'specs/rtnl/nets-unsorted-after.json']);
  t.is(p.code, 2);
  t.regex(p.stderr, /--param RTNL_NETS_MX: no spec here declares a param "RTNL_NETS_MX"; did you mean "RTNL_NETS_MAX"\?/);
  t.is(p.stdout, '');
  const w = lockcheck(['check', '--without', 'rtnl_mutx', 'specs/rtnl/nets-unsorted-during.json']);
  t.is(w.code, 2);
  t.regex(w.stderr, /--without rtnl_mutx: no spec here declares a lock "rtnl_mutx"; did you mean "rtnl_mutex"\?/);
  // declared names pass: a class, a listed instance, a generated one (bench family net0..netN-1)
  t.not(lockcheck(['check', '--no-traces', '--without', 'net[net1]', 'specs/rtnl/nets-unsorted-during.json']).code, 2);
  t.not(lockcheck(['check', '--no-traces', '--param', 'N=2', '--without', 'net[net1]', 'specs/bench/scale-sorted.json']).code, 2);
  // a param one spec of the run declares is fine for the others
  t.not(
    lockcheck(['check', '--no-traces', '--param', 'RTNL_NETS_MAX=3', 'specs/rtnl/nets-unsorted-after.json', 'specs/regress/check-fails-both-ways.json']).code,
    2,
  );
});
