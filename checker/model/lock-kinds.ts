// One table of what each lock kind allows, read by the compiler, the validator, the machine and the
// partial-order reduction (instead of comparing kind names in each of them).
import { LockKind } from '../spec/types';

export interface LockKindRules {
  /** has a read side (read_lock, down_read, srcu_read_lock) */
  readSide: boolean;
  /** readers are recursive: a reader never waits for a queued writer, and lockdep allows read-after-read */
  recursiveRead: boolean;
  /** a reader waits behind a writer already queued for the lock (rwsem, qrwlock in process context) */
  readersQueueBehindWriters: boolean;
  /** taken with L/R/T/U and the lock statements (an srcu_struct only with the srcu_* statements) */
  plainLock: boolean;
  /** acquiring it may sleep (not allowed in an RCU read-side section) */
  maySleep: boolean;
  /** an srcu_struct: read sections and grace periods */
  srcu: boolean;
}

const KINDS: Record<LockKind, LockKindRules> = {
  mutex: { readSide: false, recursiveRead: false, readersQueueBehindWriters: false, plainLock: true, maySleep: true, srcu: false },
  spinlock: { readSide: false, recursiveRead: false, readersQueueBehindWriters: false, plainLock: true, maySleep: false, srcu: false },
  rwlock: { readSide: true, recursiveRead: true, readersQueueBehindWriters: false, plainLock: true, maySleep: false, srcu: false },
  rwsem: { readSide: true, recursiveRead: false, readersQueueBehindWriters: true, plainLock: true, maySleep: true, srcu: false },
  srcu: { readSide: true, recursiveRead: true, readersQueueBehindWriters: false, plainLock: false, maySleep: false, srcu: true },
};

export function lockKind(kind: LockKind): LockKindRules {
  return KINDS[kind];
}
