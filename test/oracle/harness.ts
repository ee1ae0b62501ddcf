// Runs lockcheck (black box, one process per mode and batch) and the oracle on generated specs, and compares.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSpec, GenOptions } from './generator';
import { runOracle, OracleResult } from './oracle';

export const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'lockcheck.js');
/** Hand-checked repros live in disagreements/; a run saves what it finds elsewhere (ORACLE_SAVE_DIR or a temp dir). */
export const REPRO_DIR = path.join(__dirname, 'disagreements');
export const saveDir = () => process.env.ORACLE_SAVE_DIR || path.join(os.tmpdir(), 'lockcheck-oracle-disagreements');

export interface LcResult {
  verdict: string;
  kinds: Record<string, number>;
  maybeLonger: Set<string>;
}
export interface Mode {
  name: string;
  args: string[];
  complete: boolean;
  shards?: number;
  limit?: number;
}
export const MODES: Mode[] = [
  { name: 'default', args: [], complete: true },
  { name: 'no-por', args: ['--no-por'], complete: true },
  { name: 'no-symmetry', args: ['--no-symmetry'], complete: true },
  // every reduction off: the search the oracle's own brute force does
  { name: 'unreduced', args: ['--no-por', '--no-symmetry', '--no-dead-vars'], complete: true },
  // the reference interpreter instead of generated code
  { name: 'interpret', args: ['--interpret'], complete: true },
  { name: 'exact', args: ['--exact'], complete: true },
  // --jobs starts worker threads per spec (about 0.3 s a spec here): only the first ORACLE_JOBS_COUNT specs (default 200)
  { name: 'jobs2', args: ['--jobs', '2'], complete: true, limit: Number(process.env.ORACLE_JOBS_COUNT || 200) },
  { name: 'shards', args: [], complete: true, shards: 2 },
  { name: 'bitstate', args: ['--bitstate', '20'], complete: false },
  { name: 'simulate', args: ['--simulate', '50', '--seed', '1'], complete: false },
  // depth-first with the stack proviso, and without the reduction it guards
  { name: 'dfs', args: ['--strategy', 'dfs'], complete: true },
  { name: 'dfs-no-por', args: ['--strategy', 'dfs', '--no-por'], complete: true },
  { name: 'swarm', args: ['--strategy', 'swarm', '--walks', '50', '--seed', '1'], complete: false },
];

function run(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('node', [CLI, ...args], { cwd, maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      const code = err ? (err as any).code : 0;
      if (err && code === 2 && stdout.trim().startsWith('{')) return resolve(stdout);
      if (err && ![1, 3].includes(code)) return reject(new Error(`lockcheck ${args.slice(0, 6).join(' ')} exit ${code}: ${stderr.slice(0, 2000)}`));
      resolve(stdout);
    });
  });
}

const stepsOf = (trace: any): number => (trace && typeof trace.path === 'string' && trace.path.length ? trace.path.split(':').length : 0);

export function parseLc(json: string): Map<string, LcResult> {
  const d = JSON.parse(json);
  const out = new Map<string, LcResult>();
  for (const r of d.results) {
    const kinds: Record<string, number> = {};
    const maybeLonger = new Set<string>();
    for (const f of r.findings || []) {
      const n = stepsOf(f.trace);
      if (kinds[f.kind] === undefined || kinds[f.kind] > n) kinds[f.kind] = n;
      const t = f.trace || {};
      // a trace that says it may not be a shortest one
      if (t.shortest === false || t.mayNotBeShortest || t.notShortest || f.shortest === false) maybeLonger.add(f.kind);
    }
    out.set(path.basename(r.file), { verdict: r.verdict, kinds, maybeLonger });
  }
  return out;
}

async function pool<T>(tasks: (() => Promise<T>)[], n: number): Promise<T[]> {
  const res: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        res[i] = await tasks[i]();
      }
    }),
  );
  return res;
}

export async function runMode(mode: Mode, dir: string, files: string[], batch = 500): Promise<Map<string, LcResult>> {
  const all = new Map<string, LcResult>();
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += batch) batches.push(files.slice(i, i + batch));
  for (const b of batches) {
    let json: string;
    if (mode.shards) {
      const parts: string[] = [];
      for (let s = 0; s < mode.shards; s++) {
        const out = await run(['check', '--format', 'json', '--no-timings', '--shard', `${s}/${mode.shards}`, ...b], dir);
        const p = path.join(dir, `shard-${s}.json`);
        fs.writeFileSync(p, out);
        parts.push(p);
      }
      json = await run(['merge', '--format', 'json', ...parts], dir);
    } else json = await run(['check', '--format', 'json', '--no-timings', ...mode.args, ...b], dir);
    for (const [k, v] of parseLc(json)) all.set(k, v);
  }
  return all;
}

/** ORACLE_CONSTRUCTS=old: generate without flush_work, cancel_work_sync and completions (the specs the generator
 * made before them, seed for seed), for a lockcheck that does not implement them */
export const genOptionsFromEnv = (): GenOptions => ({ constructs: process.env.ORACLE_CONSTRUCTS !== 'old' });

export interface Disagreement {
  file: string;
  spec: any;
  mode: string;
  oracle: Record<string, number>;
  lockcheck: LcResult | undefined;
  why: string;
}

