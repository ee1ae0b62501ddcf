// Soak: the largest bundled spec family (rtnl writers over three netns, P=6: far more states than fit in
// 1 GiB) under a memory bound must end with a verdict or `incomplete`, stopped by the bound: never an
// out-of-memory crash, a signal or a stack trace.
//
// SKIPPED: `lockcheck check` does not accept --max-memory yet (checker/cli/search-options.ts parses it, but
// the check command does not offer it; its owner is wiring it in). Make this `test` once
// `node bin/lockcheck.js check --help` lists --max-memory.
import test from 'ava';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './corpus';

test.skip('P=6 writers under --max-memory 1g: exit 0, 1 or 3, stopped by the bound, no crash', (t) => {
  t.timeout(15 * 60_000);
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin', 'lockcheck.js'), 'check', '--format', 'json', '--max-memory', '1g', '--max-seconds', '600', '--param', 'P=6', 'specs/rtnl/nets-sorted-after.json'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 12 * 60_000, maxBuffer: 256 * 1024 * 1024 },
  );
  t.is(r.signal, null, `killed by ${r.signal}`);
  t.true([0, 1, 3].includes(r.status ?? -1), `exit ${r.status}\n${r.stderr.slice(-2000)}`);
  t.notRegex(r.stderr, /heap out of memory|Allocation failed|RangeError|^\s+at .+\.[cm]?[jt]s:\d+:\d+\)?$|LC9\d{3}/m);
  const result = (JSON.parse(r.stdout) as { results: { verdict: string; incomplete?: string; stats: { states: number } }[] }).results[0];
  t.true(['ok', 'findings', 'incomplete'].includes(result.verdict), result.verdict);
  if (r.status === 3) {
    t.is(result.verdict, 'incomplete');
    // the memory bound, not the clock, stopped it (P=6 does not fit in 1 GiB)
    t.regex(result.incomplete ?? '', /--max-memory/);
    t.true(result.stats.states > 0);
  }
});
