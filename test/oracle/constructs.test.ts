// Hand-checked cases for flush_work, cancel_work_sync and completions: each spec's kinds and shortest trace
// lengths (in steps) are derived by hand from README.md ("Kernel constructs", "Flushing and cancelling work",
// "Completions", "What a step is") in the comment above it, and checked against the oracle. A step is one visible
// statement of one agent plus its following local statements; a worker's start of a queued run is a step of its
// own; the run's return is part of its last step. Findings made on entry (validator, sleep-in-rcu) count the state
// in which the statement is attempted; a failed assert counts the step that runs it; a deadlock its state.
//   npx ava test/oracle/constructs.test.ts
import test from 'ava';
import { runOracleSpec } from './oracle';
import { schemaErrors } from './schema-check';

const mutex = { kind: 'mutex' };

interface Case {
  title: string;
  spec: any;
  kinds: Record<string, number>;
}

const cases: Case[] = [];
const add = (title: string, spec: any, kinds: Record<string, number>) => cases.push({ title, spec: { name: title, ...spec }, kinds });

// ---------------------------------------------------------------- flush_work

// Flush of an idle item: no lockdep edge, two steps. t: lock A (1), flush starts: w idle, nothing noted, b = 0, no
// touch of (work_completion)(w) (2), wait ends at once; its tail runs the local assert b == 1, which fails (3).
// unlock A (4), queue_work w (5), the run starts (6), lock A (7), unlock A and return (8): the run gives the edge
// (work_completion)(w) -> A, but the flush under A never found w queued or running, so there is no A -> map edge and
// no cycle. No deadlock.
add(
  'flush of an idle item: no edge, two steps',
  {
    locks: { A: mutex },
    procedures: { wf: { body: [{ lock: 'A' }, { unlock: 'A' }] } },
    works: { w: { proc: 'wf' } },
    threads: [
      {
        name: 't',
        locals: { b: 5 },
        body: [{ lock: 'A' }, { flush_work: 'w', into: 'b' }, { assert: 'b == 1', message: 'found a run' }, { unlock: 'A' }, { queue_work: 'w' }],
      },
    ],
  },
  { assertion: 3 },
);

// The same flush with the work queued first. lock-order-cycle (0): in the state after t queue (1), lock A (2), w is
// still queued and t's flush start is attempted holding A: the touch adds A -> (work_completion)(w); the run, which
// holds (work_completion)(w), attempts lock A: (work_completion)(w) -> A. Deadlock: t queue (1), the run starts (2),
// t lock A (3), t's flush starts, notes the running run (4): the run waits for A, t for the run. Or t queue (1),
// lock A (2), the flush notes the queued run (3), the run starts (4), blocked at lock A: also 4. Fewer is not
// possible: t's three steps and the run's start.
add(
  'flush under a lock the run takes: cycle through the work map, deadlock',
  {
    locks: { A: mutex },
    procedures: { wf: { body: [{ lock: 'A' }, { unlock: 'A' }] } },
    works: { w: { proc: 'wf' } },
    threads: [{ name: 't', locals: { b: 0 }, body: [{ queue_work: 'w' }, { lock: 'A' }, { flush_work: 'w', into: 'b' }, { unlock: 'A' }] }],
  },
  { 'lock-order-cycle': 0, deadlock: 4 },
);

// Sleep in RCU whatever the item's state: t: rcu_read_lock (1); the flush start is attempted inside the section
// in the state after 1 (w idle): sleep-in-rcu (1). The rest ends normally.
add(
  'flush of an idle item inside rcu_read_lock: sleep-in-rcu',
  {
    locks: { A: mutex },
    procedures: { wf: { body: [{ lock: 'A' }, { unlock: 'A' }] } },
    works: { w: { proc: 'wf' } },
    threads: [{ name: 't', body: [{ rcu_read_lock: {} }, { flush_work: 'w' }, { rcu_read_unlock: {} }] }],
  },
  { 'sleep-in-rcu': 1 },
);

