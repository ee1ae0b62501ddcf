// What an incomplete search suggests (analyse/guidance.ts), the estimate of the time left (explore/estimate.ts)
// and the path syntax that --replay reads (explore/trace.ts parsePath).
import test from 'ava';
import { guidance, GuidanceInput } from '../../checker/analyse/guidance';
import { estimateSecondsLeft } from '../../checker/explore/estimate';
import { parsePath } from '../../checker/explore/trace';
import { lockcheck } from '../helpers/cli';

const base: GuidanceInput = {
  cause: 'max-states',
  strategy: 'bfs',
  states: 100000,
  depth: 11,
  maxStates: 100000,
  params: { N: 5, P: 3, EEXIST: 17, RTNL_NETS_MAX: 3 },
  sizeParams: ['N', 'P'],
  por: true,
  symmetry: true,
  findings: 0,
};
const tries = (g: GuidanceInput) => guidance(g).suggestions.map((s) => s.try);

test('a breadth-first search stopped by its state bound: go deep, sample, raise the bound, shrink the model', (t) => {
  const g = guidance(base);
  t.is(g.covered, '100000 states, depth 11 reached');
  t.deepEqual(tries(base), ['--strategy dfs --max-depth 22', '--strategy swarm', '--max-states 200000', '--bitstate 30', '--param N=4 or --param P=2']);
  for (const s of g.suggestions) t.true(s.why.length > 20, s.try);
});

test('only params that count threads or lock instances are suggested smaller, whatever their value', (t) => {
  t.deepEqual(
    tries({ ...base, sizeParams: [] }).filter((s) => s.startsWith('--param')),
    [],
  );
  t.true(tries({ ...base, params: { N: 12, P: 1 } }).includes('--param N=11'));
  // through the CLI: scale-unsorted counts writers by P and netns by N; RTNL_NETS_MAX (3) sizes a table
  const r = lockcheck(['check', '--format', 'json', '--max-states', '1000', 'specs/bench/scale-unsorted.json']);
  t.is(r.code, 3, r.stderr);
  const g = JSON.parse(r.stdout).results[0].guidance as { suggestions: { try: string }[] };
  t.deepEqual(
    g.suggestions.map((s) => s.try).filter((s) => s.startsWith('--param')),
    ['--param N=2 or --param P=1'],
  );
});

test('time and signals suggest more time or cores; a depth-first search is not told to go depth-first', (t) => {
  t.true(tries({ ...base, cause: 'max-seconds', maxSeconds: 5 }).includes('--max-seconds 20'));
  t.true(tries({ ...base, cause: 'interrupted' }).includes('--jobs auto'));
  t.false(tries({ ...base, strategy: 'dfs' }).some((s) => s.startsWith('--strategy dfs')));
  t.true(tries({ ...base, por: false }).includes('drop --no-por / --no-symmetry'));
  t.false(tries({ ...base, bitstateBits: 24 }).includes('--bitstate 30'));
});

test('a depth bound suggests a deeper one; walks and bitstate suggest an exhaustive search', (t) => {
  const cut = guidance({ ...base, cause: 'max-depth', maxDepth: 8, depthCut: 12, strategy: 'dfs' });
  t.is(cut.covered, '100000 states, depth 11 reached, 12 states at depth 8 not expanded');
  t.deepEqual(
    cut.suggestions.map((s) => s.try),
    ['--max-depth 16', '--strategy bfs', '--strategy swarm'],
  );
  const swarm = guidance({ ...base, cause: 'swarm', walks: 50, depth: 30 });
  t.is(swarm.covered, '50 random walks, 100000 distinct states, paths up to 30 steps');
  t.true(swarm.suggestions.some((s) => s.try.startsWith('--walks')));
  t.true(tries({ ...base, cause: 'bitstate', bitstateBits: 20 }).includes('--bitstate 24'));
});

test('the estimate: shrinking levels or a depth bound give one, growing levels without a bound none', (t) => {
  const at = { expanded: 1000, seconds: 1, levelLeft: 100, level: 200, previousLevel: 400, levelsLeft: Infinity };
  // r = 1/2: the later levels hold 200 states; 300 states left at 1000 states/s
  t.is(estimateSecondsLeft(at), 0.3);
  t.is(estimateSecondsLeft({ ...at, previousLevel: 100 }), undefined);
  // r = 2 with 2 levels left: 400 + 800 more
  t.is(estimateSecondsLeft({ ...at, previousLevel: 100, levelsLeft: 2 }), 1.3);
  t.is(estimateSecondsLeft({ ...at, previousLevel: 200, levelsLeft: 3 }), 0.7);
  t.is(estimateSecondsLeft({ ...at, levelsLeft: 0 }), 0.1);
  t.is(estimateSecondsLeft({ ...at, previousLevel: 0 }), undefined);
});

test('path syntax: THREAD.CHOICE steps joined by ":", the empty path, and what is malformed', (t) => {
  t.deepEqual(parsePath('0.0:1.2:0.1'), [0, (1 << 16) | 2, 1]);
  t.deepEqual(parsePath(''), []);
  t.deepEqual(parsePath(' 3.0 '), [3 << 16]);
  t.regex(parsePath('0.0::1.0') as string, /step 2 of the path is ""/);
  t.regex(parsePath('0-0') as string, /not THREAD.CHOICE/);
  t.regex(parsePath('1.99999') as string, /out of range/);
});
