// One description per finding kind, for the reports that explain kinds to their reader: SARIF's rules (with
// help text for GitHub code scanning) and the HTML report's legend. Keyed by FindingKind, so a new kind does
// not compile until it is described here.
import { FindingKind } from '../checker/spec/types';

export interface RuleMeta {
  /** PascalCase name, as SARIF's reportingDescriptor.name wants */
  name: string;
  /** one sentence */
  short: string;
  /** what it means and what to do, in plain text (Markdown where marked) */
  help: string;
}

export const RULES: Record<FindingKind, RuleMeta> = {
  deadlock: {
    name: 'ReachableDeadlock',
    short: 'A reachable state where live threads remain and none can move.',
    help:
      'Some interleaving of the threads reaches a state where every live thread waits: on a lock it holds itself ' +
      '(self-deadlock), on each other in a cycle (AB-BA and longer), or on a lock that no live thread will ever ' +
      'release. The trace is the shortest schedule that gets there; the blocked threads and the wait-for cycle ' +
      'are listed at its end. Fix: take the locks in one global order (for one class, the order of its cmp), or ' +
      'serialise the paths with an outer lock.',
  },
  'lock-order-cycle': {
    name: 'LockOrderCycle',
    short: "lockdep's possible circular locking dependency: held -> acquired class edges form a cycle.",
    help:
      'Across all explored runs, lock classes were acquired while holding others so that the dependency graph ' +
      '(held -> acquired) has a cycle, as lockdep reports it: "possible circular locking dependency detected". ' +
      'Each edge comes with the schedule that added it. The message says whether an explored schedule actually ' +
      'deadlocked on these classes, or which gate lock held across every edge keeps them apart (lockdep would ' +
      'still warn). Fix: make every path take the classes in one order.',
  },
  'recursive-locking': {
    name: 'RecursiveLocking',
    short: "lockdep's possible recursive locking: a class nested in itself without an allowed order.",
    help:
      'A thread acquires a lock of a class while holding another lock of the same class, and neither a nest ' +
      "lock, distinct subclasses nor the class's cmp order (lockdep's cmp_fn, e.g. rtnl_net_lock_cmp_fn()) allows " +
      'that nesting; or it takes a lock it already holds. Fix: sort the instances by the cmp order before taking ' +
      'them, or annotate the nesting (mutex_lock_nested, mutex_lock_nest_lock).',
  },
  'cmp-invalid': {
    name: 'CmpInvalid',
    short: "The class's cmp is not a strict total order on its instances.",
    help:
      "A lock class's cmp rules leave two instances unordered or order them inconsistently (two netns with the " +
      'same address, a rule that contradicts an earlier one). Nesting by such an order cannot be proven free of ' +
      'AB-BA. Fix: add a tie-breaking rule so that every pair of instances is ordered one way.',
  },
  toctou: {
    name: 'TimeOfCheckToTimeOfUse',
    short: 'Time of check to time of use: a value read under a guard is used after another thread changed it.',
    help:
      'A thread reads a shared value under its guard (or under RCU), drops the guard, and later acts on what it ' +
      'read; in between, another thread writes the value, so the use is wrong (an assertion fails). The report ' +
      'marks the three steps of the window: the check, the interleaved write and the use. Fix: hold the guard ' +
      'from check to use, or look the value up again after retaking the guard and retry when it changed.',
  },
  assertion: {
    name: 'AssertionFailure',
    short: 'An assert or assert_held failed, a guarded variable was written without its guard, or a run-time error.',
    help:
      'An assert(expr) was false, a lockdep_assert_held() found the lock not held, a shared variable was written ' +
      'without holding its declared guard, or the model hit a run-time error such as an index out of range. The ' +
      'trace ends at the failing statement.',
  },
  'unlock-not-held': {
    name: 'UnlockNotHeld',
    short: 'A thread released a lock it does not hold.',
    help: 'An unlock of a lock the thread does not hold: a double unlock, or an unlock on a path that never took it.',
  },
  'held-at-exit': {
    name: 'HeldAtExit',
    short: 'A thread ended holding locks.',
    help: 'A thread returned with locks still held: an error path that forgot its unlock. Every other thread that needs the lock then waits forever.',
  },
  'sleep-in-rcu': {
    name: 'SleepInRcu',
    short: 'A thread slept (took a sleeping lock, waited) inside an RCU read-side critical section.',
    help:
      'Blocking inside rcu_read_lock()/rcu_read_unlock() is a bug: a mutex, rwsem, synchronize_rcu() or a wait ' +
      'may sleep, and an RCU reader must not. Fix: take the reference you need under RCU, leave the read section, ' +
      'then sleep.',
  },
};
