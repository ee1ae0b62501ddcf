// Side-by-side benchmark: each lockcheck spec against its Promela twin, both run in this one process
// invocation, on the same machine. SPIN's time counts spin -a, gcc -O2 and ./pan. Prints a Markdown table
// (and writes it to bench/RESULTS.md with --write). Installs Debian's spin when it is missing.
// Run: npm run build && npx ts-node bench/run.ts [--quick] [--write]
// With --largest (slow: several minutes): for P = 2 and 3 writers, grow N until a search no longer finishes
// in 60 s, for lockcheck and for SPIN (compile and verify), and report the largest instance each finished.
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
  /** SPIN: ./pan alone, without spin -a and gcc */
  verifySeconds?: number;
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

const PAN_DEPTH = 100000;

function ensureSpin() {
  if (spawnSync('which', ['spin']).status === 0) return;
  process.stderr.write('installing spin (Debian package)...\n');
  execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq spin'], { stdio: 'inherit' });
}

/** SPIN on a pair; with a time limit, undefined when spin -a, gcc and pan together take longer. */
function runSpin(p: Pair, limitSeconds?: number): Run | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-bench-'));
  const defs = Object.entries(p.defines ?? {}).map(([k, v]) => `-D${k}=${v}`);
  const t0 = process.hrtime.bigint();
  execFileSync('spin', ['-a', ...defs, path.join(ROOT, p.pml)], { cwd: dir, stdio: 'pipe' });
  execFileSync('gcc', ['-O2', '-DSAFETY', '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'pipe' });
  const left = limitSeconds === undefined ? undefined : Math.max(1, limitSeconds - Number(process.hrtime.bigint() - t0) / 1e9);
  const t1 = process.hrtime.bigint();
  // -m: the depth stack; pan allocates all of it up front (-m100000000 costs 10 s and 5 GB before the search),
  // so it is sized to these models, and a search that outgrows it is an error below, not a silent cut
  const pan = spawnSync('./pan', [`-m${PAN_DEPTH}`, '-c0'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: left === undefined ? undefined : Math.round(left * 1000),
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const verifySeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  fs.rmSync(dir, { recursive: true, force: true });
  if (pan.signal) return undefined;
  const out = pan.stdout;
  if (/max search depth too small/.test(out)) throw new Error(`${p.name}: pan -m${PAN_DEPTH} is too small a depth`);
  const num = (re: RegExp) => Number((re.exec(out) ?? [])[1] ?? NaN);
  const states = num(/(\d+) states, stored/);
  const errors = num(/errors: (\d+)/);
  const memMB = num(/([\d.]+)\s+equivalent memory usage for states/);
  return {
    verdict: errors > 0 && /invalid end state/.test(out) ? 'deadlock' : errors > 0 ? 'error' : 'no deadlock',
    states,
    transitions: num(/(\d+) transitions/),
    seconds,
    verifySeconds,
    bytesPerState: (memMB * 1024 * 1024) / states,
  };
}

/** lockcheck on a pair; with a time limit, undefined when the search does not finish in it. */
function runLockcheck(p: Pair, limitSeconds?: number): Run | undefined {
  const limit = limitSeconds === undefined ? [] : ['--max-seconds', String(limitSeconds)];
  const args = [
    'bin/lockcheck.js',
    'check',
    '--format',
    'json',
    ...limit,
    ...Object.entries(p.params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
    p.spec,
  ];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const res = JSON.parse(r.stdout).results[0];
  if (res.verdict === 'incomplete') return undefined;
  return {
    verdict: res.findings.some((f: { kind: string }) => f.kind === 'deadlock') ? 'deadlock' : 'no deadlock',
    states: res.stats.states,
    transitions: res.stats.transitions,
    seconds,
    bytesPerState: res.stats.bytesPerState,
  };
}

const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '?');

/** The largest scale instances (by N, for P = 2 and 3) that each tool finishes within the limit. */
function largest(limitSeconds: number): string {
  const lines = [
    `## The largest instance finished in ${limitSeconds} s`,
    '',
    `Sorted writers (no deadlock: the whole space must be searched). N grows until a search takes longer than ${limitSeconds} s; SPIN's time counts spin -a, gcc and pan.`,
    '',
  ];
  lines.push('| writers | lockcheck: largest N, states, seconds | SPIN: largest N, states, seconds |', '|---|---|---|');
  for (const P of [2, 3]) {
    const best: Record<'lc' | 'spin', string> = { lc: 'none', spin: 'none' };
    for (const tool of ['lc', 'spin'] as const) {
      for (let N = 3; N <= 16; N++) {
        const pair = scale(true, N, P);
        const r = tool === 'lc' ? runLockcheck(pair, limitSeconds) : runSpin(pair, limitSeconds);
        process.stderr.write(`largest: ${tool} N=${N} P=${P}: ${r ? `${r.states} states, ${r.seconds.toFixed(1)} s` : 'did not finish'}\n`);
        if (!r || r.seconds > limitSeconds) break;
        best[tool] = `N=${N}: ${f(r.states)} states, ${f(r.seconds, 1)} s`;
      }
    }
    lines.push(`| P=${P} | ${best.lc} | ${best.spin} |`);
  }
  return lines.join('\n') + '\n';
}

function main() {
  ensureSpin();
  if (process.argv.includes('--largest')) {
    const section = largest(60);
    process.stdout.write(section);
    if (process.argv.includes('--write')) {
      const file = path.join(ROOT, 'bench', 'RESULTS.md');
      const old = fs.readFileSync(file, 'utf8');
      const start = old.indexOf('\n## The largest instance');
      const end = old.indexOf('\n## ', start + 1);
      const kept = start < 0 ? old.replace('\n## Notes', `\n${section}\n## Notes`) : old.slice(0, start + 1) + section + (end < 0 ? '' : old.slice(end));
      fs.writeFileSync(file, kept);
    }
    return;
  }
  const rows: string[] = [];
  // a first compile warms the disk cache and gcc up, so that it does not count against the first pair
  runSpin(PAIRS[0]);
  rows.push(
    '| model | verdict (lockcheck / SPIN) | states stored (lc / SPIN) | ratio | transitions (lc / SPIN) | seconds (lc / SPIN) | ratio | SPIN: pan alone (s) | states/s (lc / SPIN pan) | bytes/state (lc / SPIN) |',
  );
  rows.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const p of PAIRS) {
    const lc = runLockcheck(p)!;
    const sp = runSpin(p)!;
    const agree = lc.verdict === sp.verdict ? '' : ' **DIFFER**';
    rows.push(
      `| ${p.name} | ${lc.verdict} / ${sp.verdict}${agree} | ${f(lc.states)} / ${f(sp.states)} | ${f(lc.states / sp.states, 3)} | ${f(lc.transitions)} / ${f(sp.transitions)} | ${f(lc.seconds, 2)} / ${f(sp.seconds, 2)} | ${f(lc.seconds / sp.seconds, 2)} | ${f(sp.verifySeconds ?? NaN, 2)} | ${f(lc.states / lc.seconds)} / ${f(sp.states / (sp.verifySeconds ?? NaN))} | ${f(lc.bytesPerState, 1)} / ${f(sp.bytesPerState, 1)} |`,
    );
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  const table = rows.join('\n');
  process.stdout.write(table + '\n');
  if (process.argv.includes('--write')) {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const spin = spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim();
    const header = `lockcheck's seconds are the whole \`lockcheck check\` process (Node start-up included); SPIN's count spin -a, gcc and ./pan, with ./pan alone beside them. Produced by \`npm run build && npx ts-node bench/run.ts${quick ? ' --quick' : ''} --write\` on ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${spin}, gcc -O2 -DSAFETY, pan -m${PAN_DEPTH} -c0 (SPIN's partial-order reduction on, the default).`;
    const file = path.join(ROOT, 'bench', 'RESULTS.md');
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const keep = old.indexOf('\n## The largest instance') >= 0 ? old.indexOf('\n## The largest instance') : old.indexOf('\n## Notes');
    const notes = keep >= 0 ? old.slice(keep) : '\n## Notes\n';
    fs.writeFileSync(file, `# Benchmarks: lockcheck against SPIN\n\n${header}\n\n${table}\n${notes}`);
  }
}

main();
