// Side-by-side benchmark of lockcheck, SPIN and Rumur, all in this one run on the same machine, every time and
// memory figure from the OS (bench/measure.ts). A pair is reported only when its twin is step for step: pan
// without its reduction (-DNOREDUCE) must store lockcheck's unreduced count (--no-por --no-symmetry --no-dead-vars), and
// Rumur (symmetry on, no POR, no dead-variable reduction) lockcheck's --no-por --no-dead-vars count; a pair that fails is listed as refused, with both counts.
// Prints Markdown; --write puts it into bench/RESULTS.md, keeping the hand-written Notes section.
// Run: npm run build && npx ts-node bench/run.ts [--quick] [--write] [--save raw.json | --from raw.json]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { rtnlNetsMurphi } from './murphi/murphi';
import { Agreement, hashBitsFor, ROOT, rumurTwinAgrees, runLockcheck, runRumur, runSpin, spinTwinAgrees, ToolRun } from './tools';

/** pan's depth stack: every twin here is loop free and at most ~60 steps deep (atomic steps included) */
const PAN_DEPTH = 10000;

interface RtnlNets {
  kind: 'rtnl_nets';
  name: string;
  N: number;
  P: number;
  sorted: boolean;
}

interface Kernel {
  kind: 'kernel';
  name: string;
  spec: string;
  pml: string;
  defines: Record<string, number>;
}

type Model = RtnlNets | Kernel;

const scale = (sorted: boolean, N: number, P: number): RtnlNets => ({
  kind: 'rtnl_nets',
  name: `rtnl_nets ${sorted ? 'sorted' : 'unsorted'} N=${N} P=${P}`,
  N,
  P,
  sorted,
});

const kernel = (name: string, spec: string, pml: string, defines: Record<string, number> = {}): Kernel => ({ kind: 'kernel', name, spec, pml, defines });

const quick = process.argv.includes('--quick');
const MODELS: Model[] = [
  scale(true, 3, 2),
  scale(false, 3, 2),
  ...(quick ? [] : [scale(true, 4, 2), scale(false, 4, 2)]),
  scale(true, 3, 3),
  ...(quick ? [] : [scale(false, 3, 3), scale(true, 5, 2), scale(true, 4, 3)]),
  kernel('macvlan broken', 'bench/models/kernel/macvlan-unregister-broken.json', 'bench/promela/macvlan.pml', { FIXED: 0 }),
  kernel('macvlan fixed', 'bench/models/kernel/macvlan-unregister-fixed.json', 'bench/promela/macvlan.pml', { FIXED: 1 }),
  kernel('exit batch unregister', 'bench/models/kernel/exit-batch-unregister.json', 'bench/promela/exit_batch.pml'),
];
/** the instance of the goals on the engine's rate and on --jobs 2 */
const GOAL_INSTANCE = quick ? 'rtnl_nets sorted N=3 P=3' : 'rtnl_nets sorted N=4 P=3';

interface Row {
  config: string;
  run: ToolRun;
}

interface Result {
  model: Model;
  rows: Row[];
  /** the equality checks the rows rest on */
  checks: Agreement[];
  refused?: string;
}

const SPEC = (m: RtnlNets) => `specs/bench/scale-${m.sorted ? 'sorted' : 'unsorted'}.json`;
const PML = 'bench/promela/rtnl_nets.pml';

function progress(text: string) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}

