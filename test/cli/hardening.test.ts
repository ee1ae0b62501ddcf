// Hostile inputs and outputs through the real CLI (issue 14): specs and imports must be regular files under the
// size limit, imports stay inside the spec's project root, errors about a file that is not a spec quote none of
// it; outputs replace only regular files, write devices and stdout as streams, write through symlinks; --jobs
// is bounded; SIGTERM stops a search as SIGINT does.
import test from 'ava';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LONG_SEARCH, lockcheck, ROOT } from '../helpers/cli';

const CLI = path.join(ROOT, 'bin', 'lockcheck.js');
const run = (args: string[], cwd = ROOT) => lockcheck(args, { cwd, timeoutMs: 60_000 });

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-hardening-'));
}
function write(file: string, content: string | object): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  return file;
}
const MODEL = { name: 'm', procedures: { noop: { source: 'x', body: [] } } };
const importing = (...imports: string[]) => ({ name: 's', imports, threads: [{ name: 't', body: [{ call: 'noop' }] }] });
const ABBA = {
  name: 'abba',
  locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } },
  threads: [
    { name: 'cpu0', seq: 'L(A) L(B) U(B) U(A)' },
    { name: 'cpu1', seq: 'L(B) L(A) U(A) U(B)' },
  ],
  expect: { findings: ['deadlock', 'lock-order-cycle'] },
};
/** The diagnostic lines (FILE:LINE:COL: error: ... [CODE]) on stderr. */
const errors = (stderr: string) => stderr.split('\n').filter((l) => / error: .*\[LC\d{4}\]$/.test(l));

/** `lockcheck ARGS` under /usr/bin/time -v: exit code, output, wall seconds and peak memory (MiB) of the child. */
function measured(args: string[], cwd: string) {
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - t0) / 1000, peakMiB: kb / 1024 };
}
const hasTime = fs.existsSync('/usr/bin/time');
/** A bundled spec that checks in well under a second. */
const SMALL = 'specs/rtnl/nets-sorted-during.json';

// --- (2) files --------------------------------------------------------------------------------------