// Running and queued: the flush waits for the queued run. The run is x = x + 1 (one step after its start) then
// y = x and return (one step). t waits until run 1 did x = 1, queues w again (run 1 is running or has returned: run 2
// is queued), and flushes: the flush notes the queued run (or, if run 2 already started, the running run 2, or none
// if run 2 already returned), so when its wait ends run 2 has done x = 2: assert x == 2 holds on every run. (Waiting
// only for the running run would let it fail with x == 1.) Nothing else can fail: no findings.
const runTwice = {
  vars: { x: { guard: 'none' }, y: { guard: 'none' } },
  procedures: {
    wf: {
      body: [
        { assign: 'x', value: 'x + 1' },
        { assign: 'y', value: 'x' },
      ],
    },
  },
  works: { w: { proc: 'wf' } },
};
add(
  'flush while running and queued waits for the queued run',
  {
    ...runTwice,
    threads: [
      {
        name: 't',
        locals: { b: 0 },
        body: [
          { queue_work: 'w' },
          { wait_until: 'x == 1' },
          { queue_work: 'w' },
          { flush_work: 'w', into: 'b' },
          { assert: 'x == 2', message: 'the flush returned before the queued run' },
        ],
      },
    ],
  },
  {},
);

// The same with assert x == 3 (always fails, reads x: a visible step of its own), for the length: t queue (1), run 1
// starts (2), x = 1 (3), t wait_until (4), t queue: run 2 queued (5), t flush starts, notes run 2 (6), run 1 y = x
// and returns (7), run 2 starts (8), x = 2 (9), y = x and returns (10), t wait ends (11), t assert (12). The flush
// start may come anywhere between 5 and 8 (then it notes run 2 queued or running): always 12.
add(
  'flush while running and queued: length',
  {
    ...runTwice,
    threads: [
      {
        name: 't',
        body: [{ queue_work: 'w' }, { wait_until: 'x == 1' }, { queue_work: 'w' }, { flush_work: 'w' }, { assert: 'x == 3', message: 'm' }],
      },
    ],
  },
  { assertion: 12 },
);

// A run queued after the flush started is not waited for. The run: s = 1 (a step after its start), then
// wait_until q == 1 and return (one step). u: wait_until s == 1, queue_work w, q = 1: u's queue always comes while
// run 1 is running (after s = 1, before q = 1 lets it return), so it queues run 2. t: queue_work w, flush_work w,
// then the local assert 0 in the tail of its wait's end. Shortest: t queue (1), t flush starts, notes the queued run
// 1 (2), run 1 starts (3), s = 1 (4), u wait_until (5), u queue: run 2 (6), u q = 1 (7), run 1 returns (8), t wait
// ends and asserts (9): run 2 (queued after the flush started) is not waited for. Run 1 must return before t's wait
// ends in any order (if t's flush starts after u's queue, it notes run 2 and is longer), and it needs u's three
// steps: 9 is the least. (Waiting for run 2 too: 12; waiting only for a running run: 3.) Run 2 then passes its wait:
// no deadlock.
add(
  'a run queued after the flush starts is not waited for',
  {
    vars: { s: { guard: 'none' }, q: { guard: 'none' } },
    procedures: { wf: { body: [{ assign: 's', value: 1 }, { wait_until: 'q == 1' }] } },
    works: { w: { proc: 'wf' } },
    threads: [
      { name: 't', body: [{ queue_work: 'w' }, { flush_work: 'w' }, { assert: '0', message: 'after the flush' }] },
      { name: 'u', body: [{ wait_until: 's == 1' }, { queue_work: 'w' }, { assign: 'q', value: 1 }] },
    ],
  },
  { assertion: 9 },
);

// Self-flush from a run: waiting for the run the thread itself is executing never ends, and the touch of
// (work_completion)(w) inside a run of w is recursive locking. t queue (1), the run starts (2): its flush start is
// attempted in that state with w running: recursive-locking (2). The flush starts (3), noting its own run: nothing
// can move, the run is live: deadlock (3).
add(
  'self-flush from a run',
  {
    procedures: { wf: { body: [{ flush_work: 'w' }] } },
    works: { w: { proc: 'wf' } },
    threads: [{ name: 't', body: [{ queue_work: 'w' }] }],
  },
  { 'recursive-locking': 2, deadlock: 3 },
);

