// The visited set that the worker threads of `--jobs N` share (a SharedArrayBuffer), and the barrier that keeps
// them on one breadth-first level. Each worker explores one shard (explore.ts Shard); below the split level a
// state is expanded only by the worker that owns it, so no state is explored twice. Levels are synchronised:
// while level d is expanded, every state of depth <= d is already claimed, so "this successor was stored no
// deeper than d" (the breadth-first cycle proviso) has the same answer in every worker and in a
// single-threaded search. The reduced state graph, and with it the number of distinct states, is then exactly
// the single-threaded search's, whatever the interleaving of the workers.
//
// Which worker owns a state, and by which transition it is reached (its trace), must not depend on which
// worker got there first, or reports would vary from run to run: each offer carries a key computed from the
// parent's fingerprint and the transition (and the offering worker in its low bits), and the smallest key
// offered during the level wins (a compare-and-swap minimum). At the barrier every state of the next level has
// its final owner; a worker skips the states it stored but lost (`keyAt` no longer its key).
//
// A slot is four int32s: the fingerprint's first word (forced odd, so 0 means empty: the compare-and-swap
// word), its second word (forced odd, so 0 means "being written"), the claim's number + 1 (0: being written),
// and the smallest key offered. A claim's number orders claims by level: those made before the current level
// began have a number below `levelStart`.

const ARRIVED = 0;
const GENERATION = 1;
const ABORT = 2;
const CLAIMS = 3;
const LEVEL_START = 4;
const FRONTIER = 5; // two words, by generation parity
const CONTROL_WORDS = 8;
const SLOT_WORDS = 4;

/** Why a worker stopped, shared so that the others stop too (0: none). */
export const STOP_REASONS = ['max-states', 'max-seconds', 'max-memory', 'interrupted'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

/** The result of a claim. */
export const CLAIMED = -1; // this worker claimed the state now (or offered the smallest key yet this level): it stores it
export const FULL = -2; // the table is full: the caller stores the state itself (sound; only work is duplicated)
export const SEEN_BEFORE = -3; // claimed by another worker before this level: no deeper than the state expanded
export const SEEN_THIS_LEVEL = -4; // offered during this level with a smaller key: in the next level, not ours

/** Slots for a search expected to store about `states` states (at most half full), from 2^16 to 2^24. */
export function sharedVisitedBuffer(states: number): SharedArrayBuffer {
  let log = 16;
  while (log < 24 && 2 ** log < 2 * states) log++;
  return new SharedArrayBuffer(4 * (CONTROL_WORDS + SLOT_WORDS * 2 ** log));
}

export class SharedVisited {
  private readonly ctrl: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** claims stop at 70% load: probing a fuller open-addressing table costs more than the work it saves */
  private readonly maxClaims: number;
  private levelStart = 0;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly parties: number,
  ) {
    this.ctrl = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.slots = new Int32Array(buffer, 4 * CONTROL_WORDS);
    const capacity = this.slots.length / SLOT_WORDS;
    this.mask = capacity - 1;
    this.maxClaims = Math.floor(capacity * 0.7);
  }

  /** The slot of the last offer that returned CLAIMED (for keyAt). */
  lastSlot = -1;

  /**
   * Offers the state with fingerprint (h1, h2) for this worker with `key` (> 0; see the header), or says who has
   * it (see CLAIMED etc.).
   */
  claim(h1: number, h2: number, key: number): number {
    const { ctrl, slots } = this;
    const a = h2 | 1;
    const b = h1 | 1;
    let slot = (h1 ^ (h2 >>> 7)) & this.mask;
    for (;;) {
      const at = SLOT_WORDS * slot;
      let cur = Atomics.load(slots, at);
      if (cur === 0) {
        if (Atomics.load(ctrl, CLAIMS) >= this.maxClaims) return FULL;
        cur = Atomics.compareExchange(slots, at, 0, a);
        if (cur === 0) {
          Atomics.store(slots, at + 1, b);
          Atomics.store(slots, at + 3, key);
          Atomics.store(slots, at + 2, Atomics.add(ctrl, CLAIMS, 1) + 1);
          this.lastSlot = slot;
          return CLAIMED;
        }
      }
      if (cur === a) {
        // another worker is writing this slot: its remaining words follow within a few instructions
        let number = Atomics.load(slots, at + 2);
        while (number === 0) number = Atomics.load(slots, at + 2);
        if (Atomics.load(slots, at + 1) === b) {
          if (number - 1 < this.levelStart) return SEEN_BEFORE;
          // claimed during this level: the smallest key wins
          let held = Atomics.load(slots, at + 3);
          while (key < held) {
            const was = Atomics.compareExchange(slots, at + 3, held, key);
            if (was === held) {
              this.lastSlot = slot;
              return CLAIMED;
            }
            held = was;
          }
          return SEEN_THIS_LEVEL;
        }
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** The smallest key offered for the state in `slot` (after the level's barrier: its owner's key). */
  keyAt(slot: number): number {
    return Atomics.load(this.slots, SLOT_WORDS * slot + 3);
  }

  /** Claims made so far by all workers. */
  get claims(): number {
    return Atomics.load(this.ctrl, CLAIMS);
  }

  /**
   * Waits until every worker has finished the current level, adding `frontier` (the states this worker stored
   * for the next level) to the level's total; returns the total (0: the search is over) or the reason another
   * worker stopped.
   */
  barrier(frontier: number): number | StopReason {
    const { ctrl } = this;
    const gen = Atomics.load(ctrl, GENERATION);
    Atomics.add(ctrl, FRONTIER + (gen & 1), frontier);
    if (Atomics.add(ctrl, ARRIVED, 1) === this.parties - 1) {
      // the last to arrive opens the next level
      Atomics.store(ctrl, FRONTIER + ((gen + 1) & 1), 0);
      Atomics.store(ctrl, LEVEL_START, Atomics.load(ctrl, CLAIMS));
      Atomics.store(ctrl, ARRIVED, 0);
      Atomics.add(ctrl, GENERATION, 1);
      Atomics.notify(ctrl, GENERATION);
    } else
      while (Atomics.load(ctrl, GENERATION) === gen) {
        const stopped = this.stopped();
        if (stopped) return stopped;
        Atomics.wait(ctrl, GENERATION, gen, 50);
      }
    this.levelStart = Atomics.load(ctrl, LEVEL_START);
    return Atomics.load(ctrl, FRONTIER + (gen & 1));
  }

  /** Tells every worker to stop (a bound was reached, or a worker failed). */
  stop(reason: StopReason) {
    Atomics.compareExchange(this.ctrl, ABORT, 0, STOP_REASONS.indexOf(reason) + 1);
    Atomics.notify(this.ctrl, GENERATION);
  }

  stopped(): StopReason | undefined {
    const r = Atomics.load(this.ctrl, ABORT);
    return r === 0 ? undefined : STOP_REASONS[r - 1];
  }
}