test('a FIFO as the spec or as an import is refused at once, never opened (LC1007)', (t) => {
  const dir = tmpDir();
  try {
    write(path.join(dir, 'package.json'), '{}');
    execFileSync('mkfifo', [path.join(dir, 'spec.fifo'), path.join(dir, 'model.fifo')]);
    write(path.join(dir, 'spec.json'), importing('model.fifo'));
    const t0 = Date.now();
    const r = run(['check', 'spec.fifo', 'spec.json'], dir);
    t.is(r.signal, null, 'not killed by the timeout: it did not block on the FIFO');
    t.is(r.code, 2, r.stderr);
    t.deepEqual(errors(r.stderr), [
      'spec.fifo:1:1: error: spec.fifo is a FIFO, not a regular file [LC1007]',
      'spec.json:4:5: error: model.fifo is a FIFO, not a regular file [LC1007]',
    ]);
    t.true(Date.now() - t0 < 30_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('/dev/zero, /dev/stdin and a directory are refused without reading them', (t) => {
  const dir = tmpDir();
  try {
    write(path.join(dir, 'package.json'), '{}');
    write(path.join(dir, 'zero.json'), importing('/dev/zero'));
    write(path.join(dir, 'folder.json'), importing('models'));
    fs.mkdirSync(path.join(dir, 'models'));
    const args = ['check', '--max-memory', '300m', '--max-seconds', '5', '--allow-import', '/dev', 'zero.json', 'folder.json', '/dev/stdin', '/dev/zero', '.'];
    const r = hasTime ? measured(args, dir) : { ...run(args, dir), seconds: 0, peakMiB: 0 };
    t.is(r.code, 2, r.stderr);
    const lines = errors(r.stderr);
    // spawnSync gives the child a socket as stdin (a FIFO from a shell pipe, a character device on a terminal)
    t.regex(lines[2], /^\/dev\/stdin:1:1: error: \/dev\/stdin is a (socket|FIFO|character device), not a regular file \[LC1007\]$/);
    t.deepEqual(
      [...lines.slice(0, 2), ...lines.slice(3)],
      [
        'zero.json:4:5: error: /dev/zero is a character device, not a regular file [LC1007]',
        'folder.json:4:5: error: cannot import models: models is a directory, not a spec file [LC1003]',
        '/dev/zero:1:1: error: /dev/zero is a character device, not a regular file [LC1007]',
        '.:1:1: error: . is a directory, not a spec file [LC1005]',
      ],
    );
    if (hasTime) {
      t.log(`${r.seconds} s, peak ${r.peakMiB.toFixed(0)} MiB`);
      t.true(r.seconds < 20, `${r.seconds} s`);
      t.true(r.peakMiB < 300, `${r.peakMiB} MiB`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a spec or an import over 4 MiB is refused before it is read (LC1008)', (t) => {
  const dir = tmpDir();
  try {
    write(path.join(dir, 'package.json'), '{}');
    for (const f of ['big.json', 'big-model.json']) fs.truncateSync(write(path.join(dir, f), '{'), 4 * 2 ** 20 + 1); // sparse: no disk used
    write(path.join(dir, 'spec.json'), importing('big-model.json'));
    write(path.join(dir, 'just-right.json'), importing('m.json'));
    write(path.join(dir, 'm.json'), MODEL);
    const args = ['check', 'big.json', 'spec.json', 'just-right.json'];
    const r = hasTime ? measured(args, dir) : { ...run(args, dir), seconds: 0, peakMiB: 0 };
    t.is(r.code, 2, r.stderr);
    t.deepEqual(errors(r.stderr), [
      'big.json:1:1: error: big.json is larger than 4 MiB [LC1008]',
      'spec.json:4:5: error: big-model.json is larger than 4 MiB [LC1008]',
    ]);
    t.regex(r.stdout, /just-right\.json: ok/);
    if (hasTime) {
      t.log(`${r.seconds} s, peak ${r.peakMiB.toFixed(0)} MiB`);
      t.true(r.peakMiB < 200, `${r.peakMiB} MiB: the 4 MiB files were not read`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('imports stay inside the project root (package.json), unless --allow-import names the folder (LC1009)', (t) => {
  const dir = tmpDir();
  try {
    const proj = path.join(dir, 'proj');
    write(path.join(proj, 'package.json'), '{}');
    write(path.join(proj, 'models', 'm.json'), MODEL);
    write(path.join(dir, 'outside', 'm.json'), MODEL);
    fs.symlinkSync(path.join(dir, 'outside', 'm.json'), path.join(proj, 'models', 'link.json'));
    write(path.join(proj, 'specs', 'inside.json'), importing('../models/m.json'));
    write(path.join(proj, 'specs', 'outside.json'), importing('../../outside/m.json'));
    write(path.join(proj, 'specs', 'link.json'), importing('../models/link.json'));
    write(path.join(proj, 'specs', 'absolute.json'), importing('/etc/passwd'));

    t.is(run(['check', 'specs/inside.json'], proj).code, 0);
    const r = run(['check', 'specs/outside.json', 'specs/link.json', 'specs/absolute.json'], proj);
    t.is(r.code, 2, r.stderr);
    t.deepEqual(errors(r.stderr), [
      'specs/outside.json:4:5: error: cannot import ../../outside/m.json: it is outside the project root . [LC1009]',
      'specs/link.json:4:5: error: cannot import ../models/link.json: it is outside the project root . [LC1009]',
      'specs/absolute.json:4:5: error: cannot import /etc/passwd: it is outside the project root . [LC1009]',
    ]);
    t.regex(r.stderr, /hint: .*--allow-import DIR/);
    t.false(r.stderr.includes('root:'), 'nothing of /etc/passwd is shown');
    // from a folder that is not above it, the root is named by its absolute path
    const other = run(['check', path.join(proj, 'specs', 'outside.json')], ROOT);
    t.true(errors(other.stderr)[0].includes(`outside the project root ${fs.realpathSync(proj)} [LC1009]`), other.stderr);
    // --allow-import lets the folder in (and only that folder)
    const allowed = run(['check', '--allow-import', '../outside', 'specs/outside.json', 'specs/link.json', 'specs/absolute.json'], proj);
    t.deepEqual(errors(allowed.stderr), ['specs/absolute.json:4:5: error: cannot import /etc/passwd: it is outside the project root . [LC1009]']);
    t.regex(allowed.stdout, /specs\/outside\.json: ok/);
    t.regex(allowed.stdout, /specs\/link\.json: ok/);
    // --allow-import must name a folder
    const bad = run(['check', '--allow-import', 'no-such-folder', 'specs/inside.json'], proj);
    t.is(bad.code, 2);
    t.regex(bad.stderr, /^lockcheck: --allow-import expects a folder, got "no-such-folder"$/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the project root is the nearest folder with package.json, .git or lockcheck.json, else the spec’s own', (t) => {
  const dir = tmpDir();
  try {
    write(path.join(dir, 'm.json'), MODEL);
    for (const marker of ['lockcheck.json', '.git', 'package.json']) {
      const proj = path.join(dir, marker.replace('.', '_'));
      if (marker === '.git') fs.mkdirSync(path.join(proj, '.git'), { recursive: true });
      else write(path.join(proj, marker), '{}');
      write(path.join(proj, 'm.json'), MODEL);
      write(path.join(proj, 'a', 'b', 'spec.json'), importing('../../m.json'));
      t.is(run(['check', path.join(proj, 'a', 'b', 'spec.json')], dir).code, 0, marker);
    }
    // no marker above the spec (checked, so that the test says why if the machine has one): its own folder
    const bare = path.join(dir, 'bare');
    write(path.join(bare, 'm.json'), MODEL);
    write(path.join(bare, 'own.json'), importing('m.json'));
    write(path.join(bare, 'up.json'), importing('../m.json'));
    const markerAbove: string[] = [];
    for (let d = bare; ; d = path.dirname(d)) {
      for (const m of ['package.json', '.git', 'lockcheck.json']) if (fs.existsSync(path.join(d, m))) markerAbove.push(path.join(d, m));
      if (path.dirname(d) === d) break;
    }
    if (markerAbove.length > 0) {
      t.log(`skipped the bare case: ${markerAbove.join(', ')}`);
      return;
    }
    t.is(run(['check', 'own.json'], bare).code, 0);
    const r = run(['check', 'up.json'], bare);
    t.deepEqual(errors(r.stderr), ['up.json:4:5: error: cannot import ../m.json: it is outside the project root . [LC1009]']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bundled specs import ../../models inside the repository, from any working directory', (t) => {
  const spec = path.join(ROOT, 'specs', 'rtnl', 'nets-unsorted-after.json');
  t.is(run(['check', '--no-traces', spec], os.tmpdir()).code, 0);
  t.is(run(['check', '--no-traces', 'nets-unsorted-after.json'], path.join(ROOT, 'specs', 'rtnl')).code, 0);
  t.is(run(['check', '--no-traces', 'specs/rtnl/nets-unsorted-after.json']).code, 0);
});

test('an error about a file that is not a spec quotes nothing of it, in any format', (t) => {
  const dir = tmpDir();
  try {
    write(path.join(dir, 'package.json'), '{}');
    write(path.join(dir, 'not-json.json'), 'hunter2 SECRET-1\n');
    write(path.join(dir, 'other.json'), { registry: 'https://example.org', apiToken: 'SECRET-2' });
    write(path.join(dir, 'dup.json'), '{ "name": "x", "threads": [], "SECRET-3": 1, "SECRET-3": 2 }\n');
    write(path.join(dir, 'escape.json'), '{ "name": "\\SECRET-4" }\n');
    write(path.join(dir, 'trailing.json'), '{} SECRET-5\n');
    write(path.join(dir, 'imports-other.json'), importing('other.json'));
    const files = ['not-json.json', 'other.json', 'dup.json', 'escape.json', 'trailing.json', 'imports-other.json'];
    const r = run(['check', '--report', 'r.html', '--output', 'sarif=r.sarif', '--output', 'junit=r.xml', '--output', 'json=r.json', ...files], dir);
    t.is(r.code, 2);
    t.deepEqual(errors(r.stderr), [
      'not-json.json:1:1: error: invalid JSON: expected a value [LC1002]',
      'other.json:1:1: error: not a lockcheck spec: a JSON object without "threads" and with members lockcheck does not know [LC2002]',
      'dup.json:1:46: error: invalid JSON: duplicate member name (first at line 1, column 31) [LC1002]',
      'escape.json:1:12: error: invalid JSON: bad escape in string [LC1002]',
      'trailing.json:1:4: error: invalid JSON: unexpected text after the end of the JSON value [LC1002]',
      'other.json:1:1: error: not a lockcheck model file: a JSON object without "procedures" and with members lockcheck does not know [LC2002]',
    ]);
    const outputs = {
      stdout: r.stdout,
      stderr: r.stderr,
      ...Object.fromEntries(['r.html', 'r.sarif', 'r.xml', 'r.json'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])),
    };
    for (const [name, text] of Object.entries(outputs)) {
      t.notRegex(text, /SECRET|hunter2|apiToken|registry|"h"/, `${name} quotes the file`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a --baseline or a lockcheck merge input that is a device or a FIFO is refused, not read', (t) => {
  const dir = tmpDir();
  try {
    execFileSync('mkfifo', [path.join(dir, 'shard.fifo')]);
    const baseline = run(['check', '--baseline', '/dev/zero', SMALL]);
    t.is(baseline.code, 2);
    t.regex(baseline.stderr, /^lockcheck: --baseline \/dev\/zero: \/dev\/zero is a character device, not a regular file$/m);
    const merge = run(['merge', path.join(dir, 'shard.fifo')]);
    t.is(merge.signal, null, 'did not block on the FIFO');
    t.is(merge.code, 2);
    t.regex(merge.stderr, /shard\.fifo is a FIFO, not a regular file$/m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --- (3) outputs ------------------------------------------------------------------------------------

test('a symlink as output stays a symlink; its target gets the content (also a dangling one)', (t) => {
  const dir = tmpDir();
  try {
    const spec = write(path.join(dir, 'spec.json'), ABBA);
    write(path.join(dir, 'real.json'), 'old\n');
    fs.chmodSync(path.join(dir, 'real.json'), 0o600);
    fs.symlinkSync('real.json', path.join(dir, 'link.json'));
    fs.symlinkSync('created.html', path.join(dir, 'dangling.html'));
    const r = run(['check', '--output', 'json=link.json', '--report', 'dangling.html', spec], dir);
    t.is(r.code, 0, r.stderr);
    for (const link of ['link.json', 'dangling.html']) t.true(fs.lstatSync(path.join(dir, link)).isSymbolicLink(), link);
    t.is(JSON.parse(fs.readFileSync(path.join(dir, 'real.json'), 'utf8')).results[0].verdict, 'findings');
    t.is(fs.statSync(path.join(dir, 'real.json')).mode & 0o777, 0o600, 'the replaced file keeps its permissions');
    t.true(fs.readFileSync(path.join(dir, 'created.html'), 'utf8').startsWith('<!DOCTYPE html>'));
    t.deepEqual(fs.readdirSync(dir).sort(), ['created.html', 'dangling.html', 'link.json', 'real.json', 'spec.json'], 'no temporary file left');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--output json=/dev/null writes the device as a stream: /dev/null stays a character device', (t) => {
  const dir = tmpDir();
  try {
    const spec = write(path.join(dir, 'spec.json'), ABBA);
    const r = run(['check', '--output', 'json=/dev/null', '--report', '/dev/null', spec], dir);
    t.is(r.code, 0, r.stderr);
    t.true(fs.lstatSync('/dev/null').isCharacterDevice());
    t.regex(r.stdout, /1 as expected/, 'stdout still has the text report');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('--report - prints the HTML to stdout (in place of the text), and so does /dev/stdout for JSON', (t) => {
  const dir = tmpDir();
  try {
    const spec = write(path.join(dir, 'spec.json'), ABBA);
    const html = run(['check', '--report', '-', spec], dir);
    t.is(html.code, 0, html.stderr);
    t.true(html.stdout.startsWith('<!DOCTYPE html>'), html.stdout.slice(0, 80));
    t.true(html.stdout.trimEnd().endsWith('</html>'));
    // stdout is a pipe here: /dev/stdout is the process's own stream, not a path to resolve and replace
    const json = run(['check', '--output', 'json=/dev/stdout', spec], dir);
    t.is(json.code, 0, json.stderr);
    t.is(JSON.parse(json.stdout).results[0].verdict, 'findings');
    // stdout carries one output
    const two = run(['check', '--report', '-', '--format', 'json', spec], dir);
    t.is(two.code, 2);
    t.regex(two.stderr, /^lockcheck: only one output can go to stdout/m);
    t.deepEqual(fs.readdirSync(dir), ['spec.json']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory, a FIFO, a socket or a missing folder as output: exit 2 before the search, nothing written', (t) => {
  const dir = tmpDir();
  try {
    const spec = write(path.join(dir, 'spec.json'), ABBA);
    execFileSync('mkfifo', [path.join(dir, 'out.fifo')]);
    fs.mkdirSync(path.join(dir, 'out.d'));
    const srv = spawnSync(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path.join(dir, 'out.sock'))}, function () { this.close(); })`,
    ]);
    t.is(srv.status, 0);
    const cases: [string, RegExp][] = [
      ['json=out.d', /cannot write out\.d: it is a directory/],
      ['json=out.fifo', /cannot write out\.fifo: it is a FIFO/],
      ['html=no/such/folder/r.html', /cannot write no\/such\/folder\/r\.html: there is no folder/],
    ];
    if (fs.existsSync(path.join(dir, 'out.sock'))) cases.push(['sarif=out.sock', /cannot write out\.sock: it is a socket/]);
    for (const [output, message] of cases) {
      const r = run(['check', '--format', 'json', '--output', output, spec], dir);
      t.is(r.signal, null, `${output}: did not block`);
      t.is(r.code, 2, output);
      t.regex(r.stderr, message);
      t.regex(r.stderr, /an output replaces a regular file \(or creates one\), or writes to - or a character device/);
      t.is(r.stdout, '', `${output}: no search, no result`);
    }
    t.deepEqual(fs.readdirSync(path.join(dir, 'out.d')), []);
    t.true(fs.statSync(path.join(dir, 'out.fifo')).isFIFO());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --- (5) --jobs -------------------------------------------------------------------------------------

/** `lockcheck ARGS` pinned to one core (taskset), so that os.availableParallelism() is 1 in the child. */
function oneCore(args: string[]) {
  const r = spawnSync('taskset', ['-c', '0', process.execPath, CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

test('--jobs 0, a negative or a non-number is a usage error (exit 2)', (t) => {
  for (const args of [['--jobs', '0'], ['--jobs=-1'], ['--jobs', 'lots']]) {
    const r = run(['check', ...args, SMALL]);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, /^lockcheck: --jobs expects a number of worker threads or auto, got "(0|-1|lots)"$/m);
  }
  const r = run(['check', '--jobs', 'auto', '--simulate', '3', SMALL]);
  t.is(r.code, 2, 'auto excludes --simulate on any machine');
});

test('--jobs auto is one per core; above the cores a one-line warning, capped at 4 per core', (t) => {
  if (!hasTaskset) {
    t.pass('no taskset: the unit tests cover the rules');
    return;
  }
  const auto = oneCore(['check', '--format', 'json', '--jobs', 'auto', SMALL]);
  t.is(auto.code, 0, auto.stderr);
  t.is(auto.stderr, '', 'auto on one core: no warning');
  const over = oneCore(['check', '--format', 'json', '--jobs', '3', SMALL]);
  t.is(over.code, 0, over.stderr);
  t.is(over.stderr, 'lockcheck: warning: --jobs 3: more worker threads than the 1 core available\n');
  const capped = oneCore(['check', '--format', 'json', '--jobs', '256', SMALL]);
  t.is(capped.code, 0, capped.stderr);
  t.is(capped.stderr, 'lockcheck: warning: --jobs 256: more worker threads than the 1 core available; using 4 (at most 4 per core, and 64)\n');
  const one = JSON.parse(run(['check', '--format', 'json', SMALL]).stdout).results[0];
  t.is(JSON.parse(capped.stdout).results[0].verdict, one.verdict);
});

// --- SIGTERM ----------------------------------------------------------------------------------------

test.serial('SIGTERM stops a long search as SIGINT does: exit 3, verdict incomplete, the report written', async (t) => {
  const dir = tmpDir();
  try {
    const report = path.join(dir, 'r.html');
    const args = ['check', '--format', 'json', '--progress', '--report', report, ...LONG_SEARCH];
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    // the first progress line says the search runs (and the signal handlers are in place)
    const searching = new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        err += d;
        if (err.includes('scale-sorted.json')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await Promise.race([searching, exited]);
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    const code = await exited;
    t.is(code, 3, err);
    const r = JSON.parse(out).results[0];
    t.is(r.verdict, 'incomplete');
    t.regex(r.incomplete, /interrupted after \d+ states/);
    t.true(r.stats.states > 0);
    t.true(fs.readFileSync(report, 'utf8').startsWith('<!DOCTYPE html>'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.serial('SIGINT while --param names are checked (every spec read once more first) stops every spec: exit 3, none read again', async (t) => {
  const dir = tmpDir();
  try {
    // ~3.9 MB: reading it for its names takes seconds, so the signal comes while they are read
    const body = Array.from({ length: 14000 }, () => ({ assign: 'x', value: 'x + 1' }));
    const big = write(
      path.join(dir, 'big.json'),
      JSON.stringify({ name: 'big', params: { K: 1 }, vars: { x: {} }, threads: Array.from({ length: 8 }, (_, i) => ({ name: `t${i}`, body })) }),
    );
    write(path.join(dir, 'package.json'), '{}');
    const small = write(path.join(dir, 'abba.json'), ABBA);
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI, 'check', '--format', 'json', '--param', 'K=2', big, small], { cwd: dir });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise((r) => setTimeout(r, 1200));
    child.kill('SIGINT');
    const code = await exited;
    const seconds = (Date.now() - t0) / 1000;
    t.is(code, 3, err);
    const results = JSON.parse(out).results as { verdict: string; incomplete: string }[];
    t.deepEqual(
      results.map((r) => r.verdict),
      ['incomplete', 'incomplete'],
    );
    for (const r of results) t.regex(r.incomplete, /^interrupted before the search, while starting the check/);
    // before, nothing listened while the names were read: the signal killed lockcheck (exit 130), no result
    t.true(seconds < 20, `${seconds} s`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --- a reader that goes away -------------------------------------------------------------------------

test('a closed stdout (lockcheck ... | head) is no crash: the check ends with its own exit code, nothing on stderr', async (t) => {
  const child = spawn(process.execPath, [CLI, 'check', '--format', 'json', 'specs/rtnl/*.json'], { cwd: ROOT });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  // read the first chunk, then close the pipe as head does
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  t.is(code, 0, err);
  t.notRegex(err, /EPIPE|Error|at /);
});
