// The independent oracle against the lockcheck CLI, run as a black box in every search mode.
//   npx ava test/oracle/oracle.test.ts        (ORACLE_COUNT=2000 ORACLE_SEED=1 ORACLE_JOBS_COUNT=200;
//   ORACLE_CONSTRUCTS=old: without flush_work, cancel_work_sync and completions)
import test from 'ava';
import { runComparison, describe, saveDir } from './harness';

const COUNT = Number(process.env.ORACLE_COUNT || 2000);
const SEED = process.env.ORACLE_SEED || '1';

test('lockcheck agrees with the brute-force oracle in every mode', async (t) => {
  t.timeout(600_000);
  const s = await runComparison({ count: COUNT, seed: SEED, save: 30, log: (x) => t.log(x) });
  t.log(`${s.generated} specs (${s.invalid} invalid, ${s.skipped} beyond the oracle's cap) in ${s.seconds.toFixed(1)} s`);
  t.log('kinds found by the oracle (specs): ' + JSON.stringify(s.kindsSeen));
  for (const [m, v] of Object.entries(s.perMode)) t.log(`${m}: compared ${v.compared}, agree ${v.agree}, disagree ${v.disagree}`);
  const shown = new Set<string>();
  for (const d of s.disagreements) {
    const cls = d.mode + ':' + d.why.replace(/[0-9]+/g, 'N');
    if (shown.has(cls)) continue;
    shown.add(cls);
    t.log(describe(d));
  }
  t.is(s.invalid, 0, 'the generator produced specs lockcheck rejects');
  for (const k of [
    'deadlock',
    'lock-order-cycle',
    'recursive-locking',
    'cmp-invalid',
    'toctou',
    'assertion',
    'unlock-not-held',
    'held-at-exit',
    'sleep-in-rcu',
  ]) {
    t.true((s.kindsSeen[k] || 0) > 0, `no generated spec gives ${k}`);
  }
  t.is(s.disagreements.length, 0, `${s.disagreements.length} disagreements (saved under ${saveDir()})`);
});
