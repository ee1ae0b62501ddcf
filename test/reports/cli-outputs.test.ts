// The CLI's outputs: colour only on a terminal (NO_COLOR and FORCE_COLOR honoured), the progress line only on
// a terminal outside CI for searches over a second (or with --progress), --report and --output files written
// whole through a temporary file. Terminal behaviour is tested on a real pseudo-terminal (util-linux `script`).
import test from 'ava';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { useColor } from '../../checker/cli/main';
import { progressWanted, SearchProgress } from '../../checker/cli/progress';
import { writeFileAtomic } from '../../checker/cli/write-file';
import { lockcheck, ROOT, UNREDUCED } from '../helpers/cli';

const ESC = '\x1b[';
const SPEC = 'specs/conformance/p07-abcabc-mutex.json';
/** A search that runs past one second (and is cut at 2.5 s: exit 3). */
const LONG = ['--no-traces', ...UNREDUCED, '--param', 'P=4', '--max-seconds', '2.5', 'specs/rtnl/nets-sorted-after.json'];
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '');
/** The measured seconds are the only thing that differs between two runs. */
const noTime = (s: string) => s.replace(/, [0-9.]+ s$/gm, ', T s');

/** Runs the CLI with stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTty(args: string[], env: Record<string, string>): { code: number | null; screen: string } {
  const cmd = ['node', path.join(ROOT, 'bin', 'lockcheck.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TERM: 'xterm', ...env }, timeout: 60_000 });
  return { code: r.status, screen: r.stdout };
}
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const ttyTest = hasScript ? test : test.skip;

test('useColor: NO_COLOR wins, FORCE_COLOR forces, else only a terminal that is not dumb', (t) => {
  t.false(useColor({}, false));
  t.true(useColor({}, true));
  t.false(useColor({ TERM: 'dumb' }, true));
  t.false(useColor({ NO_COLOR: '1' }, true));
  t.true(useColor({ NO_COLOR: '' }, true), 'an empty NO_COLOR is unset (no-color.org)');
  t.true(useColor({ FORCE_COLOR: '1' }, false));
  t.false(useColor({ FORCE_COLOR: '0' }, true));
  t.false(useColor({ FORCE_COLOR: '1', NO_COLOR: '1' }, true));
});

test('text through a pipe is plain; FORCE_COLOR colours it, NO_COLOR keeps it plain; the words are the same', (t) => {
  const plain = lockcheck(['check', SPEC], { env: { NO_COLOR: '' } });
  t.false(plain.stdout.includes(ESC));
  const forced = lockcheck(['check', SPEC], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
  t.true(forced.stdout.includes(`${ESC}1m`), 'bold file name');
  t.true(forced.stdout.includes(`${ESC}31m`), 'red kinds');
  t.is(noTime(stripAnsi(forced.stdout)), noTime(plain.stdout));
  t.false(lockcheck(['check', SPEC], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout.includes(ESC));
  t.false(lockcheck(['check', '--format', 'json', SPEC], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout.includes(ESC), 'JSON is never coloured');
});

ttyTest('on a terminal the text is coloured, unless NO_COLOR is set', (t) => {
  const tty = onTty(['check', SPEC], { NO_COLOR: '', FORCE_COLOR: '', CI: '' });
  t.is(tty.code, 0);
  t.true(tty.screen.includes(`${ESC}32mas expected`), JSON.stringify(tty.screen.slice(0, 300)));
  const no = onTty(['check', SPEC], { NO_COLOR: '1', FORCE_COLOR: '', CI: '' });
  t.false(no.screen.includes(`${ESC}3`), 'no colour codes');
  t.regex(no.screen, /as expected/);
});

test('progressWanted: --progress forces, --no-progress forbids, else a terminal outside CI', (t) => {
  t.true(progressWanted({ tty: true, ci: false, requested: undefined }));
  t.false(progressWanted({ tty: true, ci: true, requested: undefined }));
  t.false(progressWanted({ tty: false, ci: false, requested: undefined }));
  t.true(progressWanted({ tty: false, ci: true, requested: true }));
  t.false(progressWanted({ tty: true, ci: false, requested: false }));
});

class Sink extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

test('SearchProgress on a terminal: nothing in the first second, then a line with states, rate, depth, frontier and memory, erased at the end', (t) => {
  const sink = new Sink(true);
  const now = 0;
  const p = new SearchProgress({ stream: sink as unknown as NodeJS.WriteStream, tty: true, requested: undefined, ci: false, now: () => now });
  const cb = p.begin('specs/x.json')!;
  cb({ states: 1000, depth: 3, frontier: 200, seconds: 0.5 });
  t.is(sink.text, '', 'quiet before a second');
  cb({ states: 4000, depth: 7, frontier: 900, seconds: 2 });
  t.regex(stripAnsi(sink.text), /lockcheck specs\/x\.json: 4000 states, 2000 states\/s, depth 7, frontier 900, \d+ MiB, 2\.0 s/);
  p.end(5000, 2.5);
  t.true(sink.text.endsWith(`${ESC}2K`) || sink.text.includes(`${ESC}2K`), 'the line is cleared');
});

test('SearchProgress in CI: silent, unless --progress, which prints a line every two seconds and one per spec', (t) => {
  const quiet = new Sink(false);
  const q = new SearchProgress({ stream: quiet as unknown as NodeJS.WriteStream, tty: false, requested: undefined, ci: true });
  t.is(q.begin('specs/x.json'), undefined);
  q.end(10, 1);
  t.is(quiet.text, '');

  const loud = new Sink(false);
  let now = 0;
  const p = new SearchProgress({ stream: loud as unknown as NodeJS.WriteStream, tty: false, requested: true, ci: true, now: () => now });
  const cb = p.begin('specs/x.json')!;
  cb({ states: 100, depth: 1, frontier: 10, seconds: 0.1 });
  now = 1000;
  cb({ states: 200, depth: 2, frontier: 20, seconds: 1.1 });
  now = 2100;
  cb({ states: 300, depth: 3, frontier: 30, seconds: 2.2 });
  p.end(400, 2.5);
  const lines = loud.text.split('\n').filter((l) => l.trim());
  t.true(
    lines.some((l) => /300 states/.test(l)),
    loud.text,
  );
  t.false(
    lines.some((l) => /200 states/.test(l)),
    'not more often than every two seconds',
  );
  t.regex(lines[lines.length - 1], /specs\/x\.json: 400 states, .* \(done\)$/);
  t.false(loud.text.includes(ESC), 'no cursor codes in a log');
});

test('the CLI through a pipe prints no progress; --progress prints the final line per spec', (t) => {
  const quiet = lockcheck(['check', SPEC, 'specs/conformance/p05-abba-spin.json'], { env: { CI: '' } });
  t.is(quiet.stderr, '');
  const loud = lockcheck(['check', '--progress', SPEC, 'specs/conformance/p05-abba-spin.json']);
  t.is(loud.stderr.split('\n').filter((l) => / \(done\)$/.test(l)).length, 2, loud.stderr);
  t.is(noTime(loud.stdout), noTime(quiet.stdout), 'stdout is the same');
});

ttyTest('on a terminal a search over a second shows the live line on stderr, and CI or --no-progress silence it', (t) => {
  const live = onTty(['check', ...LONG], { CI: '', NO_COLOR: '1' });
  t.is(live.code, 3);
  t.regex(live.screen, /lockcheck specs\/rtnl\/nets-sorted-after\.json: \d+ states, \d+ states\/s, depth \d+, frontier \d+, \d+ MiB/);
  t.regex(live.screen, /incomplete/);
  const ci = onTty(['check', ...LONG], { CI: 'true', NO_COLOR: '1' });
  t.notRegex(ci.screen, /states\/s/);
  const off = onTty(['check', '--no-progress', ...LONG], { CI: '', NO_COLOR: '1' });
  t.notRegex(off.screen, /states\/s/);
  const short = onTty(['check', SPEC], { CI: '', NO_COLOR: '1' });
  t.notRegex(short.screen, /states\/s/, 'a search under a second shows nothing');
});

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-out-'));
}

test('--report and --output write their files, and stdout keeps the --format output', (t) => {
  const dir = tmpDir();
  const html = path.join(dir, 'report.html');
  const sarif = path.join(dir, 'out.sarif');
  const junit = path.join(dir, 'junit.xml');
  const r = lockcheck(['check', '--report', html, '--output', `sarif=${sarif}`, '--output', `junit=${junit}`, SPEC]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /as expected/);
  t.regex(fs.readFileSync(html, 'utf8'), /^<!DOCTYPE html>/);
  t.is(JSON.parse(fs.readFileSync(sarif, 'utf8')).version, '2.1.0');
  t.regex(fs.readFileSync(junit, 'utf8'), /<testsuites /);
  t.deepEqual(fs.readdirSync(dir).sort(), ['junit.xml', 'out.sarif', 'report.html'], 'no temporary file left behind');
  t.is(lockcheck(['check', '--output', 'yaml=x.yaml', SPEC]).code, 2);
  t.is(lockcheck(['check', '--output', 'sarif', SPEC]).code, 2);
});

test('the HTML report is self-contained: nothing to fetch, a policy that forbids fetching, SVG inline', (t) => {
  const dir = tmpDir();
  const html = path.join(dir, 'r.html');
  t.is(lockcheck(['check', '--report', html, SPEC, 'specs/rtnl/exit-batch-dying-first.json']).code, 0);
  const page = fs.readFileSync(html, 'utf8');
  t.regex(page, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  t.notRegex(page, /<(script|img|iframe|link|audio|video|source|embed|object)\b[^>]*\b(src|href|data)=/i);
  t.notRegex(page, /@import|url\((?!#)/);
  const urls = [...page.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
  t.deepEqual([...new Set(urls)].sort(), ['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg'], 'only XML namespaces');
  t.true((page.match(/<svg /g) ?? []).length >= 3, 'lock-order and wait-for graphs');
});

test('a report that cannot be written: exit 2, a message, and no partial or temporary file', (t) => {
  const dir = tmpDir();
  const r = lockcheck(['check', '--report', path.join(dir, 'no', 'such', 'dir', 'r.html'), SPEC]);
  t.is(r.code, 2);
  t.regex(r.stderr, /cannot write .*r\.html/);
  const target = path.join(dir, 'taken');
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'keep'), 'x');
  t.is(lockcheck(['check', '--report', target, SPEC]).code, 2);
  t.deepEqual(fs.readdirSync(dir).sort(), ['no', 'taken'].filter((d) => fs.existsSync(path.join(dir, d))).sort());
  t.deepEqual(fs.readdirSync(target), ['keep'], 'the directory in the way is untouched');
});

test('writeFileAtomic replaces a file whole and leaves nothing behind when it fails', (t) => {
  const dir = tmpDir();
  const f = path.join(dir, 'a.txt');
  fs.writeFileSync(f, 'old');
  writeFileAtomic(f, 'new contents');
  t.is(fs.readFileSync(f, 'utf8'), 'new contents');
  fs.mkdirSync(path.join(dir, 'd'));
  t.throws(() => writeFileAtomic(path.join(dir, 'd'), 'x'));
  t.deepEqual(fs.readdirSync(dir).sort(), ['a.txt', 'd']);
});
