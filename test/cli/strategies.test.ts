// The strategies for big models through the real CLI: depth-first search (--strategy dfs) and its depth bound,
// swarm walks, the guidance of an incomplete search, and --replay of a trace's path line.
import test from 'ava';
import { lockcheck } from '../helpers/cli';

interface Finding {
  kind: string;
  message: string;
  trace?: { path: string; shortest?: boolean };
}
interface Result {
  verdict: string;
  findings: Finding[];
  incomplete?: string;
  coverage?: string;
  guidance?: { covered: string; suggestions: { try: string; why: string }[] };
  stats: { states: number; depth: number; strategy?: string; depthCut?: number; walks?: number };
  diagnostics: { code: string; message: string }[];
}

const json = (s: string) => JSON.parse(s).results[0] as Result;
const kinds = (r: Result) => [...new Set(r.findings.map((f) => f.kind))].sort();
const check = (args: string[]) => {
  const r = lockcheck(['check', '--format', 'json', '--no-timings', ...args]);
  return { code: r.code, stderr: r.stderr, result: json(r.stdout) };
};

test('--strategy dfs finds the deadlock of a bundled spec', (t) => {
  const { code, result } = check(['--strategy', 'dfs', 'specs/rtnl/nets-unsorted-after.json']);
  t.is(code, 0);
  t.is(result.verdict, 'findings');
  t.is(result.stats.strategy, 'dfs');
  t.true(kinds(result).includes('deadlock'));
});

test('--strategy dfs gives the verdicts and kinds of breadth-first, with and without partial-order reduction', (t) => {
  const specs = [
    'specs/rtnl/nets-unsorted-after.json',
    'specs/rtnl/nets-sorted-after.json',
    'specs/kernel/setlink-relookup-race.json',
    'specs/conformance/p05-abba-spin.json',
    'specs/conformance/p18-rwlock-read-breaks-cycle.json',
    'specs/regress/dfs-stack-proviso.json',
  ];
  for (const spec of specs) {
    const bfs = check([spec]).result;
    for (const extra of [[], ['--no-por']]) {
      const dfs = check(['--strategy', 'dfs', ...extra, spec]);
      t.is(dfs.result.verdict, bfs.verdict, `${spec} ${extra.join(' ')}`);
      t.deepEqual(kinds(dfs.result), kinds(bfs), `${spec} ${extra.join(' ')}`);
    }
  }
});

test('--strategy dfs on a big model: the follow-up searches stay bounded, unconfirmed traces are marked', (t) => {
  const t0 = Date.now();
  const { code, result } = check(['--strategy', 'dfs', '--no-traces', '--param', 'N=4', '--param', 'P=3', 'specs/bench/scale-unsorted.json']);
  t.is(code, 0);
  t.true(result.stats.states > 200_000, String(result.stats.states));
  t.true(kinds(result).includes('deadlock'));
  t.true((Date.now() - t0) / 1000 < 60, 'the confirmation after depth-first has its own small budget');
});

test('--max-depth cuts the search: incomplete, exit 3, with guidance; a finding within the bound is reported', (t) => {
  for (const strategy of ['bfs', 'dfs']) {
    const cut = check(['--strategy', strategy, '--max-depth', '3', 'specs/rtnl/nets-sorted-after.json']);
    t.is(cut.code, 3, strategy);
    t.is(cut.result.verdict, 'incomplete');
    t.regex(cut.result.incomplete!, /--max-depth/);
    t.true(cut.result.stats.depthCut! > 0);
    t.truthy(cut.result.guidance);
    t.true(cut.result.guidance!.suggestions.some((s) => /--max-depth 6/.test(s.try)));

    const found = check(['--strategy', strategy, '--max-depth', '20', 'specs/rtnl/nets-unsorted-after.json']);
    t.is(found.code, 0, `${strategy}: the model is shallower than the bound`);
    const within = check(['--strategy', strategy, '--max-depth', '9', 'specs/rtnl/nets-unsorted-after.json']);
    t.true(kinds(within.result).includes('deadlock'), strategy);
    t.is(within.result.verdict, 'findings');
    t.regex(within.result.coverage ?? '', /depth-bounded/);
    for (const f of within.result.findings) if (f.trace && strategy === 'dfs') t.is(f.trace.shortest, false);
  }
});

