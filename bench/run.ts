// Side-by-side benchmark: each lockcheck spec against its Promela twin, both run in this one process
// invocation, on the same machine. SPIN's time counts spin -a, gcc -O2 and ./pan. Prints a Markdown table
// (and writes it to bench/RESULTS.md with --write). Installs Debian's spin when it is missing.
// Run: npm run build && npx ts-node bench/run.ts [--quick] [--write]
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

interface Pair {
  name: string;
  spec: string;
  params?: Record<string, number>;
  pml: string;
  defines?: Record<string, number>;
  note?: string;
}

interface Run {
  verdict: string;
  states: number;
  transitions: number;
  seconds: number;
  bytesPerState: number;
}

const scale = (sorted: boolean, N: number, P: number): Pair => ({
  name: `rtnl_nets ${sorted ? 'sorted' : 'unsorted'} N=${N} P=${P}`,
  spec: `specs/bench/scale-${sorted ? 'sorted' : 'unsorted'}.json`,
  params: { N, P },
  pml: 'bench/promela/rtnl_nets.pml',
  defines: { N, P, SORTED: sorted ? 1 : 0 },
});

const quick = process.argv.includes('--quick');
const PAIRS: Pair[] = [
  scale(true, 3, 2),
  scale(false, 3, 2),
  scale(true, 4, 2),
  scale(false, 4, 2),
  scale(true, 3, 3),
  scale(false, 3, 3),
  ...(quick ? [] : [scale(true, 5, 2), scale(true, 4, 3)]),
  { name: 'macvlan broken', spec: 'specs/kernel/macvlan-unregister-broken.json', pml: 'bench/promela/macvlan.pml', defines: { FIXED: 0 } },
  { name: 'macvlan fixed', spec: 'specs/kernel/macvlan-unregister-fixed.json', pml: 'bench/promela/macvlan.pml', defines: { FIXED: 1 } },
  { name: 'exit batch unregister', spec: 'specs/kernel/exit-batch-unregister.json', pml: 'bench/promela/exit_batch.pml' },
];

function ensureSpin() {
  if (spawnSync('which', ['spin']).status === 0) return;
  process.stderr.write('installing spin (Debian package)...\n');
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin'], { stdio: 'inherit' });
}

function runSpin(p: Pair): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-bench-'));
  const defs = Object.entries(p.defines ?? {}).map(([k, v]) => `-D${k}=${v}`);
  const t0 = process.hrtime.bigint();
  execFileSync('spin', ['-a', ...defs, path.join(ROOT, p.pml)], { cwd: dir, stdio: 'pipe' });
  execFileSync('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'pipe' });
  const out = spawnSync('./pan', ['-m100000000', '-c0'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.rmSync(dir, { recursive: true, force: true });
  const num = (re: RegExp) => Number((re.exec(out) ?? [])[1] ?? NaN);
  const states = num(/(\d+) states, stored/);
  const errors = num(/errors: (\d+)/);
  const memMB = num(/([\d.]+)\s+equivalent memory usage for states/);
  return {
    verdict: errors > 0 && /invalid end state/.test(out) ? 'deadlock' : errors > 0 ? 'error' : 'no deadlock',
    states,
    transitions: num(/(\d+) transitions/),
    seconds,
    bytesPerState: (memMB * 1024 * 1024) / states,
  };
}

function runLockcheck(p: Pair): Run {
  const args = ['bin/lockcheck.js', 'check', '--format', 'json', ...Object.entries(p.params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]), p.spec];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = JSON.parse(r.stdout).results[0];
  return {
    verdict: res.findings.some((f: { kind: string }) => f.kind === 'deadlock') ? 'deadlock' : 'no deadlock',
    states: res.stats.states,
    transitions: res.stats.transitions,
    seconds,
    bytesPerState: res.stats.bytesPerState,
  };
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '?');

function main() {
  ensureSpin();
  const rows: string[] = [];
  rows.push('| model | verdict (lockcheck / SPIN) | states stored (lc / SPIN) | ratio | transitions (lc / SPIN) | seconds (lc / SPIN) | ratio | states/s (lc / SPIN) | bytes/state (lc / SPIN) |');
  rows.push('|---|---|---|---|---|---|---|---|---|');
  for (const p of PAIRS) {
    const lc = runLockcheck(p);
    const sp = runSpin(p);
    const agree = lc.verdict === sp.verdict ? '' : ' **DIFFER**';
    rows.push(
      `| ${p.name} | ${lc.verdict} / ${sp.verdict}${agree} | ${f(lc.states)} / ${f(sp.states)} | ${f(lc.states / sp.states, 3)} | ${f(lc.transitions)} / ${f(sp.transitions)} | ${f(lc.seconds, 2)} / ${f(sp.seconds, 2)} | ${f(lc.seconds / sp.seconds, 2)} | ${f(lc.states / lc.seconds)} / ${f(sp.states / sp.seconds)} | ${f(lc.bytesPerState, 1)} / ${f(sp.bytesPerState, 1)} |`,
    );
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  const table = rows.join('\n');
  process.stdout.write(table + '\n');
  if (process.argv.includes('--write')) {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const spin = spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim();
    const header = `Produced by \`npm run build && npx ts-node bench/run.ts${quick ? ' --quick' : ''} --write\` on ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${spin}, gcc -O2 -DSAFETY, pan -m100000000 -c0 (SPIN's partial-order reduction on, the default).`;
    const file = path.join(ROOT, 'bench', 'RESULTS.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const notes = old.includes('\n## Notes') ? old.slice(old.indexOf('\n## Notes')) : '\n## Notes\n';
    fs.writeFileSync(file, `# Benchmarks: lockcheck against SPIN\n\n${header}\n\n${table}\n${notes}`);
  }
}

main();
