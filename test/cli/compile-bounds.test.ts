// Bounds before the search: inlining stops at the call that passes a bound on the code (LC4005) or on how
// deep calls nest (LC4006), in bounded time and memory, without recursion that could overflow the JS stack.
// Time and peak memory are the child's, read from GNU time when the machine has it.
import test from 'ava';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockcheck, ROOT } from '../helpers/cli';

const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs the CLI under GNU time (if present): exit code, output, wall seconds and peak RSS in MiB. */
function measured(args: string[]) {
  const cli = [path.join(ROOT, 'bin', 'lockcheck.js'), ...args];
  const t0 = Date.now();
  const r = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', 'lockcheck-rss-kb %M', process.execPath, ...cli], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync(process.execPath, cli, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const seconds = (Date.now() - t0) / 1000;
  const kb = /lockcheck-rss-kb (\d+)/.exec(r.stderr ?? '');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds, rssMiB: kb ? Number(kb[1]) / 1024 : undefined };
}

function tmpSpec(spec: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-bounds-'));
  const f = path.join(dir, 'spec.json');
  fs.writeFileSync(f, JSON.stringify(spec));
  return f;
}

test('a chain of calls that doubles at each level stops at the code bound, in bounded time and memory', (t) => {
  const r = measured(['check', '--max-seconds', '2', '--max-memory', '300m', 'specs/invalid/LC4005-too-much-code.json']);
  t.is(r.code, 2);
  t.regex(r.stderr, /LC4005/);
  t.true(r.seconds < 15, `${r.seconds} s`);
  if (r.rssMiB !== undefined) t.true(r.rssMiB < 400, `${r.rssMiB} MiB`);
});

test('the same doubling, thirty levels deep and called from two threads, is refused as fast', (t) => {
  const procedures: Record<string, object> = { p30: { body: [{ assign: 'x', value: 'x + 1' }] } };
  for (let k = 0; k < 30; k++) procedures[`p${k}`] = { body: [{ call: `p${k + 1}` }, { call: `p${k + 1}` }] };
  const f = tmpSpec({
    name: 'doubling',
    vars: { x: {} },
    procedures,
    threads: [
      { name: 'a', body: [{ call: 'p0' }] },
      { name: 'b', body: [{ call: 'p0' }] },
    ],
  });
  const r = measured(['check', '--format', 'json', f]);
  t.is(r.code, 2);
  const codes = JSON.parse(r.stdout).results[0].diagnostics.map((d: { code: string }) => d.code);
  t.deepEqual([...new Set(codes)], ['LC4005']);
  t.true(r.seconds < 15, `${r.seconds} s`);
  if (r.rssMiB !== undefined) t.true(r.rssMiB < 400, `${r.rssMiB} MiB`);
});

test('a linear chain of 4,000 calls is a diagnostic at the call that nests too deep, not a stack overflow', (t) => {
  const procedures: Record<string, object> = { q3999: { body: [{ assign: 'x', value: 1 }] } };
  for (let k = 0; k < 3999; k++) procedures[`q${k}`] = { body: [{ call: `q${k + 1}` }] };
  const f = tmpSpec({ name: 'chain', vars: { x: {} }, procedures, threads: [{ name: 't', body: [{ call: 'q0' }] }] });
  const r = lockcheck(['check', '--format', 'json', f]);
  t.is(r.code, 2);
  const d = JSON.parse(r.stdout).results[0].diagnostics;
  t.deepEqual(
    d.map((x: { code: string }) => x.code),
    ['LC4006'],
  );
  t.regex(d[0].message, /q0 -> q1 -> \.\.\. -> q62 -> q63 -> q64/);
});

test('a recursion check over 20,000 procedures needs no deep JS stack', (t) => {
  const procedures: Record<string, object> = { r19999: { body: [{ call: 'r0' }] } };
  for (let k = 0; k < 19999; k++) procedures[`r${k}`] = { body: [{ call: `r${k + 1}` }] };
  const f = tmpSpec({ name: 'cycle', procedures, threads: [{ name: 't', seq: '' }] });
  const r = lockcheck(['check', '--format', 'json', f]);
  t.is(r.code, 2);
  const codes = JSON.parse(r.stdout).results[0].diagnostics.map((x: { code: string }) => x.code);
  t.deepEqual([...new Set(codes)], ['LC3006']);
});

test('--max-seconds holds before the search too: a big spec stops while it is loaded, validated or compiled', (t) => {
  const body = Array.from({ length: 15000 }, () => ({ assign: 'x', value: 'x + 1' }));
  const f = tmpSpec({ name: 'big', vars: { x: {} }, threads: Array.from({ length: 6 }, (_, i) => ({ name: `t${i}`, body })) });
  const r = measured(['check', '--format', 'json', '--max-seconds', '0.5', f]);
  t.is(r.code, 3);
  const res = JSON.parse(r.stdout).results[0];
  t.is(res.verdict, 'incomplete');
  t.regex(res.incomplete, /stopped after [\d.]+ s \(--max-seconds\), while (loading|validating|compiling) the spec/);
  t.true(r.seconds < 20, `${r.seconds} s`);
});