// Items of one `per` entry flushing each other share the class (work_completion)(w): recursive-locking. The run of
// w[m] waits for c[m], then flushes w[n1]. t: queue w[n0], queue w[n1], complete c[n0]. Nobody completes c[n1], so
// the run of w[n1] never reaches its flush. The run of w[n0] reaches its flush start after t's three steps and its
// own start and wait (5): w[n1] is queued or running there, so the touch is attempted inside a run of the same entry:
// recursive-locking (5). It then waits for w[n1]'s run, which waits for c[n1] forever: the deadlock needs w[n0]'s
// flush start (6) and w[n1]'s start (7) (a queued item with an idle worker can still move): deadlock (7).
add(
  'per items of one entry flushing each other: recursive-locking',
  {
    locks: { q: { kind: 'mutex', instances: ['n0', 'n1'] } },
    completions: { c: { per: 'q' } },
    procedures: { wf: { params: ['m'], body: [{ wait_for_completion: 'c[m]' }, { flush_work: 'w[n1]' }] } },
    works: { w: { proc: 'wf', per: 'q' } },
    threads: [{ name: 't', body: [{ queue_work: 'w[n0]' }, { queue_work: 'w[n1]' }, { complete: 'c[n0]' }] }],
  },
  { 'recursive-locking': 5, deadlock: 7 },
);

// A run of one entry flushing another's: (work_completion)(v) -> (work_completion)(w) from the run of v, and the
// reverse from the run of w: a lock-order cycle through two maps. t queue w (1), queue v (2), both start (3, 4), each
// flush starts noting the other's running (or queued) run (5, 6): both wait for each other: deadlock (6).
add(
  'runs of two entries flushing each other: cycle through the work maps',
  {
    procedures: { wf: { body: [{ flush_work: 'v' }] }, vf: { body: [{ flush_work: 'w' }] } },
    works: { w: { proc: 'wf' }, v: { proc: 'vf' } },
    threads: [{ name: 't', body: [{ queue_work: 'w' }, { queue_work: 'v' }] }],
  },
  { 'lock-order-cycle': 0, deadlock: 6 },
);

// The map a run holds is not a held lock for max_held (1 here): the run takes A, one lock: no error; not for
// held-at-exit either (the run returns holding nothing). t queue (1), start (2), lock A (3), unlock A and return (4):
// no findings.
add(
  'the work map is not counted by max_held or held-at-exit',
  {
    options: { max_held: 1 },
    locks: { A: mutex },
    procedures: { wf: { body: [{ lock: 'A' }, { unlock: 'A' }] } },
    works: { w: { proc: 'wf' } },
    threads: [{ name: 't', body: [{ queue_work: 'w' }] }],
  },
  {},
);

// ---------------------------------------------------------------- cancel_work_sync

// README's example: lock(rtnl_mutex), then cancel_work_sync(reset) while reset's run takes rtnl_mutex.
// lock-order-cycle (rtnl_mutex -> (work_completion)(reset) -> rtnl_mutex): the cancel finds reset running (q queue,
// the run starts, c lock rtnl, in either order after the queue) in some state, and the run takes rtnl_mutex in some
// state. Deadlock where the cancel waits for such a run: q queue (1), the run starts (2), c lock rtnl (3), c cancel
// starts, notes the running run (4): the run waits for rtnl, c for the run (4). (If the cancel finds reset queued it
// takes it off: no wait, and, since eda47ff, no touch of the map either.)
add(
  "README's example: lock(rtnl_mutex) then cancel_work_sync(reset)",
  {
    locks: { rtnl_mutex: mutex },
    procedures: { reset_fn: { body: [{ lock: 'rtnl_mutex' }, { unlock: 'rtnl_mutex' }] } },
    works: { reset: { proc: 'reset_fn' } },
    threads: [
      { name: 'q', body: [{ queue_work: 'reset' }] },
      { name: 'c', locals: { p: 0 }, body: [{ lock: 'rtnl_mutex' }, { cancel_work_sync: 'reset', into: 'p' }, { unlock: 'rtnl_mutex' }] },
    ],
  },
  { 'lock-order-cycle': 0, deadlock: 4 },
);

