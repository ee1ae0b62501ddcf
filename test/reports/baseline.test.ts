// Baselines (--baseline old.json): a finding's fingerprint is stable across runs and unrelated edits, differs
// between different findings, and a run against a baseline reports (and fails on) only the new findings.
import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkFile } from '../../checker/pipeline';
import { CheckResult, Finding } from '../../checker/result';
import { memoryHost } from '../../checker/spec/host';
import { exitCodeFor } from '../../checker/cli/main';
import { applyBaseline, parseBaseline } from '../../reports/baseline';
import { fingerprint, normalisedMessage } from '../../reports/fingerprint';
import { renderMessage } from '../../checker/facts';
import { renderJson } from '../../reports/json';
import { lockcheck } from '../helpers/cli';

const abba = {
  name: 'abba',
  locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' }, C: { kind: 'mutex' } },
  threads: [
    { name: 'cpu0', seq: 'L(A) L(B) U(B) U(A)' },
    { name: 'cpu1', seq: 'L(B) L(A) U(A) U(B)' },
  ],
};
/** The same spec plus a thread that closes a new cycle over C. */
const abbaPlusC = { ...abba, threads: [...abba.threads, { name: 'cpu2', seq: 'L(C) L(A) U(A) U(C)' }, { name: 'cpu3', seq: 'L(A) L(C) U(C) U(A)' }] };

function run(text: string, file = 'specs/x.json'): CheckResult {
  return { results: [checkFile(memoryHost({ [file]: text }), file)] };
}
const prints = (r: CheckResult) => r.results.flatMap((x) => x.findings.map((f) => fingerprint(x.file, f))).sort();

test('fingerprints are the same run after run', (t) => {
  const text = JSON.stringify(abba, null, 2);
  t.deepEqual(prints(run(text)), prints(run(text)));
  t.is(prints(run(text)).length, 2);
});

test('fingerprints survive edits that move the finding to other lines and columns', (t) => {
  const moved = '\n\n\n' + JSON.stringify({ $schema: 'specs/schema/lockcheck.schema.json', ...abba }, null, 4);
  const a = run(JSON.stringify(abba, null, 2));
  const b = run(moved);
  t.notDeepEqual(a.results[0].findings[0].location, b.results[0].findings[0].location, 'the location did move');
  t.deepEqual(prints(a), prints(b));
});

test('fingerprints tell different findings apart: kind, spec file, locks', (t) => {
  const a = run(JSON.stringify(abba, null, 2));
  const other = run(JSON.stringify(abba, null, 2), 'specs/y.json');
  t.notDeepEqual(prints(a), prints(other), 'another spec file');
  const [dl, cyc] = a.results[0].findings;
  t.not(fingerprint('s', dl), fingerprint('s', cyc), 'another kind');
  const renamed = run(JSON.stringify(abba, null, 2).replace(/\bB\b/g, 'Q'));
  t.notDeepEqual(prints(a), prints(renamed), 'other locks');
});

test('replicated thread indices and step numbers are wildcards; thread and lock names are not', (t) => {
  const f = (threads: string[]): Finding => {
    const facts = {
      category: 'cycle' as const,
      waits: threads.map((thread, i) => ({ thread, waitsFor: ['net[net1]', 'net[init_net]'][i] })),
      threads,
      classes: ['net'],
      locks: ['net[net1]', 'net[init_net]'],
    };
    return {
      kind: 'deadlock',
      facts,
      message: renderMessage({ kind: 'deadlock', facts }),
      trace: {
        steps: threads.map((th, i) => ({ step: i + 1, thread: th, action: 'L(A)', src: { file: 'f', line: 1, col: 1 }, frames: [], held: {} })),
        path: '',
      },
    };
  };
  const a = f(['writer[0]', 'writer[1]']);
  const b = f(['writer[1]', 'writer[2]']);
  t.is(normalisedMessage(a), 'AB-BA deadlock: writer[*] waits for net[net1], writer[*] waits for net[init_net] (each waits for the next)');
  t.is(fingerprint('s', a), fingerprint('s', b));
  const c = f(['reader[0]', 'writer[1]']);
  t.not(fingerprint('s', a), fingerprint('s', c));
  const toctou: Finding = {
    kind: 'toctou',
    facts: { window: { check: 7, write: 12, use: 22 }, variable: 'x', reader: 'r', writer: 'w', guard: 'g', check: '' },
    message: 'time of check to time of use: r read x at step 7 under g, w wrote it at step 12, and step 22 acts on the stale value',
  };
  t.is(normalisedMessage(toctou), 'time of check to time of use: r read x at step # under g, w wrote it at step #, and step # acts on the stale value');
  const later = { ...toctou, facts: { ...toctou.facts, window: { check: 9, write: 14, use: 30 } } };
  t.is(fingerprint('s', toctou), fingerprint('s', later), 'step numbers are not the finding');
});

