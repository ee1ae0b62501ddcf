// The visited set, over typed arrays, in one of three modes:
// - fingerprint (the default, TLC's and SPIN's hash compaction): a state is known by its 64-bit fingerprint
//   (two 32-bit hashes) in an open-addressing table; only the frontier's vectors are kept. Two distinct
//   states merge only if all 64 bits collide: about n^2 / 2^65 for n states (reported in the stats).
// - exact: every vector is kept (in chunks) and a fingerprint hit is confirmed by comparing vectors.
// - bitstate (supertrace): a state is "visited" when its two hash bits are set in a bit table.
// Every mode keeps the parent link (state index + transition) of every state, 8 bytes, and traces are
// rebuilt by replaying them from the initial state.

import { CLAIMED, SEEN_BEFORE, SEEN_THIS_LEVEL } from './shared-visited';

type Canon = (s: Int32Array, out: Int32Array) => void;

/** What insert returns for a state another worker stored in the next level: above every index of this store. */
export const ELSEWHERE_NEXT_LEVEL = 0x7fffffff;

const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;

export class StateStore {
  readonly width: number;
  count = 0;
  /** vectors of states, in chunks of CHUNK states (growing never copies them); released chunks are dropped */
  private chunks: (Int32Array | undefined)[] = [];
  private canonChunks?: Int32Array[];
  private released = 0;
  private fpLo: Uint32Array;
  /** the other hash, kept so that growing the table does not hash every state again */
  private fpHi: Uint32Array;
  /** exact mode: state index + 1 per slot, 0 = empty */
  private table?: Int32Array;
  private mask = 0;
  /** bitstate mode */
  private bits?: Uint8Array;
  private bitMask = 0;
  parent: Int32Array;
  /** the transition that reached the state: thread << 16 | choice */
  via: Int32Array;
  private scratch: Int32Array;
  private h1 = 0;
  private h2 = 0;

  /** fingerprint and bitstate modes keep only the frontier's vectors */
  private readonly frontierOnly: boolean;

  constructor(
    width: number,
    initialCapacity = 1 << 12,
    private canon?: Canon,
    bitstateBits?: number,
    readonly exact = false,
  ) {
    this.frontierOnly = !exact;
    this.width = Math.max(1, width);
    this.scratch = new Int32Array(this.width);
    this.fpLo = new Uint32Array(initialCapacity);
    this.fpHi = new Uint32Array(initialCapacity);
    this.parent = new Int32Array(initialCapacity);
    this.via = new Int32Array(initialCapacity);
    if (bitstateBits !== undefined) {
      const bits = Math.max(10, Math.min(32, bitstateBits)); // 2^32 bits = 512 MiB at most
      this.bits = new Uint8Array(2 ** (bits - 3));
      this.bitMask = 2 ** bits - 1;
    } else {
      this.table = new Int32Array(initialCapacity * 2);
      this.mask = this.table.length - 1;
      // symmetry: states are compared in canonical form, kept beside the actual ones (exact mode)
      if (canon && exact) this.canonChunks = [];
    }
  }

  get bitstate(): boolean {
    return this.bits !== undefined;
  }

  /** Bytes used per stored state: vectors kept, fingerprints, parent links, and the table. */
  bytesPerState(): number {
    const n = Math.max(1, this.count);
    const chunkBytes = CHUNK * this.width * 4;
    const vectors = (this.chunks.filter(Boolean).length + (this.canonChunks?.length ?? 0)) * chunkBytes;
    const table = this.table ? this.table.length * 4 : this.bits!.length;
    return (vectors + table) / n + 16;
  }

  get(index: number, out: Int32Array): Int32Array {
    const c = this.chunks[index >>> CHUNK_BITS];
    if (!c) throw new Error(`state ${index} was released`);
    const off = (index & (CHUNK - 1)) * this.width;
    out.set(c.subarray(off, off + this.width));
    return out;
  }

  /** The state's 32-bit fingerprint (of its canonical form), e.g. to split a search into shards. */
  fingerprint(index: number): number {
    return this.fpLo[index];
  }

  /** Fingerprint and bitstate modes: states below `index` are expanded; drop their vectors (not their links). */
  release(index: number) {
    if (!this.frontierOnly) return;
    for (; this.released < index >>> CHUNK_BITS; this.released++) this.chunks[this.released] = undefined;
  }