// Cancel of a queued item: that run never happens. The run sets x = 1. t: queue w, cancel into p, assert
// p == 0 || x == 0 (reads x: a step of its own), then waits for x == 1 if it took the run off the queue. When the
// cancel found w queued (p = 1) the run never happens: the assert holds and the wait never ends: t queue (1), cancel
// starts, takes the run off (2), wait ends at once (3), assert (4): t blocked, the worker idle and nothing queued:
// deadlock (4). When the run started first, p = 0 and the cancel waits for it to return: x = 1. No assertion.
add(
  'cancel of a queued item: that run never happens',
  {
    vars: { x: { guard: 'none' } },
    procedures: { wf: { body: [{ assign: 'x', value: 1 }] } },
    works: { w: { proc: 'wf' } },
    threads: [
      {
        name: 't',
        locals: { p: 0 },
        body: [
          { queue_work: 'w' },
          { cancel_work_sync: 'w', into: 'p' },
          { assert: 'p == 0 || x == 0', message: 'a cancelled run ran' },
          { if: 'p == 1', then: [{ wait_until: 'x == 1' }] },
        ],
      },
    ],
  },
  { deadlock: 4 },
);

// queue_work during the cancel's wait does nothing. The run: s = 1 (after its start), wait_until q == 1, then
// assert d == 0 (reads d: a step of its own) and return. u: wait_until s == 1, queue_work w, q = 1. t: queue_work w,
// wait_until s == 1, cancel_work_sync w, d = 1. u's queue comes while run 1 runs (after s = 1, before q = 1 lets it
// go on). If t's cancel starts before it, the queue comes during the cancel (which waits for run 1): disabled,
// nothing happens. If after: run 2 is queued (the cancel takes it off) or, once run 1 returned, running (the cancel
// waits for it). So no run ever starts after the cancel started, and every run has returned when the cancel ends:
// the runs' assert d == 0 never fails. (Without the disabled state, run 2 could run after t's d = 1.) No findings.
const cancelDuring = {
  vars: { s: { guard: 'none' }, q: { guard: 'none' }, d: { guard: 'none' } },
  procedures: { wf: { body: [{ assign: 's', value: 1 }, { wait_until: 'q == 1' }, { assert: 'd == 0', message: 'a run after the cancel' }] } },
  works: { w: { proc: 'wf' } },
};
add(
  "queue_work during the cancel's wait does nothing",
  {
    ...cancelDuring,
    threads: [
      { name: 't', body: [{ queue_work: 'w' }, { wait_until: 's == 1' }, { cancel_work_sync: 'w' }, { assign: 'd', value: 1 }] },
      { name: 'u', body: [{ wait_until: 's == 1' }, { queue_work: 'w' }, { assign: 'q', value: 1 }] },
    ],
  },
  {},
);

// The same with t asserting p == 1 after its cancel (local: in the tail of the wait's end): it fails when the
// cancel found w only running (p = 0): t queue (1), run starts (2), s = 1 (3), t wait_until (4), t cancel starts:
// running, not queued, p = 0 (5), u wait_until (6), u queue: ignored (7), u q = 1 (8), run 1 passes its wait (9),
// assert d == 0 and returns (10), t wait ends, assert fails (11). (p = 0 otherwise needs run 2 running at the cancel's
// start: run 2 must start after run 1 returns, after u's three steps: longer.)
add(
  "queue_work during the cancel's wait: into is 0 when only running",
  {
    ...cancelDuring,
    threads: [
      {
        name: 't',
        locals: { p: 0 },
        body: [{ queue_work: 'w' }, { wait_until: 's == 1' }, { cancel_work_sync: 'w', into: 'p' }, { assert: 'p == 1', message: 'm' }],
      },
      { name: 'u', body: [{ wait_until: 's == 1' }, { queue_work: 'w' }, { assign: 'q', value: 1 }] },
    ],
  },
  { assertion: 11 },
);

