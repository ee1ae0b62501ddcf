// The visited set of --jobs: claims on one thread (who owns a state, from which level), and two threads
// claiming overlapping sets of fingerprints at once, level by level: each fingerprint is claimed exactly once.
import test from 'ava';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CLAIMED, FULL, SEEN_BEFORE, SEEN_THIS_LEVEL, SharedVisited, sharedVisitedBuffer } from '../../checker/explore/shared-visited';

test("a claim is the first worker's; the others see it as this level's, then as an earlier level's", (t) => {
  const buf = sharedVisitedBuffer(1000);
  const a = new SharedVisited(buf, 1);
  t.is(a.claim(1, 2), CLAIMED);
  t.is(a.claim(1, 2), SEEN_THIS_LEVEL);
  t.is(a.claim(1, 4), CLAIMED, 'another second word is another state');
  t.is(a.claims, 2);
  t.is(a.barrier(5), 5, 'one party: the barrier returns its own frontier');
  t.is(a.claim(1, 2), SEEN_BEFORE);
  t.is(a.claim(7, 9), CLAIMED);
  t.is(a.claim(7, 9), SEEN_THIS_LEVEL);
});

test('the table refuses claims past 70% load (the caller then stores the state itself)', (t) => {
  const buf = sharedVisitedBuffer(1); // 2^16 slots
  const v = new SharedVisited(buf, 1);
  let full = -1;
  for (let i = 0; i < 65536 && full < 0; i++) if (v.claim(i * 2654435761, i) === FULL) full = i;
  t.is(full, Math.floor(65536 * 0.7));
});

test('a stop reaches a worker waiting at the barrier', (t) => {
  const buf = sharedVisitedBuffer(10);
  const v = new SharedVisited(buf, 2);
  v.stop('max-seconds');
  t.is(v.barrier(0), 'max-seconds', 'the other party never arrives, the stop releases this one');
});

test('two threads claiming overlapping fingerprints level by level: every one claimed exactly once', async (t) => {
  const buf = sharedVisitedBuffer(200_000);
  const module = path.join(__dirname, '..', '..', 'dist', 'checker', 'explore', 'shared-visited.js');
  // each thread claims 3 levels of 30,000 fingerprints, 2/3 of them shared with the other thread
  const code = `
    const { workerData, parentPort } = require('worker_threads');
    const { SharedVisited, CLAIMED, SEEN_BEFORE } = require(workerData.module);
    const v = new SharedVisited(workerData.buf, 2);
    const mine = [];
    let before = 0;
    for (let level = 0; level < 3; level++) {
      for (let i = 0; i < 30000; i++) {
        const k = level * 100000 + (workerData.id === 0 ? i : i + 10000);
        const r = v.claim(Math.imul(k, 0x9e3779b1), k);
        if (r === CLAIMED) mine.push(k);
        // a fingerprint of an earlier level is never claimed again
        if (level > 0 && v.claim(Math.imul(k - 100000, 0x9e3779b1), k - 100000) !== SEEN_BEFORE) before++;
      }
      v.barrier(0);
    }
    parentPort.postMessage({ mine, before });`;
  const run = (id: number) =>
    new Promise<{ mine: number[]; before: number }>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { buf, id, module } });
      w.once('message', resolve);
      w.once('error', reject);
    });
  const [x, y] = await Promise.all([run(0), run(1)]);
  t.is(x.before + y.before, 0);
  const all = [...x.mine, ...y.mine];
  t.is(new Set(all).size, all.length, 'no fingerprint claimed by both');
  t.is(all.length, 3 * 40000, 'every fingerprint claimed by one of them');
});
