// --jobs N: the shards of one search run on N worker threads at once and are merged, so a spec's exhaustive
// search uses every core. Each worker runs the ordinary pipeline on its shard (see explore.ts Shard); below the
// split level they share one visited set and move from level to level together (shared-visited.ts), so each
// state is explored once and the merged counts are the single-threaded search's.
import * as path from 'path';
import { Worker } from 'worker_threads';
import { mergeKeys, mergeResults } from './merge';
import { CheckOptions, confirmMerged, errorResult } from './pipeline';
import { nodeHost } from './spec/host';
import { SpecResult } from './result';
import { diag } from './diagnostics/diagnostic';
import { SharedVisited, sharedVisitedBuffer } from './explore/shared-visited';
import { matchExpectation } from './analyse/expect';
import { Finding } from './result';

/** Without --max-states, the shared visited set is sized for this many states (workers store the rest alone). */
const DEFAULT_SHARED_STATES = 4_000_000;

/** Options that can cross to a worker (no functions). */
export type PortableOptions = Omit<CheckOptions, 'shouldStop' | 'onProgress' | 'now'>;

type OnProgress = NonNullable<CheckOptions['onProgress']>;
type Progress = Parameters<OnProgress>[0];

export async function checkFileParallel(
  file: string,
  display: string,
  options: PortableOptions,
  jobs: number,
  stop?: SharedArrayBuffer,
  onProgress?: OnProgress,
): Promise<SpecResult> {
  const script = path.join(__dirname, 'shard-worker.js');
  const workers: Worker[] = [];
  const sharedVisited = sharedVisitedBuffer(Math.min(options.maxStates ?? DEFAULT_SHARED_STATES, DEFAULT_SHARED_STATES));
  // a worker that fails must not leave the others waiting for it at a level's barrier
  const release = () => new SharedVisited(sharedVisited, jobs).stop('interrupted');
  // the progress line shows the workers together: their states and frontiers added, the deepest level
  const latest: (Progress | undefined)[] = [];
  const report = (index: number, p: Progress) => {
    latest[index] = p;
    const all = latest.filter((x): x is Progress => x !== undefined);
    onProgress?.({
      states: all.reduce((n, x) => n + x.states, 0),
      frontier: all.reduce((n, x) => n + x.frontier, 0),
      depth: Math.max(...all.map((x) => x.depth)),
      seconds: Math.max(...all.map((x) => x.seconds)),
      // the slowest worker's estimate, when every worker has one
      ...(all.length === jobs && all.every((x) => x.eta !== undefined) ? { eta: Math.max(...all.map((x) => x.eta!)) } : {}),
    });
  };
  const parts = await Promise.all(
    Array.from(
      { length: jobs },
      (_, index) =>
        new Promise<SpecResult>((resolve) => {
          const w = new Worker(script, {
            workerData: {
              file,
              stop,
              progress: onProgress !== undefined,
              options: options.simulate?.swarm
                ? { ...options, simulate: { ...options.simulate, part: index } }
                : { ...options, sharedVisited, shard: { index, count: jobs, depth: options.shard?.depth ?? -1 } },
            },
          });
          workers.push(w);
          w.on('message', (m: { progress?: Progress; result?: SpecResult }) => {
            if (m.progress) report(index, m.progress);
            if (!m.result) return;
            if (m.result.verdict === 'error') release();
            resolve(m.result);
          });
          w.once('error', (e) => {
            release();
            resolve(errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason: `worker ${index}: ${e.message}` })]));
          });
          w.once('exit', (code) => {
            if (code === 0) return;
            release();
            resolve(errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason: `worker ${index} exited with ${code}` })]));
          });
        }),
    ),
  );
  for (const w of workers) void w.terminate();
  if (options.simulate?.swarm) return mergeSwarm(parts, options);
  const merged = mergeResults(parts.map((r) => ({ results: [r] }))).results[0];
  // the workers of one check are not shards the user asked for: nothing to say about merging them
  if (merged.coverage?.endsWith('shards merged')) delete merged.coverage;
  return merged.stats?.mode === 'exhaustive' ? confirmMerged(nodeHost, file, options, merged) : merged;
}

/**
 * The results of the workers of a swarm, each over its share of the walks, as one: the findings in worker
 * order, once each (the first worker's copy), the counts added (a state two workers stored counts twice), the
 * longest walk. Deterministic for a seed and a number of jobs.
 */
export function mergeSwarm(parts: SpecResult[], options: PortableOptions): SpecResult {
  const failed = parts.find((r) => r.verdict === 'error');
  if (failed) return failed;
  const first = parts[0];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const r of parts)
    for (const f of r.findings) {
      const keys = mergeKeys(f); // (as the shards of --jobs merge: a deadlock once per cycle)
      if (keys.some((k) => seen.has(k))) continue;
      for (const k of keys) seen.add(k);
      findings.push(f);
    }
  const sum = (k: 'states' | 'transitions' | 'deadlockStates' | 'walks') => parts.reduce((n, r) => n + (r.stats?.[k] ?? 0), 0);
  const seconds = Math.max(...parts.map((r) => r.stats?.seconds ?? 0));
  const states = sum('states');
  const walks = sum('walks');
  const depth = Math.max(...parts.map((r) => r.stats?.depth ?? 0));
  const stats = { ...first.stats!, states, transitions: sum('transitions'), deadlockStates: sum('deadlockStates'), walks, depth };
  stats.seconds = seconds;
  stats.statesPerSecond = seconds > 0 ? Math.round(states / seconds) : states;
  stats.bytesPerState = Math.max(...parts.map((r) => r.stats?.bytesPerState ?? 0));
  stats.complete = parts.every((r) => r.stats?.complete !== false);
  const sim = options.simulate!;
  const what = `swarm: ${walks} random walk${walks === 1 ? '' : 's'} with random thread weights (seed ${sim.seed}, over ${sim.jobs} jobs), not an exhaustive search`;
  const stopped = parts.find((r) => r.incomplete && !r.incomplete.startsWith('swarm:'))?.incomplete;
  const verdict = findings.length > 0 && !stopped ? 'findings' : 'incomplete';
  const edges = new Map<string, { from: string; to: string; type: string }>();
  for (const r of parts) for (const e of r.lockGraph?.edges ?? []) edges.set(`${e.from}\0${e.to}\0${e.type}`, e);
  const nodes = [...new Set(parts.flatMap((r) => r.lockGraph?.nodes ?? []))].sort();
  const result: SpecResult = {
    file: first.file,
    name: first.name,
    verdict,
    findings,
    expected: first.expected,
    ...matchExpectation(findings, first.expected, false),
    stats,
    incomplete: verdict === 'incomplete' ? (stopped ?? what) : undefined,
    diagnostics: [],
  };
  if (verdict !== 'incomplete') result.coverage = what;
  if (first.guidance && verdict === 'incomplete')
    result.guidance = { ...first.guidance, covered: `${walks} random walks over ${sim.jobs} jobs, ${states} states stored, paths up to ${depth} steps` };
  result.lockGraph = {
    nodes,
    edges: [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.type.localeCompare(b.type)),
  };
  return result;
}
