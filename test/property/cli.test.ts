// Hostile input through the real CLI (bin/lockcheck.js, built by `npm run build`): a sample of the generated
// and mutated specs of front-end.test.ts, and the cases only a file system has (a directory, a missing file,
// invalid UTF-8, big files). Each must end with exit 2 and FILE:LINE:COL: error: lines on stderr, or a verdict
// (exit 0, 1 or 3); never a stack trace, an internal error or a hang.
import test from 'ava';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generatedSpec, mutate, mutation, randomShorthand } from './arbitraries';
import { CORPUS, SEEDS } from './corpus';
import { lockcheck } from '../helpers/cli';
import { SEED } from './seed';
import { diagnosticLine } from './oracle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-fuzz-cli-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in the temporary folder, so that files show under the names written here. */
function cli(args: string[]) {
  return lockcheck(['check', '--max-states', '20000', '--max-seconds', '10', ...args], { cwd: dir, timeoutMs: 90_000 });
}

function write(name: string, content: string | Uint8Array): string {
  fs.writeFileSync(path.join(dir, name), content);
  return name;
}

/** The contract for one file: exit 2 with FILE:LINE:COL: error: lines, or a verdict; nothing else. */
function assertWellBehaved(t: import('ava').ExecutionContext, r: ReturnType<typeof cli>, file: string, what: string): void {
  t.is(r.signal, null, `${what}: killed by ${r.signal} (a hang?)`);
  t.true([0, 1, 2, 3].includes(r.code ?? -1), `${what}: exit ${r.code}\n${r.stderr}`);
  t.notRegex(r.stdout + r.stderr, /LC9\d{3}|internal error|^\s+at .+\.[cm]?[jt]s:\d+:\d+\)?$/m, what);
  const problemLines = r.stderr.split('\n').filter((l) => l !== '' && !/^\s/.test(l));
  if (r.code === 2) {
    t.true(problemLines.length > 0, `${what}: exit 2 without a diagnostic`);
    for (const l of problemLines) t.regex(l, diagnosticLine(file), what);
  } else {
    t.deepEqual(problemLines, [], what);
    const verdict = (JSON.parse(r.stdout) as { results: { verdict: string }[] }).results[0].verdict;
    t.true(['ok', 'findings', 'incomplete'].includes(verdict), `${what}: verdict ${verdict}`);
    t.is(verdict === 'incomplete', r.code === 3, `${what}: verdict ${verdict}, exit ${r.code}`);
  }
}

test('a missing file, a directory, an empty file', (t) => {
  const missing = cli(['--format', 'json', 'no-such-spec.json']);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /^no-such-spec\.json:1:1: error: cannot read no-such-spec\.json: no such file \[LC1001\]$/m);
  fs.mkdirSync(path.join(dir, 'a-dir.json'), { recursive: true });
  const directory = cli(['--format', 'json', 'a-dir.json']);
  t.is(directory.code, 2);
  t.regex(directory.stderr, /^a-dir\.json:1:1: error: a-dir\.json is a directory, not a spec file \[LC1005\]$/m);
  const empty = cli(['--format', 'json', write('empty.json', '')]);
  t.is(empty.code, 2);
  t.regex(empty.stderr, /^empty\.json:1:1: error: invalid JSON: expected a value, found end of file \[LC1002\]$/m);
  for (const [r, f] of [
    [missing, 'no-such-spec.json'],
    [directory, 'a-dir.json'],
    [empty, 'empty.json'],
  ] as const)
    assertWellBehaved(t, r, f, f);
});

test('invalid UTF-8', (t) => {
  const text = Buffer.from(CORPUS['specs/conformance/p05-abba-spin.json'], 'utf8');
  const bad = Buffer.concat([text.subarray(0, 40), Buffer.from([0xc3, 0x28, 0xff]), text.subarray(40)]);
  const r = cli(['--format', 'json', write('bad-utf8.json', bad)]);
  t.is(r.code, 2);
  t.regex(r.stderr, /^bad-utf8\.json:1:1: error: the file is not valid UTF-8 \[LC1006\]$/m);
  assertWellBehaved(t, r, 'bad-utf8.json', 'invalid UTF-8');
});

