// The oracle's spec generator: its specs are valid against specs/schema/lockcheck.schema.json, with the new
// constructs (flush_work, cancel_work_sync, completions) on and off; off, none of them appears; on, the oracle's
// search goes through each behaviour they add somewhere in a sample.
//   npx ava test/oracle/generator.test.ts        (ORACLE_GEN_COUNT=400)
import test from 'ava';
import { generateSpec } from './generator';
import { runOracleSpec } from './oracle';
import { schemaErrors } from './schema-check';

const COUNT = Number(process.env.ORACLE_GEN_COUNT || 400);
const NEW_KEYS = /"(flush_work|cancel_work_sync|completions|wait_for_completion|complete|complete_all|reinit_completion)"/;

test('generated specs are valid, with and without the new constructs', (t) => {
  let withNew = 0;
  for (let i = 0; i < COUNT; i++) {
    const on = generateSpec(`g-${i}`);
    t.is(schemaErrors(on), null, `spec g-${i}`);
    if (NEW_KEYS.test(JSON.stringify(on))) withNew++;
    const off = generateSpec(`g-${i}`, { constructs: false });
    t.is(schemaErrors(off), null, `spec g-${i} (old constructs)`);
    t.false(NEW_KEYS.test(JSON.stringify(off)), `spec g-${i} (old constructs) uses a new one`);
  }
  t.log(`${withNew} of ${COUNT} specs use a new construct`);
  t.true(withNew > COUNT / 4 && withNew < (COUNT * 3) / 4, 'the new constructs are neither rare nor everywhere');
});

test('the generated specs exercise what the new constructs do', (t) => {
  t.timeout(300_000);
  const seen: Record<string, number> = {};
  let capped = 0;
  for (let i = 0; i < COUNT; i++) {
    const r = runOracleSpec(generateSpec(`1-${i}`), 20000, { events: true });
    t.is(r.error, undefined, `spec 1-${i}`);
    if (!r.complete) capped++;
    for (const e of r.events || []) seen[e] = (seen[e] || 0) + 1;
  }
  t.log(`specs per behaviour over ${COUNT} (${capped} beyond the 20,000-state cap): ${JSON.stringify(seen)}`);
  t.true(capped <= COUNT / 100, 'specs stay small');
  for (const e of [
    'flush-idle', // a flush that finds nothing
    'flush-waits-running',
    'flush-waits-queued', // a flush that waits
    'cancel-dequeues', // a cancel that removes a queued run
    'cancel-waits-running',
    'queue-ignored-while-disabled', // a queue_work during a cancel
    'work-map-cycle', // a lock-order cycle only through (work_completion)(NAME)
    'work-map-recursive',
    'completion-deadlock', // a deadlock with a thread in wait_for_completion
    'flush-deadlock',
    'complete_all',
    'reinit',
    'completion-count-2',
  ])
    t.true((seen[e] || 0) > 0, `no generated spec goes through ${e}`);
});