function benchRtnlNets(m: RtnlNets): Result {
  const params = { N: m.N, P: m.P };
  const spec = SPEC(m);
  const defines = { N: m.N, P: m.P, SORTED: m.sorted ? 1 : 0 };
  const rows: Row[] = [];
  const add = (config: string, run: ToolRun) => {
    rows.push({ config, run });
    progress(`${m.name}: ${config}: ${run.states} states, ${run.total.cpu.toFixed(2)} s CPU`);
    return run;
  };
  const unreduced = add('lockcheck --no-por --no-symmetry --no-dead-vars', runLockcheck(spec, params, ['--no-por', '--no-symmetry', '--no-dead-vars']));
  const noPor = add('lockcheck --no-por --no-dead-vars (symmetry only)', runLockcheck(spec, params, ['--no-por', '--no-dead-vars']));
  add('lockcheck --no-por --no-symmetry (dead variables only)', runLockcheck(spec, params, ['--no-por', '--no-symmetry']));
  add('lockcheck (default: POR + symmetry + dead variables)', runLockcheck(spec, params));
  if (m.name === GOAL_INSTANCE) add('lockcheck --jobs 2', runLockcheck(spec, params, ['--jobs', '2']));
  const bits = hashBitsFor(unreduced.states);
  const spinNR = add(
    'SPIN -DNOREDUCE (equality check)',
    runSpin(PML, { defines: { ...defines, RESET_DEAD: 0 }, noReduce: true, hashBits: bits, depth: PAN_DEPTH }),
  );
  const checks = [spinTwinAgrees(unreduced, spinNR, 0)];
  if (!checks[0].agree) return { model: m, rows, checks, refused: checks[0].detail };
  add('SPIN POR, step-for-step twin', runSpin(PML, { defines: { ...defines, RESET_DEAD: 0 }, hashBits: bits, depth: PAN_DEPTH }));
  // the dead-variable twin stores far fewer states: a small probe sizes its hash table
  const reset = { ...defines, RESET_DEAD: 1 };
  const probe = runSpin(PML, { defines: reset, hashBits: 18, depth: PAN_DEPTH });
  add('SPIN POR, twin resetting dead picks (SPIN at its best)', runSpin(PML, { defines: reset, hashBits: hashBitsFor(probe.states), depth: PAN_DEPTH }));
  const rumur = add('Rumur (scalarset symmetry)', runRumur(rtnlNetsMurphi({ N: m.N, P: m.P, sorted: m.sorted })));
  checks.push(rumurTwinAgrees(noPor, rumur));
  if (!checks[1].agree) return { model: m, rows, checks, refused: checks[1].detail };
  return { model: m, rows, checks };
}

function benchKernel(m: Kernel): Result {
  const rows: Row[] = [];
  const unreduced = runLockcheck(m.spec, {}, ['--no-por', '--no-symmetry', '--no-dead-vars']);
  rows.push({ config: 'lockcheck --no-por --no-symmetry --no-dead-vars', run: unreduced });
  rows.push({ config: 'lockcheck (default)', run: runLockcheck(m.spec, {}) });
  const bits = hashBitsFor(unreduced.states);
  const nr = runSpin(m.pml, { defines: m.defines, noReduce: true, hashBits: bits, depth: PAN_DEPTH });
  rows.push({ config: 'SPIN -DNOREDUCE (equality check)', run: nr });
  const checks = [spinTwinAgrees(unreduced, nr, 0)];
  progress(`${m.name}: ${checks[0].detail}`);
  if (!checks[0].agree) return { model: m, rows, checks, refused: checks[0].detail };
  rows.push({ config: 'SPIN POR', run: runSpin(m.pml, { defines: m.defines, hashBits: bits, depth: PAN_DEPTH }) });
  return { model: m, rows, checks };
}

// ---- tables

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '-');
const s2 = (n: number | undefined) => (n === undefined ? '-' : f(n, 2));
const mib = (kib: number) => f(kib / 1024, 1);
/** GNU time counts in 10 ms: a rate over less than 50 ms of CPU would be noise */
const rate = (states: number, cpu: number) => (cpu < 0.05 ? NaN : states / cpu);

function mainTable(results: Result[]): string {
  const lines = [
    '| model | tool, settings | verdict | states | transitions | compile CPU s | search CPU s | search wall s | total CPU s | total wall s | states/s (search CPU) | peak RSS MiB | RSS bytes/state |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results.filter((x) => !x.refused)) {
    for (const { config, run } of r.rows) {
      lines.push(
        `| ${r.model.name} | ${config} | ${run.verdict} | ${f(run.states)} | ${f(run.transitions)} | ${s2(run.compile?.cpu)} | ${s2(run.verify.cpu)} | ${s2(run.verify.wall)} | ${s2(run.total.cpu)} | ${s2(run.total.wall)} | ${f(rate(run.states, run.verify.cpu))} | ${mib(run.verify.rssKiB)} | ${f((run.verify.rssKiB * 1024) / run.states, 1)} |`,
      );
    }
  }
  return lines.join('\n');
}

