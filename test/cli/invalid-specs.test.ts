// Every bad spec in specs/invalid/ through the BUILT CLI (dist/, made by `npm run build`, which `npm test` runs
// first): exit code 2, GCC-style diagnostics on stderr, and never a stack trace.
import test, { ExecutionContext } from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockcheck as run, ROOT } from '../helpers/cli';

const INVALID = path.join(ROOT, 'specs', 'invalid');

const DIAGNOSTIC_LINE = /^\S+:\d+:\d+: error: /;
// "    at foo (/x/y.js:1:2)", "    at /x/y.ts:3:4", "at node:internal/...": a JS stack frame, not a JSON pointer line
const STACK_FRAME = /^\s*at .*(\.[cm]?[jt]s\b|node:internal|<anonymous>)/m;
const ERROR_AT_LINE_START = /^\w*Error:/m;

const lockcheck = (args: string[], cwd = ROOT) => run(args, { cwd, timeoutMs: 60_000 });

/** The checks every bad spec must pass; returns the diagnostic lines. */
function expectBadSpec(t: ExecutionContext, r: ReturnType<typeof lockcheck>, code: string): string[] {
  t.is(r.error, undefined);
  t.is(r.code, 2, `exit code\n--- stderr:\n${r.stderr}\n--- stdout:\n${r.stdout}`);
  for (const [name, s] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    t.notRegex(s, STACK_FRAME, `${name} has a stack trace:\n${s}`);
    t.notRegex(s, ERROR_AT_LINE_START, `${name} has an exception message:\n${s}`);
    t.false(s.includes('LC9001'), `${name} reports an internal error:\n${s}`);
  }
  const lines = r.stderr.split('\n').filter((l) => / error: /.test(l));
  t.true(lines.length > 0, `no diagnostic on stderr:\n${r.stderr}`);
  for (const l of lines) t.regex(l, DIAGNOSTIC_LINE);
  t.true(
    lines.some((l) => l.endsWith(` [${code}]`)),
    `no ${code} diagnostic:\n${r.stderr}`,
  );
  t.true(
    lines.every((l) => / \[LC\d{4}\]$/.test(l)),
    `every diagnostic names its code:\n${r.stderr}`,
  );
  return lines;
}

interface JsonReport {
  results: { file: string; verdict: string; diagnostics: { code: string; message: string; pos: { file: string; line: number; col: number } }[] }[];
}

const fixtures = fs
  .readdirSync(INVALID)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('there are fixtures, and the CLI is built', (t) => {
  t.true(fixtures.length >= 30, `${fixtures.length} fixtures`);
  t.true(fs.existsSync(path.join(ROOT, 'dist', 'checker', 'cli', 'main.js')), 'run `npm run build` first');
});

for (const f of fixtures) {
  const code = /^(LC\d{4})-/.exec(f)?.[1] ?? '(no code in the file name)';
  test(`lockcheck check specs/invalid/${f} exits 2 with ${code}`, (t) => {
    const r = lockcheck(['check', path.join('specs', 'invalid', f)]);
    const lines = expectBadSpec(t, r, code);
    t.is(lines.length, 1, r.stderr);
    // it points into the fixture or into one of the model files it imports
    const file = DIAGNOSTIC_LINE.exec(lines[0]) ? lines[0].slice(0, lines[0].indexOf(':')) : '';
    t.regex(file, /^specs\/invalid\/(LC\d{4}-[^/]+|models\/[^/]+)\.json$/);
    if (!file.includes('/models/')) t.is(file, `specs/invalid/${f}`);
    // the JSON report gives verdict "error" and the same diagnostic, at the same place
    const j = lockcheck(['check', '--format', 'json', path.join('specs', 'invalid', f)]);
    t.is(j.code, 2);
    t.is(j.stderr, r.stderr);
    const doc = JSON.parse(j.stdout) as JsonReport;
    t.deepEqual(
      doc.results.map((x) => [x.verdict, x.diagnostics.map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.col}: error: ${d.message} [${d.code}]`)]),
      [['error', lines]],
    );
  });
}

test('all fixtures in one run (a glob): exit 2, one diagnostic per fixture, each with its code', (t) => {
  const r = lockcheck(['check', '--format', 'json', 'specs/invalid/*.json']);
  const lines = expectBadSpec(t, r, fixtures[0].slice(0, 6));
  t.is(lines.length, fixtures.length, r.stderr);
  const doc = JSON.parse(r.stdout) as JsonReport;
  t.deepEqual(
    doc.results.map((x) => [x.file, x.verdict, x.diagnostics.map((d) => d.code)]),
    fixtures.map((f) => [`specs/invalid/${f}`, 'error', [f.slice(0, 6)]]),
  );
});

test('a directory given as a spec: LC1005', (t) => {
  const r = lockcheck(['check', 'specs/invalid']);
  const lines = expectBadSpec(t, r, 'LC1005');
  t.deepEqual(lines, ['specs/invalid:1:1: error: specs/invalid is a directory, not a spec file [LC1005]']);
});

test('a missing file: LC1001', (t) => {
  const r = lockcheck(['check', 'specs/invalid/no-such-spec.json']);
  const lines = expectBadSpec(t, r, 'LC1001');
  t.is(lines.length, 1);
  t.true(lines[0].startsWith('specs/invalid/no-such-spec.json:1:1: error: cannot read specs/invalid/no-such-spec.json'), lines[0]);
});

test('a file with invalid UTF-8 bytes: LC1006', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-cli-'));
  try {
    const spec = path.join(dir, 'latin1.json');
    // "caf\xe9" in Latin-1: not UTF-8
    fs.writeFileSync(spec, Buffer.concat([Buffer.from('{ "name": "caf'), Buffer.from([0xe9]), Buffer.from('", "threads": [] }\n')]));
    const r = lockcheck(['check', 'latin1.json'], dir);
    const lines = expectBadSpec(t, r, 'LC1006');
    t.deepEqual(lines, ['latin1.json:1:1: error: the file is not valid UTF-8 [LC1006]']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad and good specs together: every bad one is reported, the good one still checked, exit 2', (t) => {
  const good = 'specs/conformance/p22-trylock-both-sides.json';
  const r = lockcheck(['check', '--format', 'json', 'specs/invalid/LC3001-unknown-lock.json', good, 'specs/invalid/LC2001-bad-enum.json']);
  const lines = expectBadSpec(t, r, 'LC3001');
  t.is(lines.length, 2);
  t.true(lines.some((l) => l.endsWith('[LC2001]')));
  const doc = JSON.parse(r.stdout) as JsonReport;
  t.deepEqual(
    doc.results.map((x) => [x.file, x.verdict]),
    [
      ['specs/invalid/LC3001-unknown-lock.json', 'error'],
      [good, 'ok'],
      ['specs/invalid/LC2001-bad-enum.json', 'error'],
    ],
  );
});
