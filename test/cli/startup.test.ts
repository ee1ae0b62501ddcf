// Start-up through the BUILT CLI (dist/): a plain check of one spec path loads only what it needs. fast-glob is
// loaded for patterns only, cli-progress when a progress line is drawn, seedrandom for --simulate, ajv's
// compiler never (the schema validators are compiled at build time), a reporter for the formats asked for; and
// a short check runs on the main thread, without starting a worker thread. Each module is watched through
// Module._load in the CLI's process; the timings themselves are measured by bench/startup.ts, not here.
import test from 'ava';
import { spawnSync } from 'child_process';
import fg from 'fast-glob';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mayBePattern } from '../../checker/cli/main';
import { LONG_SEARCH, lockcheck, ROOT } from '../helpers/cli';
import { REPORTERS } from '../../reports/index';

const CLI = path.join(ROOT, 'bin', 'lockcheck.js');
const TINY = 'specs/conformance/p01-aa-spin.json';

// Runs the CLI under `node -e`, recording every module it loads and every worker thread it starts.
const SPY = `
const Module = require('module');
const load = Module._load;
const seen = new Set();
Module._load = function (request, parent, isMain) {
  try { seen.add(Module._resolveFilename(request, parent, isMain)); } catch {}
  return load.apply(this, arguments);
};
const wt = require('worker_threads');
let workers = 0;
const W = wt.Worker;
wt.Worker = class extends W { constructor(...a) { workers++; super(...a); } };
process.on('exit', () => require('fs').writeSync(2, '\\nLOADED ' + JSON.stringify({ files: [...seen], workers }) + '\\n'));
process.argv.splice(1, 0, ${JSON.stringify(CLI)});
require(${JSON.stringify(CLI)});
`;