test('--strategy swarm finds the deep scale-unsorted deadlock quickly, the same for the same seed', (t) => {
  const args = ['--strategy', 'swarm', '--seed', '4', '--walks', '500', '--no-traces', '--param', 'N=5', '--param', 'P=3', 'specs/bench/scale-unsorted.json'];
  const t0 = Date.now();
  const a = lockcheck(['check', '--format', 'json', '--no-timings', ...args]);
  t.true((Date.now() - t0) / 1000 < 30);
  const r = json(a.stdout);
  t.is(r.verdict, 'findings');
  t.is(r.stats.strategy, 'swarm');
  t.true(kinds(r).includes('deadlock'));
  const again = lockcheck(['check', '--format', 'json', '--no-timings', ...args]);
  t.is(again.stdout, a.stdout, 'deterministic for a seed');
  // the walks spread over jobs are the same walks
  const two = lockcheck(['check', '--format', 'json', '--no-timings', '--jobs', '2', ...args]);
  const jobs = json(two.stdout);
  t.deepEqual(kinds(jobs), kinds(r));
  t.is(jobs.stats.walks, 500);
  t.is(lockcheck(['check', '--format', 'json', '--no-timings', '--jobs', '2', ...args]).stdout, two.stdout, 'deterministic for a seed and jobs');
  // finding nothing proves nothing
  const none = check(['--strategy', 'swarm', '--walks', '20', 'specs/rtnl/nets-sorted-after.json']);
  t.is(none.code, 3);
  t.is(none.result.verdict, 'incomplete');
  t.truthy(none.result.guidance);
});

test('a swarm finding reproduces from its walk', (t) => {
  const r = check(['--strategy', 'swarm', '--seed', '2', '--walks', '200', 'specs/rtnl/nets-unsorted-after.json']).result;
  const d = r.findings.find((f) => f.kind === 'deadlock') as Finding & { reproduce: string };
  t.truthy(d);
  const args = d.reproduce.split(' ').slice(2);
  const again = check(args).result;
  t.true(again.findings.some((f) => f.kind === 'deadlock' && f.message === d.message));
});

test('an incomplete search says what it covered and what to try', (t) => {
  const { code, result } = check(['--max-states', '2000', '--param', 'N=5', '--param', 'P=3', 'specs/bench/scale-sorted.json']);
  t.is(code, 3);
  t.regex(result.guidance!.covered, /states, depth \d+ reached/);
  const tries = result.guidance!.suggestions.map((s) => s.try).join(' | ');
  t.regex(tries, /--strategy dfs --max-depth \d+/);
  t.regex(tries, /--strategy swarm/);
  t.regex(tries, /--max-states 4000/);
  t.regex(tries, /--param N=4/);
  const text = lockcheck(['check', '--max-states', '2000', '--param', 'N=5', '--param', 'P=3', 'specs/bench/scale-sorted.json']);
  t.regex(text.stdout, /covered: \d+ states/);
  t.regex(text.stdout, /try --strategy dfs/);
});

test('--replay re-runs a path from a breadth-first trace and ends in its finding', (t) => {
  const spec = 'specs/rtnl/nets-unsorted-after.json';
  const bfs = check([spec]).result;
  const d = bfs.findings.find((f) => f.kind === 'deadlock')!;
  const r = check(['--replay', d.trace!.path, spec]);
  t.is(r.code, 0, r.stderr);
  t.is(r.result.stats.strategy, 'replay');
  const again = r.result.findings.find((f) => f.kind === 'deadlock')!;
  t.is(again.message, d.message);
  t.is(again.trace!.path, d.trace!.path);
  const text = lockcheck(['check', '--replay', d.trace!.path, spec]);
  t.regex(text.stdout, /deadlock: AB-BA deadlock/);
  t.regex(text.stdout, new RegExp(`path: ${d.trace!.path}`));
  // a prefix of the path ends in no finding: proves nothing
  const prefix = d.trace!.path.split(':').slice(0, 2).join(':');
  t.is(check(['--replay', prefix, spec]).code, 3);
});

test('--replay of a malformed or impossible path: exit 2 with the step that is wrong', (t) => {
  const spec = 'specs/rtnl/nets-unsorted-after.json';
  const bad = lockcheck(['check', '--replay', '0.0:x', spec]);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /cannot replay the path: step 2 of the path is "x", not THREAD.CHOICE.*\[LC6004\]/);
  const noThread = lockcheck(['check', '--replay', '0.0:7.0', spec]);
  t.is(noThread.code, 2);
  t.regex(noThread.stderr, /step 2: there is no thread 7/);
  const noChoice = lockcheck(['check', '--replay', '0.9', spec]);
  t.is(noChoice.code, 2);
  t.regex(noChoice.stderr, /step 1: thread 0 \(writer\[0\]\) has \d+ moves there/);
  t.is(lockcheck(['check', '--replay', '0.0', '--strategy', 'dfs', spec]).code, 2, 'replay excludes a search strategy');
});

test('usage errors of the strategy options', (t) => {
  const spec = 'specs/rtnl/nets-unsorted-after.json';
  for (const args of [
    ['--strategy', 'nope'],
    ['--max-depth', '0'],
    ['--walks', '10'],
    ['--strategy', 'dfs', '--jobs', '2'],
    ['--strategy', 'dfs', '--simulate', '3'],
    ['--strategy', 'swarm', '--bitstate', '20'],
    ['--max-depth', '6', '--jobs', '2'],
    ['--max-depth', '6', '--shard', '0/2'],
  ]) {
    const r = lockcheck(['check', ...args, spec]);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, /lockcheck: |error:/, args.join(' '));
  }
});
