// Kernel semantics: RCU and SRCU grace periods, sleeping in RCU, notifier chains, work queues, wait_until,
// final assertions, and TOCTOU windows. Each test can fail: a negative control sits beside each positive one.
import test from 'ava';
import { checkSpec, kinds } from '../helpers/check';
import { toctouWindow } from '../../checker/facts';

const mutex = { kind: 'mutex' };

test('synchronize_rcu waits for a reader whose section began before it', (t) => {
  const spec = (sync: boolean) => ({
    name: 'gp',
    vars: { phase: { init: 0 } },
    threads: [
      { name: 'reader', body: [{ rcu_read_lock: {} }, { assign: 'phase', value: 1 }, { assign: 'phase', value: 2 }, { rcu_read_unlock: {} }] },
      {
        name: 'updater',
        locals: { p: 0 },
        body: [
          { assign: 'p', value: 'phase' },
          ...(sync ? [{ synchronize_rcu: {} }] : []),
          { if: 'p == 1', then: [{ assert: 'phase == 2', message: 'reader still inside' }] },
        ],
      },
    ],
  });
  t.deepEqual(kinds(checkSpec(spec(true))), []);
  t.deepEqual(kinds(checkSpec(spec(false))), ['assertion'], 'without the grace period the reader can still be inside');
});

test('sleeping in an RCU read-side section: a mutex yes, a spinlock no', (t) => {
  t.deepEqual(
    kinds(
      checkSpec({
        name: 's',
        locks: { M: mutex },
        threads: [{ name: 't', body: [{ rcu_read_lock: {} }, { lock: 'M' }, { unlock: 'M' }, { rcu_read_unlock: {} }] }],
      }),
    ),
    ['sleep-in-rcu'],
  );
  t.deepEqual(
    kinds(
      checkSpec({
        name: 's',
        locks: { S: { kind: 'spinlock' } },
        threads: [{ name: 't', body: [{ rcu_read_lock: {} }, { lock: 'S' }, { unlock: 'S' }, { rcu_read_unlock: {} }] }],
      }),
    ),
    [],
  );
  t.deepEqual(
    kinds(checkSpec({ name: 's', threads: [{ name: 't', body: [{ rcu_read_lock: {} }, { synchronize_rcu: {} }, { rcu_read_unlock: {} }] }] })),
    ['deadlock', 'sleep-in-rcu'],
    'a grace period inside its own section waits for itself (PREEMPT_RCU)',
  );
});

test('rcu_read_unlock without a section, and ending inside one', (t) => {
  t.deepEqual(kinds(checkSpec({ name: 'u', threads: [{ name: 't', body: [{ rcu_read_unlock: {} }] }] })), ['unlock-not-held']);
  t.deepEqual(kinds(checkSpec({ name: 'u', threads: [{ name: 't', body: [{ rcu_read_lock: {} }] }] })), ['held-at-exit']);
});

test('synchronize_srcu under a lock an SRCU reader needs: deadlock and the lockdep cycle', (t) => {
  const spec = (syncUnderLock: boolean) => ({
    name: 'srcu',
    locks: { L: mutex, s: { kind: 'srcu' } },
    threads: [
      { name: 'reader', body: [{ srcu_read_lock: 's' }, { lock: 'L' }, { unlock: 'L' }, { srcu_read_unlock: 's' }] },
      {
        name: 'sync',
        body: syncUnderLock ? [{ lock: 'L' }, { synchronize_srcu: 's' }, { unlock: 'L' }] : [{ synchronize_srcu: 's' }, { lock: 'L' }, { unlock: 'L' }],
      },
    ],
  });
  const bad = checkSpec(spec(true));
  t.deepEqual(kinds(bad), ['deadlock', 'lock-order-cycle']);
  t.regex(
    bad.findings
      .find((f) => f.kind === 'deadlock')!
      .trace!.blocked!.map((b) => b.waitsFor)
      .join(' '),
    /SRCU grace period of s/,
  );
  t.deepEqual(kinds(checkSpec(spec(false))), []);
});

test('notifier handlers run in order, in the caller context, with its locks held', (t) => {
  const r = checkSpec({
    name: 'chain',
    locks: { L: mutex },
    vars: { seen: { init: 0 } },
    procedures: {
      first: { params: ['ev'], body: [{ assert_held: 'L' }, { assert: 'seen == 0' }, { assign: 'seen', value: 'ev' }] },
      second: {
        params: ['ev'],
        body: [
          { assert: 'seen == ev', message: 'runs after first' },
          { assign: 'seen', value: 'ev + 1' },
        ],
      },
    },
    notifiers: { chain: { params: ['ev'], handlers: ['first', 'second'] } },
    threads: [{ name: 't', body: [{ lock: 'L' }, { call_notifiers: 'chain', args: [5] }, { unlock: 'L' }, { assert: 'seen == 6' }] }],
  });
  t.deepEqual(r.diagnostics, []);
  t.deepEqual(kinds(r), []);
});