export function compare(mode: Mode, o: OracleResult, lc: LcResult | undefined): string | null {
  if (!lc) return 'no result from lockcheck';
  if (lc.verdict === 'error') return 'lockcheck says the spec is invalid';
  const ok = Object.keys(o.kinds).sort();
  const lk = Object.keys(lc.kinds).sort();
  if (mode.complete) {
    if (lc.verdict === 'incomplete') return 'incomplete in a complete mode';
    if (ok.join() !== lk.join()) return `kinds differ: oracle [${ok}] lockcheck [${lk}]`;
    for (const k of ok) {
      if (lc.maybeLonger.has(k)) continue;
      if (o.kinds[k] !== lc.kinds[k]) return `shortest ${k}: oracle ${o.kinds[k]} lockcheck ${lc.kinds[k]}`;
    }
    if (ok.length === 0 && lc.verdict !== 'ok') return `verdict ${lc.verdict} without findings`;
    return null;
  }
  const extra = lk.filter((k) => o.kinds[k] === undefined);
  if (extra.length) return `reports kinds the oracle does not find: [${extra}]`;
  if (lc.verdict === 'ok' && ok.length) return `says ok, oracle finds [${ok}]`;
  return null;
}

export interface Summary {
  invalid: number;
  generated: number;
  compared: number;
  skipped: number;
  perMode: Record<string, { compared: number; agree: number; disagree: number }>;
  disagreements: Disagreement[];
  seconds: number;
  kindsSeen: Record<string, number>;
}

export async function runComparison(opts: {
  count: number;
  seed: string;
  batch?: number;
  save?: number;
  log?: (s: string) => void;
  modes?: Mode[];
  gen?: GenOptions;
}): Promise<Summary> {
  const gen = opts.gen ?? genOptionsFromEnv();
  const t0 = Date.now();
  const modes = opts.modes || MODES;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-oracle-'));
  const files: string[] = [];
  const specs = new Map<string, any>();
  for (let i = 0; i < opts.count; i++) {
    const spec = generateSpec(`${opts.seed}-${i}`, gen);
    const f = `s${i}.json`;
    fs.writeFileSync(path.join(dir, f), JSON.stringify(spec, null, 1));
    files.push(f);
    specs.set(f, spec);
  }
  // lockcheck modes run two at a time (2 cores) while the oracle runs in this process
  const lcRuns = pool(
    modes.map((m) => () => runMode(m, dir, m.limit !== undefined ? files.slice(0, m.limit) : files, opts.batch || 500)),
    2,
  );
  const oracle = new Map<string, OracleResult>();
  const kindsSeen: Record<string, number> = {};
  for (const f of files) {
    const r = runOracle(path.join(dir, f), 20000);
    oracle.set(f, r);
    for (const k of Object.keys(r.kinds)) kindsSeen[k] = (kindsSeen[k] || 0) + 1;
  }
  const lcAll = await lcRuns;
  const perMode: Summary['perMode'] = {};
  const disagreements: Disagreement[] = [];
  let skipped = 0;
  for (const f of files) {
    const o = oracle.get(f)!;
    if (o.error || !o.complete) skipped++;
  }
  modes.forEach((m, mi) => {
    const st = (perMode[m.name] = { compared: 0, agree: 0, disagree: 0 });
    for (const f of m.limit !== undefined ? files.slice(0, m.limit) : files) {
      const o = oracle.get(f)!;
      if (o.error || !o.complete) continue;
      st.compared++;
      const why = compare(m, o, lcAll[mi].get(f));
      if (!why) {
        st.agree++;
        continue;
      }
      st.disagree++;
      disagreements.push({ file: path.join(dir, f), spec: specs.get(f), mode: m.name, oracle: o.kinds, lockcheck: lcAll[mi].get(f), why });
    }
  });
  // save (a bounded number of) disagreements for replay
  const save = opts.save ?? 30;
  if (disagreements.length && save > 0) {
    fs.mkdirSync(saveDir(), { recursive: true });
    const perWhy = new Map<string, number>();
    for (const d of disagreements) {
      const cls = d.mode + ':' + d.why.replace(/[0-9]+/g, 'N');
      const n = perWhy.get(cls) || 0;
      if (n >= 2 || perWhy.size > save) continue;
      perWhy.set(cls, n + 1);
      const base = `auto-${opts.seed}-${d.mode}-${path.basename(d.file, '.json')}`;
      const spec = specs.get(path.basename(d.file));
      fs.writeFileSync(path.join(saveDir(), base + '.json'), JSON.stringify({ ...spec, name: base }, null, 1) + '\n');
      fs.writeFileSync(
        path.join(saveDir(), base + '.note.txt'),
        `mode ${d.mode}: ${d.why}\noracle ${JSON.stringify(d.oracle)}\nlockcheck ${JSON.stringify(d.lockcheck ? { verdict: d.lockcheck.verdict, kinds: d.lockcheck.kinds } : null)}\n`,
      );
    }
  }
  let invalid = 0;
  for (const f of files) if (lcAll.some((m) => m.get(f)?.verdict === 'error')) invalid++;
  const summary = {
    invalid,
    generated: files.length,
    compared: files.length - skipped,
    skipped,
    perMode,
    disagreements,
    seconds: (Date.now() - t0) / 1000,
    kindsSeen,
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return summary;
}

export function describe(d: Disagreement): string {
  const specText = JSON.stringify(d.spec);
  return `mode ${d.mode}: ${d.why}\n  oracle:    ${JSON.stringify(d.oracle)}\n  lockcheck: ${JSON.stringify(d.lockcheck ? { verdict: d.lockcheck.verdict, kinds: d.lockcheck.kinds } : null)}\n  spec: ${specText ?? ''}`;
}
