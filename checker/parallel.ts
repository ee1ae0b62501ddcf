// --jobs N: the shards of one search run on N worker threads at once and are merged, so a spec's exhaustive
// search uses every core. Each worker runs the ordinary pipeline on its shard (see explore.ts Shard); below the
// split level they share one visited set and move from level to level together (shared-visited.ts), so each
// state is explored once and the merged counts are the single-threaded search's.
import * as path from 'path';
import { Worker } from 'worker_threads';
import { mergeResults } from './merge';
import { CheckOptions, confirmMerged, errorResult } from './pipeline';
import { nodeHost } from './spec/host';
import { SpecResult } from './result';
import { diag } from './diagnostics/diagnostic';
import { SharedVisited, sharedVisitedBuffer } from './explore/shared-visited';

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
              options: { ...options, sharedVisited, shard: { index, count: jobs, depth: options.shard?.depth ?? -1 } },
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
  const merged = mergeResults(parts.map((r) => ({ results: [r] }))).results[0];
  // the workers of one check are not shards the user asked for: nothing to say about merging them
  if (merged.coverage?.endsWith('shards merged')) delete merged.coverage;
  return merged.stats?.mode === 'exhaustive' ? confirmMerged(nodeHost, file, options, merged) : merged;
}