test('work queues: a pending item is not queued twice, and always runs', (t) => {
  const spec = (final: string) => ({
    name: 'wq',
    vars: { runs: { init: 0 } },
    procedures: { fn: { body: [{ assign: 'runs', value: 'runs + 1' }] } },
    works: { w: { proc: 'fn' } },
    threads: [{ name: 't', body: [{ queue_work: 'w' }, { queue_work: 'w' }] }],
    final: [{ assert: final }],
  });
  t.deepEqual(kinds(checkSpec(spec('runs >= 1 && runs <= 2'))), [], 'never lost, never run three times');
  t.deepEqual(kinds(checkSpec(spec('runs == 2'))), ['assertion'], 'queued twice before it ran: it runs once');
  t.deepEqual(kinds(checkSpec(spec('runs == 1'))), ['assertion'], 'queued again after it started: it runs again');
});

test('per-instance work items run their procedure with the instance', (t) => {
  const r = checkSpec({
    name: 'per',
    locks: { net: { kind: 'mutex', instances: ['a', 'b'] } },
    vars: { done: { init: 0 } },
    procedures: { fn: { params: ['n'], body: [{ lock: 'net[n]' }, { assign: 'done', value: 'add(done, n)' }, { unlock: 'net[n]' }] } },
    works: { w: { proc: 'fn', per: 'net' } },
    threads: [{ name: 't', body: [{ queue_work: 'w[b]' }] }],
    final: [{ assert: 'done == {b}', message: 'only b ran' }],
  });
  t.deepEqual(r.diagnostics, []);
  t.deepEqual(kinds(r), []);
  t.is(r.stats!.threads, 3, 'the thread and one worker per instance');
});

test('wait_until that nobody satisfies is a deadlock', (t) => {
  const r = checkSpec({
    name: 'w',
    vars: { ref: { init: 2 } },
    threads: [{ name: 't', body: [{ assign: 'ref', value: 'ref - 1' }, { wait_until: 'ref == 0' }] }],
  });
  t.deepEqual(kinds(r), ['deadlock']);
  t.regex(r.findings[0].trace!.blocked![0].waitsFor, /wait_until ref == 0/);
});

test('TOCTOU: a value checked under a lock, the lock dropped, written by another thread, then used', (t) => {
  const spec = (dropped: boolean) => ({
    name: 'toctou',
    locks: { L: mutex },
    vars: { x: { init: 0, guard: 'L' } },
    threads: [
      {
        name: 'user',
        locals: { v: 0 },
        body: [
          { lock: 'L' },
          { assign: 'v', value: 'x' },
          ...(dropped ? [{ unlock: 'L' }, { lock: 'L' }] : []),
          { assert: 'x == v', message: 'x changed under us' },
          { unlock: 'L' },
        ],
      },
      { name: 'writer', body: [{ lock: 'L' }, { assign: 'x', value: 1 }, { unlock: 'L' }] },
    ],
  });
  const r = checkSpec(spec(true));
  t.deepEqual(kinds(r), ['toctou']);
  const f = r.findings[0];
  const w = toctouWindow(f)!;
  t.true(w.check < w.write && w.write < w.use);
  t.is(f.trace!.steps[w.write - 1].thread, 'writer');
  t.is(f.trace!.steps[w.check - 1].thread, 'user');
  t.is(f.trace!.steps[w.use - 1].thread, 'user');
  t.deepEqual(kinds(checkSpec(spec(false))), [], 'held throughout: no window');
});

test('an assertion that fails without a stale read stays an assertion', (t) => {
  const r = checkSpec({ name: 'plain', vars: { x: { init: 0 } }, threads: [{ name: 't', body: [{ assign: 'x', value: 1 }, { assert: 'x == 0' }] }] });
  t.deepEqual(kinds(r), ['assertion']);
});

test('final assertions are checked where every run ends, not before', (t) => {
  const spec = (final: string) => ({
    name: 'f',
    vars: { x: { init: 0 } },
    threads: [
      { name: 'a', body: [{ assign: 'x', value: 'x + 1' }] },
      { name: 'b', body: [{ assign: 'x', value: 'x + 1' }] },
    ],
    final: [{ assert: final }],
  });
  t.deepEqual(kinds(checkSpec(spec('x == 2'))), []);
  t.deepEqual(kinds(checkSpec(spec('x == 1'))), ['assertion']);
});