// Two concurrent cancels and a queue: the queue takes effect only outside both cancels, so final x == 0 fails (the
// run sets x = 1) exactly in the end states where the run ran. Shortest: u queue (1), run starts (2), x = 1 and
// returns (3), each cancel's two steps (4-7): the ended state after 7 (the cancels first and the queue last is also
// 7). The disabled count itself is checked step by step below.
add(
  'two concurrent cancels',
  {
    vars: { x: { guard: 'none' } },
    procedures: { wf: { body: [{ assign: 'x', value: 1 }] } },
    works: { w: { proc: 'wf' } },
    threads: [
      { name: 't1', body: [{ cancel_work_sync: 'w' }] },
      { name: 't2', body: [{ cancel_work_sync: 'w' }] },
      { name: 'u', body: [{ queue_work: 'w' }] },
    ],
    final: [{ assert: 'x == 0', message: 'the run ran' }],
  },
  { assertion: 7 },
);

// Cancel inside an RCU section: sleep-in-rcu at the attempt (1), the item idle.
add(
  'cancel of an idle item inside rcu_read_lock: sleep-in-rcu',
  {
    procedures: { wf: { body: [{ assign: 'v', value: 1 }], locals: { v: 0 } } },
    works: { w: { proc: 'wf' } },
    threads: [{ name: 't', body: [{ rcu_read_lock: {} }, { cancel_work_sync: 'w' }, { rcu_read_unlock: {} }] }],
  },
  { 'sleep-in-rcu': 1 },
);

// Ambiguity (see README.md here): a flush that noted a queued run which a cancel then takes off the queue. That run
// never happens; Linux's flush waits on a barrier work queued behind it, which still runs, so the flush returns. The
// oracle ends the wait when the noted run is taken off. t queue (1), t flush starts, notes the queued run (2), u cancel
// takes it off (3), then t's wait end and u's (4, 5): no deadlock; no findings. (Reading "once the noted run has
// returned" literally would be a deadlock.)
add(
  'a flush whose queued run a cancel takes off returns',
  {
    procedures: { wf: { body: [{ assign: 'v', value: 1 }], locals: { v: 0 } } },
    works: { w: { proc: 'wf' } },
    threads: [
      { name: 't', body: [{ queue_work: 'w' }, { flush_work: 'w' }] },
      { name: 'u', body: [{ cancel_work_sync: 'w' }] },
    ],
  },
  {},
);

// cancel_work_sync touches (work_completion)(NAME) only when it finds the item running (README, "Flushing and
// cancelling work", since eda47ff): a cancel that finds it only queued takes it off the queue and gives lockdep
// nothing. Under this rule the cancel's touch of a per entry's map from a run of the same entry is recursive locking
// only once the other item's run has started. The flush version above is recursive-locking 5 (w[n1] only queued is
// enough); here: t queue w[n0] (1), queue w[n1] (2), complete c[n0] (3), w[n0] starts (4) and passes its wait (5),
// w[n1] starts (6): w[n0]'s cancel start is attempted with w[n1] running: recursive-locking (6). The run of w[n0]
// needs t's three steps, its own two, and w[n1]'s start: nothing shorter. (Under the old rule, 5.) Deadlock: w[n1]
// waits for c[n1] forever once it started; w[n0] must not be able to move: it starts, passes its wait and starts its
// cancel (which finds w[n1] running and waits for it; finding it queued it would take it off, and then w[n1] never
// runs): t's 3, w[n1]'s start, w[n0]'s 3 steps: deadlock (7).
add(
  'per items of one entry cancelling each other: recursive-locking only once running',
  {
    locks: { q: { kind: 'mutex', instances: ['n0', 'n1'] } },
    completions: { c: { per: 'q' } },
    procedures: { wf: { params: ['m'], body: [{ wait_for_completion: 'c[m]' }, { cancel_work_sync: 'w[n1]' }] } },
    works: { w: { proc: 'wf', per: 'q' } },
    threads: [{ name: 't', body: [{ queue_work: 'w[n0]' }, { queue_work: 'w[n1]' }, { complete: 'c[n0]' }] }],
  },
  { 'recursive-locking': 6, deadlock: 7 },
);

