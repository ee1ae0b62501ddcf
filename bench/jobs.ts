// --jobs 2 against one job on models of a million states and more, measured side by side: the runs alternate
// (one job, two jobs, one job, ...) so that a change in the machine's load falls on both; medians of ROUNDS.
// Prints Markdown; --write puts it into bench/RESULTS.md as its last section (bench/run.ts keeps it, it keeps
// everything from "## Notes" on).
// Run: npm run build && npx ts-node bench/jobs.ts [--rounds 3] [--write]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, runLockcheck, ToolRun } from './tools';

const UNREDUCED = ['--no-por', '--no-symmetry', '--no-dead-vars'];
const INSTANCES: { name: string; spec: string; params: Record<string, number>; flags: string[] }[] = [
  { name: 'rtnl_nets sorted N=3 P=3, every reduction off', spec: 'specs/bench/scale-sorted.json', params: { N: 3, P: 3 }, flags: UNREDUCED },
  { name: 'rtnl_nets unsorted N=3 P=3, every reduction off', spec: 'specs/bench/scale-unsorted.json', params: { N: 3, P: 3 }, flags: UNREDUCED },
  { name: 'rtnl_nets sorted N=4 P=3, symmetry only', spec: 'specs/bench/scale-sorted.json', params: { N: 4, P: 3 }, flags: ['--no-por', '--no-dead-vars'] },
];
const arg = (name: string, d: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : d;
};
const ROUNDS = Number(arg('rounds', '3'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function main() {
  const load0 = os.loadavg()[0];
  const lines = [
    '## Parallel search (`bench/jobs.ts`)',
    '',
    `Produced by \`npx ts-node bench/jobs.ts --write\` on ${os.cpus().length} cores, load average ${f(load0, 1)} at the start; ` +
      `one job and \`--jobs 2\` alternate, ${ROUNDS} rounds, medians. The workers share one visited set, so both store the same states.`,
    '',
    '| model | states | transitions | 1 job wall s | 1 job CPU s | 2 jobs wall s | 2 jobs CPU s | speedup (wall) | 1 job RSS MiB | 2 jobs RSS MiB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const m of INSTANCES) {
    const one: ToolRun[] = [];
    const two: ToolRun[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      one.push(runLockcheck(m.spec, m.params, m.flags));
      two.push(runLockcheck(m.spec, m.params, [...m.flags, '--jobs', '2']));
      process.stderr.write(`${m.name}: round ${r + 1}: ${one[r].total.wall.toFixed(2)} s / ${two[r].total.wall.toFixed(2)} s\n`);
    }
    if (one.some((x) => x.states !== one[0].states || x.transitions !== one[0].transitions) || two.some((x) => x.states !== one[0].states))
      throw new Error(`${m.name}: the state counts differ between runs or between one and two jobs`);
    const w1 = median(one.map((x) => x.total.wall));
    const w2 = median(two.map((x) => x.total.wall));
    lines.push(
      `| ${m.name} | ${f(one[0].states)} | ${f(one[0].transitions)} | ${f(w1, 2)} | ${f(median(one.map((x) => x.total.cpu)), 2)} | ${f(w2, 2)} | ${f(median(two.map((x) => x.total.cpu)), 2)} | ${f(w1 / w2, 2)}x | ${f(median(one.map((x) => x.total.rssKiB)) / 1024)} | ${f(median(two.map((x) => x.total.rssKiB)) / 1024)} |`,
    );
  }
  lines.push('', `Load average at the end ${f(os.loadavg()[0], 1)}.`, '');
  const md = lines.join('\n');
  process.stdout.write(md);
  if (process.argv.includes('--write')) {
    const file = path.join(ROOT, 'bench', 'RESULTS.md');
    const old = fs.readFileSync(file, 'utf8');
    const at = old.indexOf('\n## Parallel search');
    fs.writeFileSync(file, (at >= 0 ? old.slice(0, at) : old.trimEnd() + '\n') + '\n' + md);
  }
}

main();
