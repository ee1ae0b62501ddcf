// Start-up benchmark: the fixed cost of a `lockcheck check` process. Runs `node -e 0`, lockcheck on a tiny spec
// and lockcheck --help in one interleaved loop (so that the noise of a shared machine hits each alike) and prints
// each one's median wall time, and the tiny spec's over `node -e 0`; then the bundled specs checked one process
// each and all in one process (medians too). Needs the build (dist/).
// With --against DIR, the same runs of the lockcheck built in DIR (another checkout) go into the same loops.
// Run: npm run build && npx ts-node bench/startup.ts [--runs 20] [--batch-runs 3] [--spec specs/...json] [--against DIR]
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'lockcheck.js');
const TINY = 'specs/conformance/p01-aa-spin.json';
/** The bundled specs of the issue's "47 specs" figure: every spec of these folders but not their subfolders. */
const BATCH_DIRS = ['specs/bench', 'specs/conformance', 'specs/kernel', 'specs/rtnl'];

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(name);
  return k >= 0 && k + 1 < process.argv.length ? process.argv[k + 1] : fallback;
}

/** Wall seconds of one process; a failed start (not an exit code the CLI gives) stops the benchmark. */
function timed(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error || r.status === null || r.status > 3) throw new Error(`node ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status}`}\n${r.stderr}`);
  return s;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (s: number) => `${s.toFixed(3)} s`;

function main() {
  const runs = Number(arg('--runs', '20'));
  const batchRuns = Number(arg('--batch-runs', '3'));
  const spec = arg('--spec', TINY);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'checker', 'cli', 'main.js'))) throw new Error('not built: run `npm run build` first');

  const against = process.argv.includes('--against') ? path.resolve(arg('--against', '.'), 'bin', 'lockcheck.js') : undefined;
  const clis: [string, string][] = [['lockcheck', CLI], ...(against ? [[`${path.dirname(path.dirname(against))}:`, against] as [string, string]] : [])];
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    ...clis.flatMap(([name, cli]): [string, string[]][] => [
      [`${name} check ${spec}`, [cli, 'check', '--no-traces', spec]],
      [`${name} --help`, [cli, '--help']],
    ]),
  ];
  const times = cases.map(() => [] as number[]);
  for (let k = 0; k < runs; k++) cases.forEach(([, args], i) => times[i].push(timed(args)));
  const base = median(times[0]);
  console.log(`${runs} runs each, interleaved; median wall time (min-max):`);
  cases.forEach(([name], i) => {
    const m = median(times[i]);
    const extra = i === 0 ? '' : `  (+${fmt(m - base)} over node -e 0)`;
    console.log(`  ${name.padEnd(52)} ${fmt(m)} (${fmt(Math.min(...times[i]))}-${fmt(Math.max(...times[i]))})${extra}`);
  });

  if (batchRuns <= 0) return;
  const files = BATCH_DIRS.flatMap((d) =>
    fs
      .readdirSync(path.join(ROOT, d))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => `${d}/${f}`),
  );
  const each = clis.map(() => [] as number[]);
  const one = clis.map(() => [] as number[]);
  for (let k = 0; k < batchRuns; k++)
    clis.forEach(([, cli], i) => {
      each[i].push(files.reduce((a, f) => a + timed([cli, 'check', '--no-traces', f]), 0));
      one[i].push(timed([cli, 'check', '--no-traces', ...files]));
    });
  console.log(`${files.length} bundled specs (${BATCH_DIRS.join(', ')}), ${batchRuns} runs, median:`);
  clis.forEach(([name], i) => {
    console.log(`  ${name} one process each   ${fmt(median(each[i]))}`);
    console.log(`  ${name} all in one process ${fmt(median(one[i]))}`);
  });
}

main();
