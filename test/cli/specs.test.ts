// Every spec under specs/ (but the deliberately bad ones in specs/invalid/) gives exactly the findings it
// declares, through the real CLI.
import test from 'ava';
import fg from 'fast-glob';
import * as fs from 'fs';
import * as path from 'path';
import { lockcheck, ROOT } from '../helpers/cli';

const specs = fg.sync('specs/**/*.json', { cwd: ROOT, ignore: ['specs/invalid/**', 'specs/schema/**'] }).sort();

interface JsonResult {
  file: string;
  verdict: string;
  findings: { kind: string }[];
  stats: { states: number; seconds: number };
}

let results = new Map<string, JsonResult>();
let exitCode: number | null = null;

test.before(() => {
  const r = lockcheck(['check', '--format', 'json', ...specs]);
  exitCode = r.code;
  const doc = JSON.parse(r.stdout) as { results: JsonResult[] };
  results = new Map(doc.results.map((x) => [x.file, x]));
});

test('there are specs to check, and the run as a whole exits 0', (t) => {
  t.true(specs.length >= 30);
  t.is(exitCode, 0);
});

for (const file of specs) {
  test(`${file} gives the findings it declares`, (t) => {
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
    t.truthy(spec.expect, 'every bundled spec declares what it expects');
    const r = results.get(file);
    t.truthy(r, 'the CLI reported on it');
    // the entries that apply with the spec's own params (an entry naming a finding by its facts has its kind)
    const params: Record<string, number> = spec.params ?? {};
    const applies = (e: string | { when?: Record<string, number> }) => typeof e === 'string' || Object.entries(e.when ?? {}).every(([k, v]) => params[k] === v);
    const kinds = [
      ...new Set(
        (spec.expect.findings as (string | { kind: string; when?: Record<string, number> })[]).filter(applies).map((e) => (typeof e === 'string' ? e : e.kind)),
      ),
    ];
    t.is(r!.verdict, kinds.length === 0 ? 'ok' : 'findings');
    t.deepEqual([...new Set(r!.findings.map((f) => f.kind))].sort(), kinds.sort());
    t.true(r!.stats.states > 0);
  });
}
