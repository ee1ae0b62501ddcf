// Soak: the largest bundled scale spec, grown far past what fits in 1 GiB (N=5 netns, P=4 writers), under
// --max-memory 1g must end with a verdict or `incomplete`, stopped by the bound: never an out-of-memory crash,
// a signal or a stack trace. Exact storage (whole state vectors) fills the gigabyte in seconds; the default
// fingerprint storage is the same code path with smaller entries.
import test from 'ava';
import { lockcheck, UNREDUCED } from '../helpers/cli';

interface Result {
  verdict: string;
  incomplete?: string;
  stats: { states: number; storage: string };
}

test('scale N=5 P=4 under --max-memory 1g: incomplete, stopped by the memory bound, no crash', (t) => {
  t.timeout(5 * 60_000);
  const r = lockcheck(
    [
      'check',
      '--format',
      'json',
      '--exact',
      ...UNREDUCED,
      '--max-memory',
      '1g',
      '--max-seconds',
      '240',
      '--param',
      'N=5',
      '--param',
      'P=4',
      'specs/bench/scale-sorted.json',
    ],
    { timeoutMs: 4 * 60_000 },
  );
  t.is(r.signal, null, `killed by ${r.signal}`);
  t.is(r.code, 3, `exit ${r.code}\n${r.stderr.slice(-2000)}`);
  t.notRegex(r.stderr, /heap out of memory|Allocation failed|RangeError|^\s+at .+\.[cm]?[jt]s:\d+:\d+\)?$|LC9\d{3}/m);
  const result = (JSON.parse(r.stdout) as { results: Result[] }).results[0];
  t.is(result.verdict, 'incomplete');
  // the memory bound, not the clock, stopped it
  t.regex(result.incomplete ?? '', /--max-memory/);
  t.true(result.stats.states > 100_000, String(result.stats.states));
  t.is(result.stats.storage, 'exact');
});