  private hash(s: Int32Array) {
    const w = this.width;
    let h1 = 0x9747b28c;
    let h2 = 0x85ebca6b;
    for (let i = 0; i < w; i++) {
      let k = Math.imul(s[i], 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h1 ^= k;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      h2 ^= Math.imul(s[i] ^ (i << 24), 0x2545f491);
      h2 = (h2 << 17) | (h2 >>> 15);
      h2 = Math.imul(h2, 0x27d4eb2d);
    }
    this.h1 = fmix(h1 ^ w) >>> 0;
    this.h2 = fmix(h2 ^ w) >>> 0;
  }

  /** whether the last insert added a state (a field, not a returned object: insert runs once per transition) */
  added = false;

  /**
   * --jobs: asked for each state of the next level reached (fingerprint words h1, h2; `key` from the parent and
   * the transition) whether this worker stores it (see shared-visited.ts); unset, every new state is stored.
   * After a CLAIMED answer, `claimedSlot` says where the shared set keeps the state's smallest key.
   */
  claim?: (h1: number, h2: number, key: number) => number;
  claimedSlot?: () => number;
  /** --jobs: states from this index on are the next level's (not expanded yet: their parent may still change) */
  nextLevel = 0;
  /** --jobs: per state, its slot in the shared set and the key it was stored with (slot -1: not shared) */
  private sharedSlot?: Int32Array;
  private sharedKey?: Int32Array;
  /** --jobs: stored states another worker turned out to own (skipped, not counted) */
  stale = 0;

  /** States stored, less those another worker owns. */
  get states(): number {
    return this.count - this.stale;
  }

  /** --jobs: the key state idx was stored (or last reached) with; 0 for states stored before the split. */
  keyOf(idx: number): number {
    return this.sharedKey && idx < this.sharedKey.length ? this.sharedKey[idx] : 0;
  }

  /** --jobs: whether another worker owns stored state idx (`keyAt`: the shared set's smallest key for a slot). */
  lostTo(idx: number, keyAt: (slot: number) => number): boolean {
    const slot = this.sharedSlot ? this.sharedSlot[idx] : -1;
    return slot >= 0 && keyAt(slot) !== this.sharedKey![idx];
  }

  /** Inserts s unless an equal (or, with symmetry, equivalent) state is stored; returns its index (-1: a bitstate hit, or a state another worker stored no deeper than the current level; ELSEWHERE_NEXT_LEVEL: one it stored in the next level) and sets `added`. */
  insert(actual: Int32Array, parent: number, via: number): number {
    let s = actual;
    if (this.canon) {
      this.canon(actual, this.scratch);
      s = this.scratch;
    }
    this.hash(s);
    const { h1, h2 } = this;
    if (this.bits) {
      const a = h1 & this.bitMask;
      const b = (h2 * 0x10000 + (h1 >>> 16)) % (this.bitMask + 1);
      this.added = !(this.bits[a >>> 3] & (1 << (a & 7)) && this.bits[b >>> 3] & (1 << (b & 7)));
      if (!this.added) return -1;
      this.bits[a >>> 3] |= 1 << (a & 7);
      this.bits[b >>> 3] |= 1 << (b & 7);
      return this.append(actual, s, h2, parent, via);
    }
    const table = this.table!;
    let slot = h1 & this.mask;
    for (;;) {
      const e = table[slot];
      if (e === 0) break;
      const idx = e - 1;
      if (this.fpLo[idx] === h2 && this.fpHi[idx] === h1 && (!this.exact || this.equals(idx, s))) {
        this.added = false;
        // --jobs: a next-level state reached again by a smaller key is reached by this transition (whoever owns it)
        if (this.claim && idx >= this.nextLevel && this.sharedSlot![idx] >= 0) {
          const key = this.claimKey(parent, via);
          if (key < this.sharedKey![idx] && this.claim(h1, h2, key) === CLAIMED) this.reparent(idx, actual, parent, via, key);
        }
        return idx;
      }
      slot = (slot + 1) & this.mask;
    }
    let key = 0;
    let shared = -1;
    if (this.claim) {
      // --jobs: a state another worker claimed is expanded by that worker
      key = this.claimKey(parent, via);
      const c = this.claim(h1, h2, key);
      if (c === SEEN_BEFORE || c === SEEN_THIS_LEVEL) {
        this.added = false;
        return c === SEEN_BEFORE ? -1 : ELSEWHERE_NEXT_LEVEL;
      }
      if (c === CLAIMED) shared = this.claimedSlot!();
    }
    const index = this.append(actual, s, h2, parent, via);
    if (this.claim) {
      this.sharedSlot ??= new Int32Array(this.fpLo.length).fill(-1);
      this.sharedKey ??= new Int32Array(this.fpLo.length);
      if (this.sharedSlot.length < this.fpLo.length) {
        this.sharedSlot = growArray(this.sharedSlot, this.fpLo.length);
        this.sharedKey = growArray(this.sharedKey, this.fpLo.length);
      }
      this.sharedSlot[index] = shared;
      this.sharedKey[index] = key;
    }
    table[slot] = index + 1;
    if (this.count * 2 > table.length) this.rehash();
    this.added = true;
    return index;
  }

  /**
   * A key in (0, 2^30]: 24 bits of history, the (thread, choice) of the last transitions in 10 bits each, the
   * oldest highest (the parent's history shifted, then this transition), so that of two ways into a state the
   * one whose last steps move the lower threads first wins, as in a single-threaded breadth-first search; then
   * this worker's index (< 64, set by explore); plus 1 (0: none).
   */
  workerBits = 0;
  private claimKey(parent: number, via: number): number {
    const thread = Math.min(63, via >>> 16);
    const choice = Math.min(15, via & 0xffff);
    // (a parent stored before the split has no key: its history reads as all ones, alike for every such parent)
    const history = (this.keyOf(parent) - 1) >>> 6;
    return (((((history << 10) | (thread << 4) | choice) & 0xffffff) << 6) | this.workerBits) + 1;
  }

  /** A next-level state gets the parent (and the vector) of the transition with the smallest key. */
  private reparent(idx: number, actual: Int32Array, parent: number, via: number, key: number) {
    this.chunks[idx >>> CHUNK_BITS]!.set(actual, (idx & (CHUNK - 1)) * this.width);
    this.parent[idx] = parent;
    this.via[idx] = via;
    this.sharedKey![idx] = key;
  }

  /**
   * Whether a state equal (or equivalent) to s is stored, without storing it: its index, -1 if not, -2 for a
   * bitstate hit (whose index is unknown). Depth-first search asks it for the stack proviso.
   */
  find(actual: Int32Array): number {
    let s = actual;
    if (this.canon) {
      this.canon(actual, this.scratch);
      s = this.scratch;
    }
    this.hash(s);
    const { h1, h2 } = this;
    if (this.bits) {
      const a = h1 & this.bitMask;
      const b = (h2 * 0x10000 + (h1 >>> 16)) % (this.bitMask + 1);
      return this.bits[a >>> 3] & (1 << (a & 7)) && this.bits[b >>> 3] & (1 << (b & 7)) ? -2 : -1;
    }
    const table = this.table!;
    for (let slot = h1 & this.mask; table[slot] !== 0; slot = (slot + 1) & this.mask) {
      const idx = table[slot] - 1;
      if (this.fpLo[idx] === h2 && this.fpHi[idx] === h1 && (!this.exact || this.equals(idx, s))) return idx;
    }
    return -1;
  }

  /**
   * Stores s again under a new index, outside the table (lookups still find the first copy): a depth-bounded
   * depth-first search that reaches a state by a shorter path explores it again from there, and the states it
   * reaches need this path as their parent links (with symmetry the vector may differ from the first copy's).
   */
  appendCopy(actual: Int32Array, parent: number, via: number): number {
    let s = actual;
    if (this.canon) {
      this.canon(actual, this.scratch);
      s = this.scratch;
    }
    this.hash(s);
    return this.append(actual, s, this.h2, parent, via);
  }

  private append(actual: Int32Array, canonical: Int32Array, fp: number, parent: number, via: number): number {
    const index = this.count;
    if (index >= this.fpLo.length) this.grow();
    const c = index >>> CHUNK_BITS;
    const off = (index & (CHUNK - 1)) * this.width;
    if (off === 0) {
      this.chunks[c] = new Int32Array(CHUNK * this.width);
      this.canonChunks?.push(new Int32Array(CHUNK * this.width));
    }
    this.chunks[c]!.set(actual, off);
    this.canonChunks?.[c].set(canonical, off);
    this.fpLo[index] = fp;
    this.fpHi[index] = this.h1;
    this.parent[index] = parent;
    this.via[index] = via;
    this.count++;
    return index;
  }

  private equals(idx: number, s: Int32Array): boolean {
    const a = (this.canonChunks ?? this.chunks)[idx >>> CHUNK_BITS]!;
    const off = (idx & (CHUNK - 1)) * this.width;
    for (let i = 0; i < this.width; i++) if (a[off + i] !== s[i]) return false;
    return true;
  }

  private grow() {
    const cap = this.fpLo.length * 2;
    this.fpLo = growArray(this.fpLo, cap);
    this.fpHi = growArray(this.fpHi, cap);
    this.parent = growArray(this.parent, cap);
    this.via = growArray(this.via, cap);
  }

  private rehash() {
    const table = new Int32Array(this.table!.length * 2);
    const mask = table.length - 1;
    for (let idx = 0; idx < this.count; idx++) {
      let slot = this.fpHi[idx] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = idx + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

function growArray<T extends Int32Array | Uint32Array>(old: T, n: number): T {
  const x = new (old.constructor as { new (n: number): T })(n);
  x.set(old.subarray(0, Math.min(old.length, n)));
  return x;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
