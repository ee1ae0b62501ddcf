// Random lock-shorthand specs for differential testing (lockcheck against SPIN) and fuzzing: 2-4 threads over
// 2-4 locks, steps L/R/T/U, mostly well nested, sometimes a leak (a thread ends holding a lock), an unlock of a
// lock not held (double unlock) or an out-of-order unlock; in half the specs nested locks follow one global
// order. Deterministic in the seed.

export type GenKind = 'mutex' | 'spinlock' | 'rwlock' | 'rwsem';

export interface ShorthandSpec {
  name: string;
  locks: Record<string, { kind: GenKind }>;
  threads: { name: string; seq: string }[];
}

export interface GenOptions {
  minThreads?: number;
  maxThreads?: number;
  minLocks?: number;
  maxLocks?: number;
  /** lock kinds to draw from (default mutex, spinlock, rwlock) */
  kinds?: GenKind[];
  /** most acquisitions per thread (default 6; lockcheck holds at most 8 locks per thread by default) */
  maxAcquires?: number;
}

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of the i-th spec of a run: distinct and stable per (run seed, i). */
export function specSeed(seed: number, i: number): number {
  return (Math.imul(seed, 0x9e3779b1) + Math.imul(i, 0x85ebca6b) + 1) >>> 0;
}

const LOCK_NAMES = ['A', 'B', 'C', 'D', 'E', 'F'];

export function randomShorthandSpec(seed: number, o: GenOptions = {}): ShorthandSpec {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const kinds = o.kinds ?? ['mutex', 'spinlock', 'rwlock'];
  const nLocks = int(o.minLocks ?? 2, o.maxLocks ?? 4);
  const nThreads = int(o.minThreads ?? 2, o.maxThreads ?? 4);
  const maxAcquires = o.maxAcquires ?? 6;
  const names = LOCK_NAMES.slice(0, nLocks);
  const locks: ShorthandSpec['locks'] = {};
  for (const n of names) locks[n] = { kind: pick(kinds) };
  const hasRead = (n: string) => locks[n].kind === 'rwlock' || locks[n].kind === 'rwsem';

  // Half the specs take nested locks in one global order (A before B before ...), so that not every spec
  // deadlocks; leaks, double unlocks and trylocks still occur in both halves.
  const ordered = rnd() < 0.5;
  const threads: ShorthandSpec['threads'] = [];
  for (let t = 0; t < nThreads; t++) {
    const steps: string[] = [];
    const held: string[] = []; // what the thread believes it holds, innermost last
    const acquires = int(1, maxAcquires);
    let done = 0;
    while (done < acquires || held.length > 0) {
      const r = rnd();
      const after = ordered && held.length > 0 ? names.slice(names.indexOf(held[held.length - 1]) + 1) : names;
      if (done < acquires && after.length > 0 && (held.length === 0 || (held.length < 3 && r < 0.55))) {
        const lock = pick(after);
        const op = hasRead(lock) && rnd() < 0.45 ? 'R' : rnd() < 0.15 ? 'T' : 'L';
        steps.push(`${op}(${lock})`);
        held.push(lock);
        done++;
      } else if (r < 0.04) {
        break; // leak: end holding whatever is held
      } else if (r < 0.08) {
        steps.push(`U(${pick(names)})`); // possibly not held: a double unlock
      } else if (r < 0.14 && held.length > 1) {
        const k = int(0, held.length - 2); // out of LIFO order, as lockdep allows
        steps.push(`U(${held[k]})`);
        held.splice(k, 1);
      } else if (held.length > 0) {
        steps.push(`U(${held.pop()!})`);
      } else break;
    }
    threads.push({ name: `t${t}`, seq: steps.join(' ') });
  }
  return { name: `random-${seed}`, locks, threads };
}
