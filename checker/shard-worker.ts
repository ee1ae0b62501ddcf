// A worker thread of --jobs: checks one shard of one spec, posting its progress and then its result.
import { parentPort, workerData } from 'worker_threads';
import { checkFile } from './pipeline';
import { nodeHost } from './spec/host';

const { file, options, stop, progress } = workerData as {
  file: string;
  options: Parameters<typeof checkFile>[2];
  stop?: SharedArrayBuffer;
  progress: boolean;
};
const flag = stop ? new Int32Array(stop) : undefined;
const result = checkFile(nodeHost, file, {
  ...options,
  shouldStop: flag ? () => Atomics.load(flag, 0) !== 0 : undefined,
  onProgress: progress ? (p) => parentPort!.postMessage({ progress: p }) : undefined,
});
parentPort!.postMessage({ result });
