// The visited set of --jobs: claims on one thread (who owns a state, from which level, the smallest key
// winning within a level), and two threads offering overlapping sets of fingerprints at once, level by level:
// each fingerprint ends up owned by exactly one of them, the one that offered the smaller key.
import test from 'ava';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { CLAIMED, FULL, SEEN_BEFORE, SEEN_THIS_LEVEL, SharedVisited, sharedVisitedBuffer } from '../../checker/explore/shared-visited';

test("within a level the smallest key owns a state; the others see it as this level's, then as an earlier level's", (t) => {
  const buf = sharedVisitedBuffer(1000);
  const a = new SharedVisited(buf, 1);
  t.is(a.claim(1, 2, 50), CLAIMED);
  const slot = a.lastSlot;
  t.is(a.keyAt(slot), 50);
  t.is(a.claim(1, 2, 90), SEEN_THIS_LEVEL, 'a bigger key loses');
  t.is(a.claim(1, 2, 50), SEEN_THIS_LEVEL, 'an equal key loses: the first offer keeps it');
  t.is(a.claim(1, 2, 30), CLAIMED, 'a smaller key wins');
  t.is(a.lastSlot, slot);
  t.is(a.keyAt(slot), 30);
  t.is(a.claim(1, 4, 70), CLAIMED, 'another second word is another state');
  t.is(a.claims, 2, 'a state counts once, whoever owns it');
  t.is(a.barrier(5), 5, 'one party: the barrier returns its own frontier');
  t.is(a.claim(1, 2, 1), SEEN_BEFORE, 'after the level, no key takes it over');
  t.is(a.keyAt(slot), 30);
  t.is(a.claim(7, 9, 5), CLAIMED);
  t.is(a.claim(7, 9, 6), SEEN_THIS_LEVEL);
});

test('the table refuses claims past 70% load (the caller then stores the state itself)', (t) => {
  const buf = sharedVisitedBuffer(1); // 2^16 slots
  const v = new SharedVisited(buf, 1);
  let full = -1;
  for (let i = 0; i < 65536 && full < 0; i++) if (v.claim(i * 2654435761, i, 1) === FULL) full = i;
  t.is(full, Math.floor(65536 * 0.7));
});

test('a stop reaches a worker waiting at the barrier', (t) => {
  const buf = sharedVisitedBuffer(10);
  const v = new SharedVisited(buf, 2);
  v.stop('max-seconds');
  t.is(v.barrier(0), 'max-seconds', 'the other party never arrives, the stop releases this one');
});

test('two threads offering overlapping fingerprints level by level: each owned by exactly one, the smaller key', async (t) => {
  const buf = sharedVisitedBuffer(200_000);
  const module = path.join(__dirname, '..', '..', 'dist', 'checker', 'explore', 'shared-visited.js');
  // each thread offers 3 levels of 30,000 fingerprints, 2/3 of them shared with the other thread, each with a
  // key of its own (so that for half of the shared ones thread 0 offers the smaller, for half thread 1)
  const code = `
    const { workerData, parentPort } = require('worker_threads');
    const { SharedVisited, CLAIMED, SEEN_BEFORE } = require(workerData.module);
    const v = new SharedVisited(workerData.buf, 2);
    const key = (k, id) => 2 + 4 * k + ((k & 1) === id ? 0 : 1);
    const owned = [];
    let before = 0;
    for (let level = 0; level < 3; level++) {
      const offered = [];
      for (let i = 0; i < 30000; i++) {
        const k = level * 100000 + (workerData.id === 0 ? i : i + 10000);
        const r = v.claim(Math.imul(k, 0x9e3779b1), k, key(k, workerData.id));
        if (r === CLAIMED) offered.push([k, v.lastSlot]);
        // a fingerprint of an earlier level is never claimed again, whatever its key
        if (level > 0 && v.claim(Math.imul(k - 100000, 0x9e3779b1), k - 100000, 1) !== SEEN_BEFORE) before++;
      }
      v.barrier(0);
      // after the barrier the keys are final: a state is ours if its key is still the one we offered
      for (const [k, slot] of offered) if (v.keyAt(slot) === key(k, workerData.id)) owned.push(k);
    }
    parentPort.postMessage({ owned, before });`;
  const run = (id: number) =>
    new Promise<{ owned: number[]; before: number }>((resolve, reject) => {
      const w = new Worker(code, { eval: true, workerData: { buf, id, module } });
      w.once('message', resolve);
      w.once('error', reject);
    });
  const [x, y] = await Promise.all([run(0), run(1)]);
  t.is(x.before + y.before, 0);
  const all = [...x.owned, ...y.owned];
  t.is(new Set(all).size, all.length, 'no fingerprint owned by both');
  t.is(all.length, 3 * 40000, 'every fingerprint owned by one of them');
  // a shared fingerprint (offset 10000..29999 in its level) goes to the thread whose key is smaller: parity
  const shared = (k: number) => k % 100000 >= 10000 && k % 100000 < 30000;
  t.true(x.owned.filter(shared).every((k) => (k & 1) === 0));
  t.true(y.owned.filter(shared).every((k) => (k & 1) === 1));
});
