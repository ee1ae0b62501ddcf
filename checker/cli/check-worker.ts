// The CLI runs searches on this worker thread, so that the main thread stays free to hear SIGINT (a search
// is one long synchronous loop) and to draw the progress line. The stop flag is shared memory.
import { parentPort, workerData } from 'worker_threads';
import { checkFile, CheckOptions } from '../pipeline';
import { nodeHost } from '../spec/host';

const stop = new Int32Array(workerData.stop as SharedArrayBuffer);

parentPort!.on('message', (msg: { file: string; options: CheckOptions }) => {
  const result = checkFile(nodeHost, msg.file, {
    ...msg.options,
    shouldStop: () => Atomics.load(stop, 0) !== 0,
    onProgress: (p) => parentPort!.postMessage({ progress: p }),
  });
  parentPort!.postMessage({ result });
});
