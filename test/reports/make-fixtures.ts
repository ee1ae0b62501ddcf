// Freezes the CheckResults that the reporter tests read (test/reports/fixtures/), so that the golden files of
// the reporters change only when a reporter changes, not when the explorer or a spec does. Run by hand:
//   TS_NODE_TRANSPILE_ONLY=1 node -r ts-node/register test/reports/make-fixtures.ts
// It checks the showcase specs through the pipeline, zeroes the timings, and copies every source file the
// results quote into sources.json. toctou.result.json is written by hand (no bundled spec had a TOCTOU finding
// when it was made) and is left alone.
import * as fs from 'fs';
import * as path from 'path';
import { checkFile } from '../../checker/pipeline';
import { CheckResult, SpecResult } from '../../checker/result';
import { nodeHost } from '../../checker/spec/host';
import { referencedFiles } from '../../reports/html/sources';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(__dirname, 'fixtures');

function run(file: string, opts: Parameters<typeof checkFile>[2] = {}): SpecResult {
  const r = checkFile(nodeHost, path.join(ROOT, file), opts);
  if (r.stats) Object.assign(r.stats, { seconds: 0, statesPerSecond: 0 });
  return r;
}

function write(name: string, result: CheckResult) {
  fs.writeFileSync(path.join(OUT, name), JSON.stringify(result, null, 2) + '\n');
}

process.chdir(ROOT);
const showcase: CheckResult = {
  results: ['specs/rtnl/exit-batch-dying-first.json', 'specs/conformance/p07-abcabc-mutex.json', 'specs/rtnl/nets-addr-any.json'].map((f) => run(f)),
};
write('showcase.result.json', showcase);

// One of each kind of outcome a CI run must tell apart: unexpected findings, an expected kind missing, an
// incomplete search, a bad spec.
const unexpected = run('specs/rtnl/nets-unsorted-during.json', { without: ['rtnl_mutex'] });
const missing = run('specs/rtnl/nets-sorted-during.json');
Object.assign(missing, { expected: ['deadlock'], matches: false, missing: ['deadlock'] });
const incomplete = run('specs/rtnl/nets-sorted-after.json', { maxStates: 50 });
const bad = run('specs/invalid/LC3001-unknown-lock.json');
const mixed: CheckResult = { results: [unexpected, missing, incomplete, bad] };
write('mixed.result.json', mixed);

const toctou = JSON.parse(fs.readFileSync(path.join(OUT, 'toctou.result.json'), 'utf8')) as CheckResult;
const sources: Record<string, string> = {};
for (const r of [showcase, mixed, toctou]) {
  for (const f of referencedFiles(r)) {
    const p = path.join(ROOT, f);
    if (fs.existsSync(p)) sources[f] = fs.readFileSync(p, 'utf8');
  }
}
const hand = JSON.parse(fs.readFileSync(path.join(OUT, 'sources.json'), 'utf8')) as Record<string, string>;
for (const [f, text] of Object.entries(hand)) if (f.startsWith('specs/hand/')) sources[f] = text;
fs.writeFileSync(path.join(OUT, 'sources.json'), JSON.stringify(Object.fromEntries(Object.entries(sources).sort()), null, 2) + '\n');