const row = (r: Result, prefix: string) => r.rows.find((x) => x.config.startsWith(prefix))?.run;

function ratioTable(results: Result[]): string {
  const lines = [
    '| model | states: lockcheck / SPIN at its best | states: lockcheck / Rumur | wall: lockcheck / SPIN compile+verify (best) | CPU: lockcheck / SPIN (best) | CPU: lockcheck / Rumur compile+verify | CPU: lockcheck / Rumur search | unreduced search rate: lockcheck / pan -DNOREDUCE (states per CPU s) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results.filter((x) => !x.refused && x.model.kind === 'rtnl_nets')) {
    const lc = row(r, 'lockcheck (default')!;
    const lcNone = row(r, 'lockcheck --no-por --no-symmetry --no-dead-vars')!;
    const best = row(r, 'SPIN POR, twin resetting')!;
    const nr = row(r, 'SPIN -DNOREDUCE')!;
    const rm = row(r, 'Rumur')!;
    lines.push(
      `| ${r.model.name} | ${f(lc.states / best.states, 2)} | ${f(lc.states / rm.states, 2)} | ${f(lc.total.wall / best.total.wall, 2)} | ${f(lc.total.cpu / best.total.cpu, 2)} | ${f(lc.total.cpu / rm.total.cpu, 2)} | ${f(lc.total.cpu / rm.verify.cpu, 2)} | ${f(rate(lcNone.states, lcNone.verify.cpu) / rate(nr.states, nr.verify.cpu), 3)} |`,
    );
  }
  return lines.join('\n');
}

function checksTable(results: Result[]): string {
  const lines = ['| model | equality check | holds |', '|---|---|---|'];
  for (const r of results) for (const c of r.checks) lines.push(`| ${r.model.name} | ${c.detail} | ${c.agree ? 'yes' : '**no: pair refused**'} |`);
  return lines.join('\n');
}

function goals(results: Result[]): string {
  const nets = results.filter((x) => !x.refused && x.model.kind === 'rtnl_nets');
  const faster = nets.map((r) => ({ name: r.model.name, lc: row(r, 'lockcheck (default')!.total.wall, spin: row(r, 'SPIN POR, twin resetting')!.total.wall }));
  const fewer = nets.map((r) => ({ name: r.model.name, ratio: row(r, 'SPIN POR, twin resetting')!.states / row(r, 'lockcheck (default')!.states }));
  const goal = results.find((r) => r.model.name === GOAL_INSTANCE && !r.refused);
  const met = (b: boolean) => (b ? '**met**' : '**not met**');
  const out = ['## Goals', '', 'The performance issue sets these goals; each with the figure measured in this run.', ''];
  const slow = faster.filter((x) => x.lc >= x.spin);
  out.push(
    `1. On every rtnl_nets row, lockcheck's whole run shorter (wall) than SPIN's compile + verify at its best: ${met(slow.length === 0)}. ` +
      faster.map((x) => `${x.name}: ${f(x.lc, 2)} s against ${f(x.spin, 2)} s`).join('; ') +
      '.',
  );
  const few = fewer.filter((x) => x.ratio < 10);
  out.push(
    `2. On every rtnl_nets row, at least 10x fewer states than SPIN at its best: ${met(few.length === 0)}. SPIN's states / lockcheck's: ` +
      fewer.map((x) => `${x.name}: ${f(x.ratio, 3)}`).join('; ') +
      '.',
  );
  if (goal) {
    const none = row(goal, 'lockcheck --no-por --no-symmetry --no-dead-vars')!;
    const rate = none.states / none.verify.cpu;
    out.push(
      `3. At least 1 M states/s per core on ${GOAL_INSTANCE} with reductions off: ${met(rate >= 1e6)}: ${f(rate)} states per CPU second (${f(none.states)} states, ${f(none.verify.cpu, 2)} CPU s, ${f(none.verify.wall, 2)} s wall).`,
    );
    const one = row(goal, 'lockcheck (default')!;
    const two = row(goal, 'lockcheck --jobs 2')!;
    const speedup = one.total.wall / two.total.wall;
    out.push(
      `4. \`--jobs 2\` at least 1.5x faster (wall) than one job on ${GOAL_INSTANCE}: ${met(speedup >= 1.5)}: ${f(speedup, 2)}x (${f(one.total.wall, 2)} s against ${f(two.total.wall, 2)} s; ${f(two.states)} states against ${f(one.states)}).`,
    );
  }
  return out.join('\n') + '\n';
}

