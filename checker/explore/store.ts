// The visited set: every stored state lives in one growing Int32Array arena, found through a 64-bit
// fingerprint in an open-addressing table over typed arrays. A hit is confirmed by comparing the full
// vector, so two states never merge by accident. Parent links (state index + transition) make traces.

export class StateStore {
  readonly width: number;
  count = 0;
  private arena: Int32Array;
  private fpLo: Uint32Array;
  private table: Int32Array; // state index + 1; 0 = empty
  private mask: number;
  parent: Int32Array;
  /** the transition that reached the state: thread << 16 | choice */
  via: Int32Array;

  /** symmetry: states are found by their canonical form, kept in a second arena */
  private canon?: (s: Int32Array, out: Int32Array) => void;
  private canonArena?: Int32Array;
  private scratch: Int32Array;

  constructor(width: number, initialCapacity = 1 << 12, canon?: (s: Int32Array, out: Int32Array) => void) {
    this.canon = canon;
    this.scratch = new Int32Array(Math.max(1, width));
    if (canon) this.canonArena = new Int32Array(initialCapacity * Math.max(1, width));
    this.width = Math.max(1, width);
    this.arena = new Int32Array(initialCapacity * this.width);
    this.fpLo = new Uint32Array(initialCapacity);
    this.parent = new Int32Array(initialCapacity);
    this.via = new Int32Array(initialCapacity);
    this.table = new Int32Array(initialCapacity * 2);
    this.mask = this.table.length - 1;
  }

  /** Bytes used per stored state by the arena, fingerprints, parent links and the hash table. */
  bytesPerState(): number {
    return this.width * 4 * (this.canonArena ? 2 : 1) + 4 + 4 + 4 + (this.table.length * 4) / Math.max(1, this.count);
  }

  get(index: number, out: Int32Array): Int32Array {
    out.set(this.arena.subarray(index * this.width, (index + 1) * this.width));
    return out;
  }

  /** Inserts s unless an equal state is stored. Returns the index and whether it is new. */
  insert(actual: Int32Array, parent: number, via: number): { index: number; added: boolean } {
    const w = this.width;
    let s = actual;
    if (this.canon) {
      this.canon(actual, this.scratch);
      s = this.scratch;
    }
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
    h1 = fmix(h1 ^ w);
    h2 = fmix(h2 ^ w) >>> 0;
    let slot = h1 & this.mask;
    for (;;) {
      const e = this.table[slot];
      if (e === 0) break;
      const idx = e - 1;
      if (this.fpLo[idx] === h2 && this.equals(idx, s)) return { index: idx, added: false };
      slot = (slot + 1) & this.mask;
    }
    const index = this.count;
    if (index >= this.fpLo.length) this.growArena();
    this.arena.set(actual, index * w);
    if (this.canonArena) this.canonArena.set(s, index * w);
    this.fpLo[index] = h2;
    this.parent[index] = parent;
    this.via[index] = via;
    this.table[slot] = index + 1;
    this.count++;
    if (this.count * 2 > this.table.length) this.rehash();
    return { index, added: true };
  }

  private equals(idx: number, s: Int32Array): boolean {
    const off = idx * this.width;
    const a = this.canonArena ?? this.arena;
    for (let i = 0; i < this.width; i++) if (a[off + i] !== s[i]) return false;
    return true;
  }

  private growArena() {
    const cap = this.fpLo.length * 2;
    const grow = <T extends Int32Array | Uint32Array>(old: T, n: number): T => {
      const x = new (old.constructor as { new (n: number): T })(n);
      x.set(old);
      return x;
    };
    this.arena = grow(this.arena, cap * this.width);
    this.fpLo = grow(this.fpLo, cap);
    this.parent = grow(this.parent, cap);
    this.via = grow(this.via, cap);
    if (this.canonArena) this.canonArena = grow(this.canonArena, cap * this.width);
  }

  private rehash() {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    const tmp = new Int32Array(this.width);
    const src = this.canonArena ?? this.arena;
    for (let idx = 0; idx < this.count; idx++) {
      tmp.set(src.subarray(idx * this.width, (idx + 1) * this.width));
      let slot = this.slotHash(tmp) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = idx + 1;
    }
    this.table = table;
    this.mask = mask;
  }

  private slotHash(s: Int32Array): number {
    let h1 = 0x9747b28c;
    for (let i = 0; i < this.width; i++) {
      let k = Math.imul(s[i], 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h1 ^= k;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    }
    return fmix(h1 ^ this.width);
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