function traced(args: string[]) {
  const r = spawnSync(process.execPath, ['-e', SPY, '--', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  const m = /\nLOADED (.*)\n/.exec(r.stderr);
  if (!m) throw new Error(`no module list (exit ${r.status}):\n${r.stderr}`);
  const { files, workers } = JSON.parse(m[1]) as { files: string[]; workers: number };
  // paths relative to the repository or to node_modules, with / separators
  const rel = files.map((f) => (f.includes('node_modules') ? f.slice(f.lastIndexOf('node_modules')) : path.relative(ROOT, f)).split(path.sep).join('/'));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, files: rel, workers, loads: (p: string) => rel.some((f) => f.startsWith(p)) };
}

/** Loaded only when asked for: module path prefixes. */
const DEFERRED: Record<string, string> = {
  'fast-glob': 'node_modules/fast-glob/',
  'cli-progress': 'node_modules/cli-progress/',
  seedrandom: 'node_modules/seedrandom/',
  'the ajv compiler': 'node_modules/ajv/dist/ajv.js',
  'the ajv core': 'node_modules/ajv/dist/core.js',
  // every reporter but text (the registry names the module each one alone loads)
  ...Object.fromEntries(REPORTERS.flatMap((r) => ('module' in r ? [[`the ${r.name} reporter`, r.module]] : []))),
  'the baseline': 'dist/reports/baseline.js',
  'the result reader': 'dist/checker/result-input.js',
  '--jobs': 'dist/checker/parallel.js',
  merge: 'dist/checker/merge.js',
  '--dump': 'dist/checker/model/dump.js',
};

test('a check of one spec path loads none of the deferred modules and starts no worker thread', (t) => {
  const r = traced(['check', TINY]);
  t.is(r.code, 0, r.stderr);
  t.true(r.loads('dist/checker/pipeline.js'), 'the watch sees the modules the check loads');
  t.true(r.loads('node_modules/ajv/dist/runtime/'), 'the compiled validators use only the ajv runtime');
  for (const [what, prefix] of Object.entries(DEFERRED)) t.false(r.loads(prefix), `${what} was loaded`);
  t.is(r.workers, 0);
});

test('each registered format loads its own reporter module and no other', (t) => {
  const deferred = REPORTERS.flatMap((r) => ('module' in r ? [r] : []));
  t.true(deferred.length >= 4);
  for (const r of deferred) {
    const run = traced(['check', '--output', `${r.name}=/dev/null`, TINY]);
    t.is(run.code, 0, run.stderr);
    t.true(run.loads(r.module), `--output ${r.name} loads ${r.module}`);
    for (const other of deferred) if (other !== r) t.false(run.loads(other.module), `--output ${r.name} loads ${other.module}`);
  }
});

test('--help loads commander, not the pipeline', (t) => {
  const r = traced(['--help']);
  t.is(r.code, 0, r.stderr);
  t.true(r.loads('node_modules/commander/'));
  t.false(r.loads('dist/checker/pipeline.js'));
  t.false(r.loads('dist/checker/spec/schema-validators.generated.js'));
});

test('each deferred module is loaded when it is asked for, and only then', (t) => {
  const glob = traced(['check', 'specs/conformance/p0[1]-aa-spin.json']);
  t.is(glob.code, 0, glob.stderr);
  t.true(glob.loads(DEFERRED['fast-glob']), 'a pattern loads fast-glob');

  const sarif = traced(['check', '--format', 'sarif', TINY]);
  t.is(sarif.code, 0, sarif.stderr);
  t.true(sarif.loads(DEFERRED['the sarif reporter']));
  t.false(sarif.loads(DEFERRED['the junit reporter']));
  t.false(sarif.loads(DEFERRED['the json reporter']));

  const outputs = traced(['check', '--output', 'json=/dev/null', '--output', 'junit=/dev/null', TINY]);
  t.is(outputs.code, 0, outputs.stderr);
  t.true(outputs.loads(DEFERRED['the json reporter']));
  t.true(outputs.loads(DEFERRED['the junit reporter']));
  t.false(outputs.loads(DEFERRED['the sarif reporter']));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-startup-'));
  try {
    const old = path.join(dir, 'old.json');
    fs.writeFileSync(old, lockcheck(['check', '--format', 'json', TINY]).stdout);
    const baseline = traced(['check', '--baseline', old, TINY]);
    t.is(baseline.code, 0, baseline.stderr);
    t.true(baseline.loads(DEFERRED['the baseline']));
    t.true(baseline.loads(DEFERRED['the result reader']));
    t.false(baseline.loads(DEFERRED['the ajv compiler']), 'the result schema is compiled at build time too');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const sim = traced(['check', '--simulate', '3', TINY]);
  t.is(sim.code, 0, sim.stderr);
  t.true(sim.loads(DEFERRED.seedrandom));
});

test('a long search moves to a worker thread, which draws the progress line on the main thread, and keeps it', (t) => {
  const args = ['check', '--format', 'json', '--progress', '--max-seconds', '1.5', ...LONG_SEARCH, TINY];
  const r = traced(args);
  t.is(r.code, 3, r.stderr);
  t.is(r.workers, 1, 'one worker, which checks the spec after the long one too');
  t.true(r.loads(DEFERRED['cli-progress']), 'the progress line was drawn');
  t.regex(r.stderr, /lockcheck specs\/bench\/scale-sorted.json: \d+ states/);
  const [long, tiny] = (JSON.parse(r.stdout) as { results: { verdict: string; matches: boolean }[] }).results;
  t.is(long.verdict, 'incomplete');
  t.like(tiny, { verdict: 'findings', matches: true });
});

test('a spec file over 256 KiB goes to the worker thread at once', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-startup-'));
  try {
    const big = path.join(dir, 'big.json');
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, TINY), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(big, JSON.stringify({ ...spec, description: 'x'.repeat(300 * 1024) }));
    const r = traced(['check', big]);
    t.is(r.code, 0, r.stderr);
    t.is(r.workers, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a path without glob syntax is one fast-glob would not read as a pattern', (t) => {
  for (const p of ['specs/a.json', 'a b/c-d_e.json', '/tmp/x.json', '.', 'a+b@c.json', 'a,b..c', 'ä/€.json'])
    t.false(fg.isDynamicPattern(p) && !mayBePattern(p), p);
  for (const p of ['*.json', 'specs/**/x.json', 'a?.json', 'p[0-9].json', '{a,b}.json', '!(x)/y.json', '@(a|b).json', '+(a).json'])
    t.true(mayBePattern(p) && fg.isDynamicPattern(p), p);
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', '/', '.', '-', '_', ' ', '+', '@', ',', '$', '#', '%', '~', 'é', ':', ';', '|', '^') }),
      (p) => p === '' || mayBePattern(p) || !fg.isDynamicPattern(p),
    ),
    { numRuns: 2000, seed: 1 },
  );
});
