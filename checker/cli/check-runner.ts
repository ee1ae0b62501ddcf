// Where the searches of one `lockcheck check` run (without --jobs). A check starts on the main thread: most
// specs are checked in milliseconds, less than a worker thread takes to start (its own Node, and the pipeline
// loaded a second time). A check still running after MAIN_THREAD_SECONDS stops there and runs again, from the
// start and with all of its bounds, on a worker thread (check-worker.ts), so that the main thread is free to
// hear SIGINT and SIGTERM during a long search (a search is one long synchronous loop) and to draw the
// progress line; the stop flag is shared memory. The specs after it go to the worker too. A signal that comes
// while the main thread checks is heard when it stops, at most MAIN_THREAD_SECONDS later (or when the stage of
// the front end it came in ends): that spec's result is then the one the main thread got so far (incomplete,
// "interrupted after N states", as a worker's would be).
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { checkFile, CheckOptions } from '../pipeline';
import type { PortableOptions } from '../parallel';
import { SpecResult } from '../result';
import { nodeHost } from '../spec/host';

/** How long a check may run on the main thread before it moves to the worker thread. */
export const MAIN_THREAD_SECONDS = 0.25;
/**
 * A spec file bigger than this goes to the worker thread at once: reading and validating it alone would take
 * longer than MAIN_THREAD_SECONDS, and a stage of the front end is not cut short, so the main thread's work
 * would be done twice.
 */
export const MAIN_THREAD_MAX_BYTES = 256 * 1024;

/** The size of a file, or 0 when it cannot be read (the check then says why). */
function fileSize(file: string): number {
  try {
    return fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

type OnProgress = CheckOptions['onProgress'];
type Progress = Parameters<NonNullable<OnProgress>>[0];

/** The worker thread that runs the long searches of one `lockcheck check` (see check-worker.ts). */
class CheckWorker {
  private w: Worker;
  constructor(stop: SharedArrayBuffer) {
    this.w = new Worker(path.join(__dirname, 'check-worker.js'), { workerData: { stop } });
  }
  check(file: string, options: PortableOptions, onProgress?: OnProgress): Promise<SpecResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { progress?: Progress; result?: SpecResult }) => {
        if (m.progress) onProgress?.(m.progress);
        if (m.result) {
          this.w.off('message', onMessage);
          this.w.off('error', reject);
          resolve(m.result);
        }
      };
      this.w.on('message', onMessage);
      this.w.once('error', reject);
      this.w.postMessage({ file, options });
    });
  }
  async close() {
    await this.w.terminate();
  }
}

export class CheckRunner {
  private worker: CheckWorker | undefined;
  private readonly flag: Int32Array;

  /** `stop` is the shared stop flag: the signal handlers set it, the main thread and the worker read it. */
  constructor(
    private readonly stop: SharedArrayBuffer,
    private readonly mainThreadSeconds = MAIN_THREAD_SECONDS,
  ) {
    this.flag = new Int32Array(stop);
  }

  async check(file: string, options: PortableOptions, onProgress?: OnProgress): Promise<SpecResult> {
    // Once the worker runs, every later check goes to it: it has started and loaded the pipeline, so a check
    // costs there what it costs here, and a long one is not done twice.
    if (this.worker || fileSize(file) > MAIN_THREAD_MAX_BYTES) return this.onWorker(file, options, onProgress);
    const t0 = performance.now();
    const elapsed = () => (performance.now() - t0) / 1000;
    let moved = false;
    const here = checkFile(nodeHost, file, {
      ...options,
      shouldStop: () => {
        if (Atomics.load(this.flag, 0) !== 0) return true;
        const s = elapsed();
        // past --max-seconds the check stops by itself, and says so
        if (s < this.mainThreadSeconds || (options.maxSeconds !== undefined && s > options.maxSeconds)) return false;
        moved = true;
        return true;
      },
    });
    if (!moved) return here;
    await new Promise((resolve) => setImmediate(resolve)); // a signal that came meanwhile is heard here
    if (Atomics.load(this.flag, 0) !== 0) return here;
    // The worker checks the spec as if the main thread had not tried: with the whole of --max-seconds, whose
    // clock starts there, once the worker runs (as it did when every check ran on it).
    const there = await this.onWorker(file, options, onProgress);
    // a signal that stopped the worker before it got as far as the main thread had: the main thread's result
    // says more of what was covered
    const interrupted = Atomics.load(this.flag, 0) !== 0 && there.verdict === 'incomplete';
    return interrupted && (there.stats?.states ?? 0) < (here.stats?.states ?? 0) ? here : there;
  }

  private onWorker(file: string, options: PortableOptions, onProgress?: OnProgress): Promise<SpecResult> {
    this.worker ??= new CheckWorker(this.stop);
    return this.worker.check(file, options, onProgress);
  }

  async close(): Promise<void> {
    await this.worker?.close();
  }
}