test('big files: a valid 3.5 MB spec with a huge description; 10 MB, valid or garbage, is over the size limit', (t) => {
  const mb = 1024 * 1024;
  const spec = (bytes: number) =>
    JSON.stringify({
      name: 'big',
      description: 'é'.repeat(bytes / 2),
      locks: { A: { kind: 'mutex' } },
      threads: [{ name: 't', seq: 'L(A) U(A)' }],
      expect: { findings: [] },
    });
  const ok = cli(['--format', 'json', write('big.json', spec(3.5 * mb))]);
  t.is(ok.code, 0, ok.stderr);
  assertWellBehaved(t, ok, 'big.json', '3.5 MB spec');
  const tooBig = cli(['--format', 'json', write('huge.json', spec(10 * mb))]);
  t.is(tooBig.code, 2);
  t.regex(tooBig.stderr, /huge\.json:1:1: error: .*larger than 4 MiB \[LC1008\]/);
  assertWellBehaved(t, tooBig, 'huge.json', '10 MB spec');
  const garbage = cli(['--format', 'json', write('garbage.json', Buffer.alloc(10 * mb, '[{"name": 1e400, '))]);
  t.is(garbage.code, 2);
  assertWellBehaved(t, garbage, 'garbage.json', '10 MB of garbage');
});

test('a sample of generated and mutated specs, one CLI run each', (t) => {
  const mutated = fc
    .tuple(fc.constantFrom(...SEEDS.filter((f) => f.startsWith('specs/conformance/'))), mutation)
    .map(([f, m]) => mutate(JSON.parse(CORPUS[f]), m));
  const sample = fc.sample(fc.oneof(generatedSpec, randomShorthand, mutated), { seed: SEED, numRuns: 12 });
  const codes = new Set<number | null>();
  sample.forEach((spec, i) => {
    const name = i === 0 ? 'hostile name é 日本.json' : `sample-${i}.json`;
    const r = cli(['--format', 'json', write(name, JSON.stringify(spec, null, 2))]);
    codes.add(r.code);
    assertWellBehaved(t, r, name, `${name}: ${JSON.stringify(spec).slice(0, 500)}`);
  });
  t.true(codes.has(2) && codes.size >= 2, `exit codes ${[...codes].join(', ')}`);
});

test('a batch of generated specs in one CLI run: each file has a verdict or its own diagnostics', (t) => {
  const sample = fc.sample(fc.oneof(generatedSpec, randomShorthand), { seed: SEED + 1, numRuns: 40 });
  const files = sample.map((spec, i) => write(`batch-${i}.json`, JSON.stringify(spec, null, 2)));
  const r = cli(['--format', 'json', ...files]);
  t.is(r.signal, null);
  t.true([0, 1, 2, 3].includes(r.code ?? -1), r.stderr);
  t.notRegex(r.stdout + r.stderr, /LC9\d{3}|internal error|^\s+at .+\.[cm]?[jt]s:\d+:\d+\)?$/m);
  const results = (JSON.parse(r.stdout) as { results: { file: string; verdict: string }[] }).results;
  t.deepEqual(
    results.map((x) => x.file),
    files,
  );
  const problemLines = r.stderr.split('\n').filter((l) => l !== '' && !/^\s/.test(l));
  for (const x of results) {
    const own = problemLines.filter((l) => l.startsWith(`${x.file}:`));
    if (x.verdict === 'error') t.true(own.length > 0, `${x.file}: error without diagnostics`);
    else t.deepEqual(own, [], x.file);
  }
  t.is(problemLines.length, problemLines.filter((l) => /^batch-\d+\.json:[1-9]\d*:[1-9]\d*: error: /.test(l)).length);
  t.is(r.code, results.some((x) => x.verdict === 'error') ? 2 : r.code);
});
