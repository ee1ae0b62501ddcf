// A worker thread of --jobs: checks one shard of one spec and posts its result.
import { parentPort, workerData } from 'worker_threads';
import { checkFile } from './pipeline';
import { nodeHost } from './spec/host';

const { file, options, stop } = workerData as { file: string; options: Parameters<typeof checkFile>[2]; stop?: SharedArrayBuffer };
const flag = stop ? new Int32Array(stop) : undefined;
parentPort!.postMessage(checkFile(nodeHost, file, { ...options, shouldStop: flag ? () => Atomics.load(flag, 0) !== 0 : undefined }));
