// The soundness regressions (specs/regress/) give their true findings, the same kinds, under every complete
// search mode: the default reductions, each reduction off, exact storage, parallel jobs. Each spec reproduces
// a case where a reduction or a semantic slip once hid a finding or changed its kind.
import test from 'ava';
import fg from 'fast-glob';
import * as fs from 'fs';
import * as path from 'path';
import { lockcheck, ROOT } from '../helpers/cli';

const specs = fg.sync('specs/regress/*.json', { cwd: ROOT }).sort();
// (depth-first: dfs-stack-proviso.json is the case a depth-first search without the stack proviso misses)
const MODES: string[][] = [
  [],
  ['--no-por'],
  ['--no-symmetry'],
  ['--no-por', '--no-symmetry'],
  ['--exact'],
  ['--jobs', '2'],
  ['--strategy', 'dfs'],
  ['--strategy', 'dfs', '--no-por'],
];

interface JsonResult {
  file: string;
  verdict: string;
  findings: { kind: string }[];
}

test('there are regression specs', (t) => {
  t.true(specs.length >= 12);
});

for (const mode of MODES) {
  test(`regression specs give their declared findings with ${mode.join(' ') || 'the default search'}`, (t) => {
    const r = lockcheck(['check', '--format', 'json', '--no-traces', ...mode, ...specs]);
    const doc = JSON.parse(r.stdout) as { results: JsonResult[] };
    for (const file of specs) {
      const spec = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
      const res = doc.results.find((x) => x.file === file);
      t.truthy(res, `${file}: reported`);
      t.deepEqual([...new Set(res!.findings.map((f) => f.kind))].sort(), [...spec.expect.findings].sort(), `${file} with ${mode.join(' ')}`);
    }
    t.is(r.code, 0);
  });
}

// Incomplete modes may miss a finding but never report a kind the spec does not have (a toctou where the
// truth is an assertion, say), whatever walk or collision they happen to meet.
for (const mode of [
  ['--simulate', '40', '--seed', '1'],
  ['--simulate', '40', '--seed', '7'],
  ['--bitstate', '12'],
  ['--strategy', 'swarm', '--walks', '40', '--seed', '3'],
]) {
  test(`regression specs report no kind they do not have with ${mode.join(' ')}`, (t) => {
    const r = lockcheck(['check', '--format', 'json', '--no-traces', ...mode, ...specs]);
    const doc = JSON.parse(r.stdout) as { results: JsonResult[] };
    for (const file of specs) {
      const spec = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
      const res = doc.results.find((x) => x.file === file)!;
      const extra = res.findings.map((f) => f.kind).filter((k) => !spec.expect.findings.includes(k));
      t.deepEqual(extra, [], `${file} with ${mode.join(' ')}`);
      t.not(res.verdict, 'error', file);
      if (spec.expect.findings.length > 0) t.not(res.verdict, 'ok', `${file}: never ok when it has findings`);
    }
  });
}
