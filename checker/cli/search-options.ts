// The search options of `lockcheck check`, from their command-line spelling to CheckOptions: reductions,
// storage, the strategy (breadth-first, depth-first, swarm) and depth bound, random simulation, shards and
// parallel jobs, the memory bound. Pure (the core count is an
// argument), so each rule is testable.
import * as os from 'os';
import { CheckOptions } from '../pipeline';

export interface SearchFlags {
  por?: boolean;
  symmetry?: boolean;
  deadVars?: boolean;
  interpret?: boolean;
  exact?: boolean;
  bitstate?: string;
  simulate?: string;
  seed?: string;
  walk?: string;
  shard?: string;
  jobs?: string;
  maxMemory?: string;
  strategy?: string;
  maxDepth?: string;
  walks?: string;
}

export const STRATEGIES = ['bfs', 'dfs', 'swarm'] as const;

/** --strategy swarm without --walks: this many walks in all. */
export const DEFAULT_SWARM_WALKS = 2000;

export interface SearchSettings {
  options: Pick<
    CheckOptions,
    'por' | 'symmetry' | 'deadVariables' | 'interpret' | 'exact' | 'bitstateBits' | 'simulate' | 'shard' | 'maxMemoryBytes' | 'strategy' | 'maxDepth'
  >;
  jobs: number;
  /** one line each, for stderr */
  warnings: string[];
}

/**
 * The most worker threads --jobs starts: 4 per core, and never more than 64. Past the cores, more threads only
 * add memory (each keeps its own state store) and switching; --jobs 64 on a 4-state spec took 24 s and 1.4 GB.
 */
export const maxJobs = (cores: number) => Math.min(64, 4 * Math.max(1, cores));

/** --jobs N or auto (one per core): the number of worker threads, a warning when past the cores, or an error. */
function parseJobs(v: string, cores: number): { jobs: number; warning?: string } | string {
  if (v === 'auto') return { jobs: Math.max(1, cores) };
  const n = int(v);
  if (!(n >= 1)) return `--jobs expects a number of worker threads or auto, got "${v}"`;
  if (n <= cores) return { jobs: n };
  const jobs = Math.min(n, maxJobs(cores));
  const using = jobs < n ? `; using ${jobs} (at most 4 per core, and 64)` : '';
  return { jobs, warning: `--jobs ${v}: more worker threads than the ${cores} core${cores === 1 ? '' : 's'} available${using}` };
}

const int = (v: string) => (/^[0-9]+$/.test(v) ? Number(v) : NaN);

/** "512m", "1g", "2048" (MiB) -> bytes. */
export function parseSize(v: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)i?b?$/i.exec(v.trim());
  if (!m) return NaN;
  const unit = { '': 2 ** 20, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * unit);
}

