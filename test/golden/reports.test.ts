// Golden files for the reporters: a diff in review shows exactly what changed for users.
// Accept new output with: UPDATE_GOLDEN=1 npx ava test/golden/reports.test.ts
import test from 'ava';
import * as path from 'path';
import { checkFile } from '../../checker/pipeline';
import { CheckResult } from '../../checker/result';
import { nodeHost } from '../../checker/spec/host';
import { renderJson } from '../../reports/json';
import { renderText } from '../../reports/text';
import { ROOT } from '../helpers/cli';
import { golden } from './golden';

const SPECS = [
  'specs/conformance/p04-aa-rwsem-read-writer.json',
  'specs/conformance/p05-abba-spin.json',
  'specs/conformance/p07-abcabc-mutex.json',
  'specs/rtnl/nets-talk-pseudocode.json',
  'specs/rtnl/exit-batch-dying-first.json',
];

/** Timing is the only thing that varies between runs: zero it. */
function stable(result: CheckResult): CheckResult {
  for (const r of result.results) if (r.stats) Object.assign(r.stats, { seconds: 0, statesPerSecond: 0 });
  return result;
}

for (const spec of SPECS) {
  const base = path.basename(spec, '.json');
  test(`text and JSON reports of ${spec}`, (t) => {
    const cwd = process.cwd();
    process.chdir(ROOT); // paths in reports are relative to the working directory
    try {
      const result = stable({ results: [checkFile(nodeHost, path.join(ROOT, spec))] });
      golden(t, `${base}.txt`, renderText(result));
      golden(t, `${base}.json`, renderJson(result));
    } finally {
      process.chdir(cwd);
    }
  });
}