// ---------------------------------------------------------------- completions

// Count 2 releases two waits: u completes twice, t1 and t2 each wait once: every order ends. (A done flag instead
// of a count would leave one waiter blocked.) No findings.
add(
  'completion count 2 releases two waits',
  {
    completions: { c: {} },
    threads: [
      { name: 'u', body: [{ complete: 'c' }, { complete: 'c' }] },
      { name: 't1', body: [{ wait_for_completion: 'c' }] },
      { name: 't2', body: [{ wait_for_completion: 'c' }] },
    ],
  },
  {},
);

// A third waiter is left: u complete (1), complete (2), t1 wait (3), t2 wait (4): t3 blocked, count 0: deadlock (4).
// (Any two waits take the two counts; the third never passes: the least is after the four steps.)
add(
  'completion count 2 and three waits: deadlock',
  {
    completions: { c: {} },
    threads: [
      { name: 'u', body: [{ complete: 'c' }, { complete: 'c' }] },
      { name: 't1', body: [{ wait_for_completion: 'c' }] },
      { name: 't2', body: [{ wait_for_completion: 'c' }] },
      { name: 't3', body: [{ wait_for_completion: 'c' }] },
    ],
  },
  { deadlock: 4 },
);

// complete_all: every wait passes, and takes nothing from "all". No findings.
add(
  'complete_all then waits pass',
  {
    completions: { c: {} },
    threads: [
      { name: 'u', body: [{ complete_all: 'c' }] },
      { name: 't1', body: [{ wait_for_completion: 'c' }, { wait_for_completion: 'c' }] },
      { name: 't2', body: [{ wait_for_completion: 'c' }] },
    ],
  },
  {},
);

// reinit_completion makes the count 0 again: u complete_all (1), reinit (2): t's wait can never pass: deadlock (2).
// (t waiting between them passes: no deadlock on that run.)
add(
  'reinit_completion after complete_all',
  {
    completions: { c: {} },
    threads: [
      { name: 'u', body: [{ complete_all: 'c' }, { reinit_completion: 'c' }] },
      { name: 't', body: [{ wait_for_completion: 'c' }] },
    ],
  },
  { deadlock: 2 },
);

// Lockdep records nothing for a completion: a wait under a lock the completer needs is only a deadlock: t lock A (1):
// t waits for c, u for A: deadlock (1); no lock-order edge at all.
add(
  'wait under a lock the completer needs: deadlock only',
  {
    locks: { A: mutex },
    completions: { c: {} },
    threads: [
      { name: 't', body: [{ lock: 'A' }, { wait_for_completion: 'c' }, { unlock: 'A' }] },
      { name: 'u', body: [{ lock: 'A' }, { complete: 'c' }, { unlock: 'A' }] },
    ],
  },
  { deadlock: 1 },
);

// wait_for_completion may sleep: inside an RCU section it is sleep-in-rcu (attempted after 1); complete does not:
// t rcu_read_lock (1), wait attempted: sleep-in-rcu (1); the completer's complete is inside its own section: nothing.
add(
  'wait_for_completion sleeps, complete does not',
  {
    completions: { c: {} },
    threads: [
      { name: 't', body: [{ rcu_read_lock: {} }, { wait_for_completion: 'c' }, { rcu_read_unlock: {} }] },
      {
        name: 'u',
        body: [{ rcu_read_lock: {} }, { complete: 'c' }, { complete_all: 'c' }, { reinit_completion: 'c' }, { complete: 'c' }, { rcu_read_unlock: {} }],
      },
    ],
  },
  { 'sleep-in-rcu': 1 },
);