test('applyBaseline: known findings are marked known and no longer fail; the verdict, unexpected and matches follow', (t) => {
  const old = run(JSON.stringify(abba, null, 2));
  t.is(exitCodeFor(old), 1, 'without a baseline, findings without an expectation fail');
  const same = applyBaseline(old, parseBaseline(renderJson(old)) as ReturnType<typeof parseBaseline> & object);
  t.is(same.known, 2);
  t.is(same.fresh, 0);
  t.is(same.absent, 0);
  t.deepEqual(
    same.result.results[0].findings.map((f) => f.known),
    [true, true],
  );
  t.is(same.result.results[0].verdict, 'findings', 'known findings are still findings, not "ok"');
  t.true(same.result.results[0].matches);
  t.is(exitCodeFor(same.result), 0);

  const now = run(JSON.stringify(abbaPlusC, null, 2));
  const b = applyBaseline(now, parseBaseline(renderJson(old)) as ReturnType<typeof parseBaseline> & object);
  const fresh = b.result.results[0].findings.filter((f) => !f.known);
  t.true(fresh.length > 0);
  t.true(
    fresh.every((f) => /C/.test(f.message)),
    fresh.map((f) => f.message).join('\n'),
  );
  t.is(b.known, now.results[0].findings.length - fresh.length);
  t.is(exitCodeFor(b.result), 1);
});

test('applyBaseline keeps missing expected kinds and never touches bad specs', (t) => {
  const r: CheckResult = {
    results: [
      { file: 's.json', verdict: 'ok', findings: [], expected: ['deadlock'], matches: false, unexpected: [], missing: ['deadlock'], diagnostics: [] },
      { file: 'bad.json', verdict: 'error', findings: [], matches: false, unexpected: [], missing: [], diagnostics: [] },
    ],
  };
  const b = applyBaseline(r, { known: new Set(), legacy: new Set(), byFile: new Map() });
  t.deepEqual(b.result, r);
  t.is(exitCodeFor(b.result), 2);
});

test('parseBaseline says what is wrong with a bad baseline', (t) => {
  t.regex(parseBaseline('{') as string, /not JSON/);
  t.regex(parseBaseline('{"results": 3}') as string, /no "results" array/);
  t.regex(parseBaseline('{"results": [{"file": "a", "findings": [{"kind": "deadlock"}]}]}') as string, /results\[0\]\.findings\[0\]/);
});

test('the CLI with --baseline: a pull request fails on the findings it adds, not on those main had', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-baseline-'));
  const spec = path.join(dir, 'spec.json');
  const base = path.join(dir, 'main.json');
  fs.writeFileSync(spec, JSON.stringify(abba, null, 2));
  const main = lockcheck(['check', '--format', 'json', 'spec.json'], { cwd: dir });
  t.is(main.code, 1);
  fs.writeFileSync(base, main.stdout);

  const unchanged = lockcheck(['check', '--baseline', base, 'spec.json'], { cwd: dir });
  t.is(unchanged.code, 0, unchanged.stdout + unchanged.stderr);
  t.regex(unchanged.stderr, /baseline .*main\.json: 2 known findings, 0 new/);

  // The pull request: the spec moves down a few lines (unrelated) and gains a cycle over C.
  fs.writeFileSync(spec, '\n\n' + JSON.stringify(abbaPlusC, null, 2));
  const pr = lockcheck(['check', '--format', 'json', '--baseline', base, 'spec.json'], { cwd: dir });
  t.is(pr.code, 1);
  const doc = JSON.parse(pr.stdout) as CheckResult;
  t.true(doc.results[0].findings.length > 0);
  for (const f of doc.results[0].findings.filter((x) => !x.known)) t.regex(f.message, /\bC\b/, 'only the new findings are new');
  t.true(
    doc.results[0].findings.some((x) => x.known === true),
    'the known ones are reported as known',
  );

  fs.writeFileSync(path.join(dir, 'bad.json'), '{"nope": 1}');
  const bad = lockcheck(['check', '--baseline', path.join(dir, 'bad.json'), 'spec.json'], { cwd: dir });
  t.is(bad.code, 2);
  t.regex(bad.stderr, /bad\.json:1:1: error: not a lockcheck --format json result: the document has no "results" \[LC6002\]/);
  t.is(lockcheck(['check', '--baseline', path.join(dir, 'missing.json'), 'spec.json'], { cwd: dir }).code, 2);
});