export function parseSearchFlags(f: SearchFlags, cores = os.availableParallelism()): SearchSettings | string {
  const options: SearchSettings['options'] = {};
  const warnings: string[] = [];
  if (f.por === false) options.por = false;
  if (f.symmetry === false) options.symmetry = false;
  if (f.deadVars === false) options.deadVariables = false;
  if (f.interpret) options.interpret = true;
  if (f.exact) options.exact = true;
  if (f.bitstate !== undefined) {
    const bits = int(f.bitstate);
    if (!(bits >= 10 && bits <= 32)) return `--bitstate expects the table size as a power of two between 10 and 32, got "${f.bitstate}"`;
    if (f.exact) return '--bitstate and --exact exclude each other';
    options.bitstateBits = bits;
  }
  const strategy = f.strategy ?? 'bfs';
  if (!(STRATEGIES as readonly string[]).includes(strategy)) return `--strategy expects one of ${STRATEGIES.join(', ')}, got "${f.strategy}"`;
  let maxDepth: number | undefined;
  if (f.maxDepth !== undefined) {
    maxDepth = int(f.maxDepth);
    if (!(maxDepth >= 1)) return `--max-depth expects a positive number of steps, got "${f.maxDepth}"`;
    options.maxDepth = maxDepth;
  }
  if (f.walks !== undefined && strategy !== 'swarm') return '--walks goes with --strategy swarm (--simulate N gives plain walks)';
  if (strategy !== 'bfs' && f.simulate !== undefined) return `--strategy ${strategy} excludes --simulate (random walks are a strategy of their own)`;
  if (strategy === 'dfs') options.strategy = 'dfs';
  if (strategy === 'swarm') {
    const walks = f.walks === undefined ? DEFAULT_SWARM_WALKS : int(f.walks);
    if (!(walks >= 1)) return `--walks expects a number of walks, got "${f.walks}"`;
    const walk = f.walk === undefined ? undefined : int(f.walk);
    if (walk !== undefined && !(walk >= 0)) return `--walk expects a walk index, got "${f.walk}"`;
    options.simulate = { walks, seed: f.seed ?? '0', walk, swarm: true, ...(maxDepth !== undefined ? { maxDepth } : {}) };
  } else if (f.simulate !== undefined) {
    const walks = int(f.simulate);
    if (!(walks >= 1)) return `--simulate expects a number of walks, got "${f.simulate}"`;
    const walk = f.walk === undefined ? undefined : int(f.walk);
    if (walk !== undefined && !(walk >= 0)) return `--walk expects a walk index, got "${f.walk}"`;
    options.simulate = { walks, seed: f.seed ?? '0', walk, ...(maxDepth !== undefined ? { maxDepth } : {}) };
  } else if (f.walk !== undefined || f.seed !== undefined) return '--seed and --walk go with --simulate or --strategy swarm';
  if (f.shard !== undefined) {
    const m = /^([0-9]+)\/([0-9]+)$/.exec(f.shard);
    if (!m || Number(m[1]) >= Number(m[2]) || Number(m[2]) < 1) return `--shard expects i/n with 0 <= i < n, got "${f.shard}"`;
    options.shard = { index: Number(m[1]), count: Number(m[2]), depth: -1 };
  }
  // The default stays one thread: the split and its merge depend on the number of shards, so a default taken from
  // the machine would make the same command give different statistics on different machines.
  let jobs = 1;
  if (f.jobs !== undefined) {
    const j = parseJobs(f.jobs, cores);
    if (typeof j === 'string') return j;
    jobs = j.jobs;
    if (j.warning) warnings.push(j.warning);
    // auto excludes them even on one core, so that a command line is valid or not whatever the machine
    const many = jobs > 1 || f.jobs === 'auto';
    if (many && strategy === 'dfs')
      return '--jobs splits breadth-first levels: a depth-first search runs on one thread (--strategy swarm spreads walks over --jobs)';
    // swarm spreads its walks over the jobs (parallel.ts): not a split of one exhaustive search
    if (many && options.simulate?.swarm) options.simulate.jobs = jobs;
    else if (many && (options.shard || options.simulate)) return '--jobs splits an exhaustive search itself: it excludes --shard and --simulate';
  }
  if (strategy !== 'bfs' && options.shard) return `--shard splits breadth-first levels: it excludes --strategy ${strategy}`;
  // (a shard's result says only that it is one part: the merge could not tell a depth-bounded split from a whole one)
  if (maxDepth !== undefined && (options.shard || (jobs > 1 && !options.simulate)))
    return '--max-depth bounds one search: it excludes --shard and --jobs (except with --strategy swarm)';
  if (f.maxMemory !== undefined) {
    const bytes = parseSize(f.maxMemory);
    if (!(bytes > 0)) return `--max-memory expects a size such as 512m or 2g, got "${f.maxMemory}"`;
    options.maxMemoryBytes = bytes;
  }
  if (options.simulate && (options.shard || options.bitstateBits !== undefined))
    return `${options.simulate.swarm ? '--strategy swarm' : '--simulate'} excludes --shard and --bitstate`;
  return { options, jobs, warnings };
}
