// --jobs N: the shards of one search run on N worker threads at once and are merged, so a spec's exhaustive
// search uses every core. Each worker runs the ordinary pipeline on its shard (see explore.ts Shard).
import * as path from 'path';
import { Worker } from 'worker_threads';
import { mergeResults } from './merge';
import { CheckOptions, confirmMerged, errorResult } from './pipeline';
import { nodeHost } from './spec/host';
import { SpecResult } from './result';
import { diag } from './diagnostics/diagnostic';

/** Options that can cross to a worker (no functions). */
export type PortableOptions = Omit<CheckOptions, 'shouldStop' | 'onProgress' | 'now'>;

export async function checkFileParallel(file: string, display: string, options: PortableOptions, jobs: number, stop?: SharedArrayBuffer): Promise<SpecResult> {
  const script = path.join(__dirname, 'shard-worker.js');
  const workers: Worker[] = [];
  const parts = await Promise.all(
    Array.from(
      { length: jobs },
      (_, index) =>
        new Promise<SpecResult>((resolve) => {
          const w = new Worker(script, {
            workerData: { file, stop, options: { ...options, shard: { index, count: jobs, depth: options.shard?.depth ?? -1 } } },
          });
          workers.push(w);
          w.once('message', (r: SpecResult) => resolve(r));
          w.once('error', (e) =>
            resolve(errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason: `worker ${index}: ${e.message}` })])),
          );
          w.once(
            'exit',
            (code) =>
              code !== 0 &&
              resolve(errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason: `worker ${index} exited with ${code}` })])),
          );
        }),
    ),
  );
  for (const w of workers) void w.terminate();
  const merged = mergeResults(parts.map((r) => ({ results: [r] }))).results[0];
  return merged.stats?.mode === 'exhaustive' ? confirmMerged(nodeHost, file, options, merged) : merged;
}