for (const c of cases) {
  test(c.title, (t) => {
    t.is(schemaErrors(c.spec), null, 'the spec is valid against specs/schema/lockcheck.schema.json');
    const r = runOracleSpec(c.spec);
    t.is(r.error, undefined);
    t.true(r.complete);
    t.deepEqual(r.kinds, c.kinds);
  });
}

// Concurrent cancels, step by step: each disables the item, and it is enabled again when the last one ends.
test('two concurrent cancels: enabled again when the last ends', (t) => {
  const spec = {
    name: 'cancels',
    procedures: { wf: { body: [{ assign: 'v', value: 1 }], locals: { v: 0 } } },
    works: { w: { proc: 'wf' } },
    threads: [
      { name: 't1', body: [{ cancel_work_sync: 'w' }] },
      { name: 't2', body: [{ cancel_work_sync: 'w' }] },
      { name: 'u1', body: [{ queue_work: 'w' }] },
      { name: 'u2', body: [{ queue_work: 'w' }] },
    ],
  };
  t.is(schemaErrors(spec), null);
  const run = (schedule: string[]) => runOracleSpec(spec, 1000, { schedule }).replay!;
  // t1 and t2 start, t1 ends, u1 queues: t2 still disables it
  let r = run(['t1', 't2', 't1', 'u1']);
  t.is(r.steps, 4);
  t.is(r.queued.w, 0);
  // then t2 ends, and u2's queue takes effect
  r = run(['t1', 't2', 't1', 'u1', 't2', 'u2']);
  t.is(r.queued.w, 1);
  // one cancel: enabled again once it ends
  r = run(['t1', 'u1']);
  t.is(r.queued.w, 0);
  r = run(['t1', 't1', 'u1']);
  t.is(r.queued.w, 1);
});

// A cancel under lock A, the run taking A (README, "Flushing and cancelling work", since eda47ff: cancel_work_sync
// gives lockdep the acquire-and-release of (work_completion)(w) only when it finds w running; queued, it takes it
// off the queue and lockdep sees nothing). t: queue_work w, lock A, cancel_work_sync w, unlock A; the run: lock A,
// unlock A.
//
// (a) The item only queued at the cancel. The language cannot make a run impossible there in every run: once w is
// queued its worker is idle (were it busy, w would be running), and a worker's start of its queued item is a step it
// can take in any state (README: "a worker starting its queued item" is a visible step; nothing in the README blocks
// it); it changes nothing of t (not its held locks, not its next statement). So every reachable state where t, holding
// A, is about to cancel a queued w has a successor (the start) where t is the same and w is running, and the edge
// A -> (work_completion)(w) is reached there: the edge set, and so lock-order-cycle, do not depend on the rule. What
// the rule decides is which states give the edge, so it is checked (a1) on the one run where the worker never starts
// before the cancel, and (a2) by the shortest run to the edge in the full search:
// (a1) schedule t, t, t, t, t: t queue (1), lock A (2), t's cancel start is attempted in the state after 2 with w
//   queued and its worker idle: no touch, no edge (under the old rule: A -> (work_completion)(w) there); the cancel
//   takes the run off (3), its wait ends at once (4), unlock A (5): t done, w idle and not queued, and the run's lock A
//   was never attempted: no edge at all in this run.
// (a2) full search: the state after t queue (1), lock A (2) (w queued) gives nothing; the edge needs w running, i.e.
//   also the worker's start: after t queue, w start, t lock A (or t queue, t lock A, w start): A -> (work_completion)(w)
//   is first added at depth 3, not 2. (work_completion)(w) -> A at depth 2 (t queue, w start: the run attempts lock A
//   holding its map). Both EN (mutexes, map held exclusively, touch non-recursive). lock-order-cycle 0 and deadlock 4
//   as in the README's example above.
// (b) The item running at the cancel: schedule t, w, t, t, w: t queue (1), w starts (2), t lock A (3), t's cancel
//   start is attempted in the state after 3 with w running and A held: A -> (work_completion)(w) EN at 3; the cancel
//   notes the running run (4); the run's lock A is attempted in the state after 4, under its map:
//   (work_completion)(w) -> A EN at 4, and blocks (t holds A): the replay stops there, w blocked at its lock.
const cancelUnderA = {
  name: 'cancel under A',
  locks: { A: mutex },
  procedures: { wf: { body: [{ lock: 'A' }, { unlock: 'A' }] } },
  works: { w: { proc: 'wf' } },
  threads: [{ name: 't', body: [{ queue_work: 'w' }, { lock: 'A' }, { cancel_work_sync: 'w' }, { unlock: 'A' }] }],
};
const AtoMap = 'A/0 -> (work_completion)(w)/0';
const mapToA = '(work_completion)(w)/0 -> A/0';

