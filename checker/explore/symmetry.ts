// Symmetry reduction: copies of one thread (a "count" thread) that run the same code and never look at
// their index (`self`) are interchangeable. Two states that differ only by a permutation of such copies
// have the same futures up to that permutation, so the visited set treats them as one: it compares states
// in a canonical form (the copies' slot blocks sorted, lock owners and grace-period snapshots renumbered to
// match; the flushers' entries of a flushed works entry, one per thread, permuted with their threads). The
// stored state itself is the first one met, so traces replay without renumbering.
import { CompiledModel, threadWidth } from '../model/ir';

export function symmetryGroups(m: CompiledModel): number[][] {
  const byDecl = new Map<string, number[]>();
  m.threads.forEach((th, t) => {
    if (th.worker) return;
    const selfSlot = th.code.length > 0 ? selfOffsetOf(m, t) : -1;
    const readsSelf = th.code.some((i) => i.reads?.locals.includes(selfSlot));
    if (readsSelf) return;
    const key = `${th.decl}`;
    if (!byDecl.has(key)) byDecl.set(key, []);
    byDecl.get(key)!.push(t);
  });
  return [...byDecl.values()].filter((g) => g.length > 1 && g.every((t) => m.threads[t].code === m.threads[g[0]].code));
}

/** `self` is the first local of every thread (model/compile.ts allocates it first). */
function selfOffsetOf(m: CompiledModel, t: number): number {
  return m.threads[t].localNames.find((l) => l.name === 'self')?.offset ?? -1;
}

/** A function writing the canonical form of s into out (same width), or undefined when nothing is symmetric. */
export function makeCanonicalizer(m: CompiledModel, groups: number[][]): ((s: Int32Array, out: Int32Array) => void) | undefined {
  if (groups.length === 0) return undefined;
  const widths = m.threads.map((_, t) => threadWidth(m, t));
  const bases = m.threads.map((th) => th.base);
  const nInst = m.instances.length;
  const newIndex = new Int32Array(m.threads.length);
  const selfOf = m.threads.map((_, t) => selfOffsetOf(m, t));
  // scratch, so that canonicalising (once per generated state) allocates nothing
  const order = new Int32Array(Math.max(...groups.map((g) => g.length)));
  const snapCopy = new Int32Array(m.threads.length);
  // per flushed works entry, the table of its flushers' entries (indexed by thread)
  const waitTables = m.works.flatMap((w) => (w.flushed ? [w.flushed.waits] : []));
  /** compares copies a and b of a group by their slots (all but `self`), their flushers' entries, then by index */
  const compare = (s: Int32Array, a: number, b: number, w: number, self: number): number => {
    const ba = bases[a];
    const bb = bases[b];
    for (let k = 0; k < w; k++) if (k !== self && s[ba + k] !== s[bb + k]) return s[ba + k] - s[bb + k];
    for (const tb of waitTables) if (s[tb + a] !== s[tb + b]) return s[tb + a] - s[tb + b];
    return a - b;
  };
  return (s, out) => {
    out.set(s);
    for (let t = 0; t < newIndex.length; t++) newIndex[t] = t;
    for (const g of groups) {
      const w = widths[g[0]];
      const self = selfOf[g[0]]; // differs between copies, and no copy reads it: not compared, not stored
      // insertion sort: groups are a few threads
      for (let k = 0; k < g.length; k++) {
        const x = g[k];
        let j = k;
        for (; j > 0 && compare(s, order[j - 1], x, w, self) > 0; j--) order[j] = order[j - 1];
        order[j] = x;
      }
      for (let k = 0; k < g.length; k++) {
        const from = order[k];
        const to = g[k];
        newIndex[from] = to;
        const fb = bases[from];
        const tb = bases[to];
        for (let x = 0; x < w; x++) out[tb + x] = s[fb + x];
        if (self >= 0) out[tb + self] = 0;
      }
    }
    // lock owners name threads: renumber them
    for (let i = 0; i < nInst; i++) {
      const lb = m.locksBase + 2 * i;
      if (out[lb] > 0) out[lb] = newIndex[out[lb] - 1] + 1;
    }
    // grace-period snapshots are indexed by thread: permute their entries
    for (const th of m.threads) {
      if (th.snapOffset < 0) continue;
      const base = th.base + th.snapOffset;
      for (let u = 0; u < m.threads.length; u++) snapCopy[u] = out[base + u];
      for (let u = 0; u < m.threads.length; u++) out[base + newIndex[u]] = snapCopy[u];
    }
    for (const tb of waitTables) for (let u = 0; u < m.threads.length; u++) out[tb + newIndex[u]] = s[tb + u];
  };
}
