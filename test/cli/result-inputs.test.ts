// What lockcheck merge and --baseline read back is checked like a spec: against the result schema, at the line
// and column of the problem, and (merge) the shards against each other. Anything else is exit 2 with a
// diagnostic, never a verdict.
import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockcheck, ROOT } from '../helpers/cli';

const SPEC = path.join(ROOT, 'specs', 'rtnl', 'nets-unsorted-after.json');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-inputs-'));
const write = (name: string, content: string | object) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content, null, 1));
  return f;
};
const shard = (i: number, n: number, extra: string[] = [], spec = SPEC) => {
  const r = lockcheck(['check', '--format', 'json', '--shard', `${i}/${n}`, ...extra, spec]);
  t0(r.code);
  return JSON.parse(r.stdout);
};
function t0(code: number | null) {
  if (code !== 0 && code !== 1 && code !== 3) throw new Error(`shard run exited ${code}`);
}

test('a forged one-shard result with no states is refused', (t) => {
  const r = shard(0, 2);
  r.results[0].stats.shard.count = 1;
  r.results[0].stats.states = 0;
  r.results[0].findings = [];
  r.results[0].verdict = 'ok';
  const m = lockcheck(['merge', write('forged.json', r)]);
  t.is(m.code, 2);
  t.regex(m.stderr, /forged\.json:\d+:\d+: error: .*stored 0 states.*\[LC6003\]/);
});

test('shards of different options, a shard given twice, or a shard of another split are refused', (t) => {
  const a = write('a0.json', shard(0, 2));
  const b = write('a1.json', shard(1, 2));
  const other = write('p1.json', shard(1, 2, ['--param', 'RTNL_NETS_MAX=4']));
  const three = write('t1.json', shard(1, 3));
  t.is(lockcheck(['merge', a, b]).code, 0);
  const opts = lockcheck(['merge', a, other]);
  t.is(opts.code, 2);
  t.regex(opts.stderr, /ran with other options/);
  const twice = lockcheck(['merge', a, b, b]);
  t.is(twice.code, 2);
  t.regex(twice.stderr, /shard 1 is given 2 times/);
  const split = lockcheck(['merge', a, three]);
  t.is(split.code, 2);
  t.regex(split.stderr, /belongs to a split in 3/);
});

test('a spec changed since its shards ran is refused', (t) => {
  const copy = path.join(dir, 'spec-copy');
  fs.mkdirSync(copy, { recursive: true });
  const spec = path.join(copy, 'abba.json');
  const abba = {
    name: 'abba',
    locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } },
    threads: [
      { name: 'cpu0', seq: 'L(A) L(B) U(B) U(A)' },
      { name: 'cpu1', seq: 'L(B) L(A) U(A) U(B)' },
    ],
  };
  fs.writeFileSync(spec, JSON.stringify(abba));
  const parts = [0, 1].map((i) => write(`abba${i}.json`, shard(i, 2, [], spec)));
  t.not(lockcheck(['merge', ...parts]).code, 2);
  fs.writeFileSync(spec, JSON.stringify({ ...abba, threads: abba.threads.slice(0, 1) }));
  const m = lockcheck(['merge', ...parts]);
  t.is(m.code, 2);
  t.regex(m.stderr, /changed since shard 0 checked it/);
});

test('malformed results are diagnostics at their line and column, for merge and --baseline alike', (t) => {
  const bad = write(
    'bad.json',
    '{\n  "results": [\n    { "file": "x.json", "verdict": "ok", "findings": [ { "kind": "deadlock", "message": "m", "location": "x" } ] }\n  ]\n}\n',
  );
  for (const args of [
    ['merge', bad],
    ['check', '--baseline', bad, SPEC],
  ]) {
    const r = lockcheck(args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, /bad\.json:3:\d+: error: not a lockcheck --format json result: \/results\/0\/findings\/0\/location must be object \[LC6002\]/);
    t.notRegex(r.stderr, /internal error|LC9001/);
  }
  const notJson = write('not.json', '{"results": [');
  const r = lockcheck(['check', '--baseline', notJson, SPEC]);
  t.is(r.code, 2);
  t.regex(r.stderr, /not\.json:1:\d+: error: not JSON/);
  const plain = lockcheck(['merge', path.join(ROOT, 'package.json')]);
  t.is(plain.code, 2);
  t.regex(plain.stderr, /has no "results"/);
});

test('a result that is not a shard cannot be merged', (t) => {
  const whole = write('whole.json', JSON.parse(lockcheck(['check', '--format', 'json', SPEC]).stdout));
  const m = lockcheck(['merge', whole]);
  t.is(m.code, 2);
  t.regex(m.stderr, /not a shard/);
});
