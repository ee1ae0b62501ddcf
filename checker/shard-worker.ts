// A worker thread of --jobs: checks one shard of one spec and posts its result.
import { parentPort, workerData } from 'worker_threads';
import { checkFile } from './pipeline';
import { nodeHost } from './spec/host';

const { file, options } = workerData as { file: string; options: Parameters<typeof checkFile>[2] };
parentPort!.postMessage(checkFile(nodeHost, file, options));