function header(load: [number, number]): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const ver = (cmd: string, args: string[]) => (spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '').trim().split('\n')[0];
  return [
    `Produced by \`npm run build && npx ts-node bench/run.ts${quick ? ' --quick' : ''} --write\` in one run on ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, shared with other work (load average ${f(load[0], 1)} at the start, ${f(load[1], 1)} at the end: CPU seconds, not only wall seconds, grow when the cores are oversubscribed); Node ${process.version}, ${ver('spin', ['-V'])}, ${ver('rumur', ['--version'])}, ${ver('gcc', ['--version'])}.`,
    '',
    "Every time and memory figure is the OS's (GNU time: user+sys CPU seconds, wall seconds, peak RSS), per process; a tool's own statistics give only states and transitions. lockcheck is the whole `lockcheck check --format json` process (Node start-up included). SPIN is `spin -a`, `gcc -O2 -DSAFETY` (compile) and `./pan -m" +
      PAN_DEPTH +
      ' -w<bits> -c0 -n` (search), the hash table 2^bits sized to the model (at most half full), `-c0` so that a deadlocking model is searched whole; "SPIN at its best" is its partial-order reduction on a twin that resets the dead pick variables after the collection. Rumur is `rumur ' +
      ['--symmetry-reduction heuristic --threads 1 --deadlock-detection stuck', '--max-errors 1000000000 --counterexample-trace off'].join(' ') +
      "` and `gcc -std=c11 -O3 -mcx16` (compile) and the verifier (search). Peak RSS per state is the search process's peak RSS over the states it stored (frontier, hash table and the process's fixed size included; lockcheck's process is about 95 MiB on the smallest models: Node and its first allocations).",
    '',
  ].join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function main() {
  // --from FILE renders the tables from the measurements a run saved with --save FILE, without measuring again
  const from = arg('--from');
  const saved: { head: string; results: Result[] } | undefined = from ? JSON.parse(fs.readFileSync(from, 'utf8')) : undefined;
  const results: Result[] = saved?.results ?? [];
  const load0 = os.loadavg()[0];
  if (!saved) for (const m of MODELS) results.push(m.kind === 'rtnl_nets' ? benchRtnlNets(m) : benchKernel(m));
  const head = saved?.head ?? header([load0, os.loadavg()[0]]);
  const save = arg('--save');
  if (save) fs.writeFileSync(save, JSON.stringify({ head, results }, null, 1));
  const refused = results.filter((r) => r.refused);
  const md = [
    '# Benchmarks: lockcheck against SPIN and Rumur',
    '',
    head,
    '## Equality checks (a pair is compared only when its checks hold)',
    '',
    checksTable(results),
    '',
    refused.length ? `Refused, not compared: ${refused.map((r) => `${r.model.name} (${r.refused})`).join('; ')}.\n` : '',
    '## Measurements',
    '',
    mainTable(results),
    '',
    '## Ratios (same run)',
    '',
    ratioTable(results),
    '',
    goals(results),
  ].join('\n');
  process.stdout.write(md);
  if (process.argv.includes('--write')) {
    const file = path.join(ROOT, 'bench', 'RESULTS.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const at = old.indexOf('\n## Notes');
    fs.writeFileSync(file, md + (at >= 0 ? old.slice(at) : '\n## Notes\n'));
  }
}

main();
