// The benchmark's twins stay step for step (bench/run.ts refuses a pair otherwise): on the frozen kernel specs
// (bench/models/kernel/) and on small instances of the rtnl_nets scale family, pan without its reduction stores lockcheck's unreduced count (--no-por
// --no-symmetry), and Rumur (scalarset symmetry, no POR) stores lockcheck's --no-por count, with the same
// deadlock verdicts. A change to either side's semantics, or to a twin, that breaks the state-for-state
// correspondence fails here. Needs spin, rumur, gcc and GNU time; without them the checks are skipped, except
// under CI=true, where that is a failure.
import test from 'ava';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { rtnlNetsMurphi } from '../../bench/murphi/murphi';
import { TIME } from '../../bench/measure';
import { Counted, parsePanStats, parseRumur, ROOT, rumurTwinAgrees, runRumur, runSpin, spinTwinAgrees } from '../../bench/tools';
import { checkFile } from '../../checker/pipeline';
import { nodeHost } from '../../checker/spec/host';

const INSTANCES = [
  { N: 3, P: 2, sorted: true },
  { N: 3, P: 2, sorted: false },
  { N: 2, P: 3, sorted: true },
];

// spin reads a model from stdin when it is given none: its version flag is -V, and stdin is closed
const VERSION: [string, string][] = [
  ['spin', '-V'],
  ['rumur', '--version'],
  ['gcc', '--version'],
];
const missing = VERSION.filter(([c, v]) => spawnSync(c, [v], { stdio: 'ignore', timeout: 10_000 }).error)
  .map(([c]) => c)
  .concat(fs.existsSync(TIME) ? [] : [TIME]);
const ready = missing.length === 0;

function lockcheck(sorted: boolean, N: number, P: number, reductions: { por: boolean; symmetry: boolean }): Counted {
  const spec = path.join(ROOT, 'specs', 'bench', `scale-${sorted ? 'sorted' : 'unsorted'}.json`);
  // the twins keep dead variables (the reset twin aside): so does lockcheck here
  const r = checkFile(nodeHost, spec, { params: { N, P }, ...reductions, deadVariables: false });
  if (r.verdict === 'error' || r.verdict === 'incomplete' || !r.stats) throw new Error(`lockcheck: ${r.verdict}`);
  return { verdict: r.findings.some((f) => f.kind === 'deadlock') ? 'deadlock' : 'no deadlock', states: r.stats.states };
}

for (const { N, P, sorted } of INSTANCES) {
  const name = `rtnl_nets ${sorted ? 'sorted' : 'unsorted'} N=${N} P=${P}`;
  const t = ready ? test : process.env.CI === 'true' ? test : test.skip;

  t(`${name}: pan -DNOREDUCE stores lockcheck's unreduced count`, (tt) => {
    tt.timeout(600_000); // pan and gcc on a busy CI machine
    if (!ready) return tt.fail(`missing: ${missing.join(', ')}`);
    const lc = lockcheck(sorted, N, P, { por: false, symmetry: false });
    const pan = runSpin('bench/promela/rtnl_nets.pml', {
      defines: { N, P, SORTED: sorted ? 1 : 0, RESET_DEAD: 0 },
      noReduce: true,
      hashBits: 18,
      depth: 10000,
    });
    const a = spinTwinAgrees(lc, pan, 0);
    tt.true(a.agree, a.detail);
  });

  t(`${name}: Rumur with scalarset symmetry stores lockcheck's --no-por count`, (tt) => {
    tt.timeout(600_000); // pan and gcc on a busy CI machine
    if (!ready) return tt.fail(`missing: ${missing.join(', ')}`);
    const lc = lockcheck(sorted, N, P, { por: false, symmetry: true });
    const rumur = runRumur(rtnlNetsMurphi({ N, P, sorted }));
    const a = rumurTwinAgrees(lc, rumur);
    tt.true(a.agree, a.detail);
  });
}

/** the frozen kernel specs and their Promela twins (no symmetry to fold: one thread of each kind) */
const KERNEL: { spec: string; pml: string; defines: Record<string, number> }[] = [
  { spec: 'macvlan-unregister-broken', pml: 'macvlan.pml', defines: { FIXED: 0 } },
  { spec: 'macvlan-unregister-fixed', pml: 'macvlan.pml', defines: { FIXED: 1 } },
  { spec: 'exit-batch-unregister', pml: 'exit_batch.pml', defines: {} },
];

for (const k of KERNEL) {
  const t = ready ? test : process.env.CI === 'true' ? test : test.skip;
  t(`${k.spec}: pan -DNOREDUCE stores lockcheck's unreduced count`, (tt) => {
    tt.timeout(600_000); // pan and gcc on a busy CI machine
    if (!ready) return tt.fail(`missing: ${missing.join(', ')}`);
    const r = checkFile(nodeHost, path.join(ROOT, 'bench', 'models', 'kernel', `${k.spec}.json`), { por: false, symmetry: false, deadVariables: false });
    if (r.verdict === 'error' || r.verdict === 'incomplete' || !r.stats) return tt.fail(`lockcheck: ${r.verdict}`);
    const lc: Counted = { verdict: r.findings.some((f) => f.kind === 'deadlock') ? 'deadlock' : 'no deadlock', states: r.stats.states };
    const pan = runSpin(`bench/promela/${k.pml}`, { defines: k.defines, noReduce: true, hashBits: 16, depth: 10000 });
    const a = spinTwinAgrees(lc, pan, 0);
    tt.true(a.agree, a.detail);
  });
}

test('the parsers read a deadlock, a clean search and a cut search', (t) => {
  const pan = (errors: number, extra = '') =>
    `${extra}State-vector 48 byte, depth reached 34, errors: ${errors}\n    18925 states, stored\n    33721 transitions (= stored+matched)\n`;
  t.deepEqual(parsePanStats(pan(0)), { verdict: 'no deadlock', states: 18925, transitions: 33721, errors: 0 });
  t.is(parsePanStats(pan(3, 'pan:1: invalid end state (at depth 9)\n')).verdict, 'deadlock');
  t.throws(() => parsePanStats(pan(1, 'pan:1: assertion violated 0\n')));
  t.throws(() => parsePanStats(pan(0, 'error: max search depth too small\n')));
  t.is(parseRumur('Status:\n\n\tNo error found.\n\n\t9496 states, 17304 rules fired in 1s.\n').states, 9496);
  t.is(parseRumur('\tdeadlock\n\t9361 states, 17034 rules fired in 1s.\n').verdict, 'deadlock');
  t.false(spinTwinAgrees({ verdict: 'deadlock', states: 10 }, { verdict: 'deadlock', states: 11 }, 0).agree);
  t.true(spinTwinAgrees({ verdict: 'deadlock', states: 10 }, { verdict: 'deadlock', states: 11 }, 1).agree);
  t.false(rumurTwinAgrees({ verdict: 'deadlock', states: 10 }, { verdict: 'no deadlock', states: 10 }).agree);
});