test('(a1) a cancel under A that finds the item only queued adds no A -> (work_completion)(w) edge', (t) => {
  t.is(schemaErrors(cancelUnderA), null);
  const r = runOracleSpec(cancelUnderA, 1000, { schedule: ['t', 't', 't', 't', 't'], edges: true });
  t.is(r.error, undefined);
  t.is(r.replay!.steps, 5);
  t.is(r.replay!.blockedAt, undefined);
  t.deepEqual(r.replay!.status, { t: 'done', w: 'idle' });
  t.is(r.replay!.queued.w, 0);
  t.deepEqual(r.edges, {});
  t.deepEqual(r.kinds, {});
});

test('(a2) full search: A -> (work_completion)(w) only through states where the item is running', (t) => {
  const r = runOracleSpec(cancelUnderA, 1000, { edges: true });
  t.is(r.error, undefined);
  t.true(r.complete);
  t.deepEqual(r.edges, { [AtoMap]: { types: ['EN'], depth: 3 }, [mapToA]: { types: ['EN'], depth: 2 } });
  t.deepEqual(r.kinds, { 'lock-order-cycle': 0, deadlock: 4 });
});

test('(b) a cancel under A that finds the item running adds A -> (work_completion)(w)', (t) => {
  const r = runOracleSpec(cancelUnderA, 1000, { schedule: ['t', 'w', 't', 't', 'w'], edges: true });
  t.is(r.error, undefined);
  t.is(r.replay!.steps, 4);
  t.is(r.replay!.blockedAt, 'w');
  t.deepEqual(r.edges, { [AtoMap]: { types: ['EN'], depth: 3 }, [mapToA]: { types: ['EN'], depth: 4 } });
});

// Flush bookkeeping, step by step: the flush waits for the queued run, not for the one running at its start.
test('flush of a running and queued item waits for the queued run', (t) => {
  const spec = {
    name: 'flush',
    vars: { x: { guard: 'none' } },
    procedures: {
      wf: {
        body: [
          { assign: 'x', value: 'x + 1' },
          { assign: 'x', value: 'x + 1' },
        ],
      },
    },
    works: { w: { proc: 'wf' } },
    threads: [
      { name: 't', body: [{ flush_work: 'w' }] },
      { name: 'u', body: [{ queue_work: 'w' }, { queue_work: 'w' }] },
    ],
  };
  t.is(schemaErrors(spec), null);
  const run = (schedule: string[]) => runOracleSpec(spec, 1000, { schedule }).replay!;
  // u queues, the run starts, u queues again, t's flush starts: run 1 running, run 2 queued
  const pre = ['u', 'w', 'u', 't'];
  t.is(run(pre).status.t, 'blocked');
  t.is(run([...pre, 't']).blockedAt, 't'); // waits
  // run 1 does its two steps and returns: still waiting (for run 2)
  t.is(run([...pre, 'w', 'w', 't']).blockedAt, 't');
  // run 2 starts and returns: the wait ends
  const r = run([...pre, 'w', 'w', 'w', 'w', 'w', 't']);
  t.is(r.blockedAt, undefined);
  t.is(r.status.t, 'done');
});
