// Symmetry reduction: copies of one thread (a "count" thread) that run the same code and never look at
// their index (`self`) are interchangeable. Two states that differ only by a permutation of such copies
// have the same futures up to that permutation, so the visited set treats them as one: it compares states
// in a canonical form (the copies' slot blocks sorted, lock owners and grace-period snapshots renumbered to
// match). The stored state itself is the first one met, so traces replay without renumbering.
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
  const nInst = m.instances.length;
  const newIndex = new Int32Array(m.threads.length);
  const selfOf = m.threads.map((_, t) => selfOffsetOf(m, t));
  return (s, out) => {
    out.set(s);
    for (let t = 0; t < newIndex.length; t++) newIndex[t] = t;
    for (const g of groups) {
      const w = widths[g[0]];
      const self = selfOf[g[0]]; // differs between copies, and no copy reads it: not compared, not stored
      const order = [...g].sort((a, b) => {
        const ba = m.threads[a].base;
        const bb = m.threads[b].base;
        for (let k = 0; k < w; k++) if (k !== self && s[ba + k] !== s[bb + k]) return s[ba + k] - s[bb + k];
        return a - b;
      });
      order.forEach((from, k) => {
        const to = g[k];
        newIndex[from] = to;
        out.set(s.subarray(m.threads[from].base, m.threads[from].base + w), m.threads[to].base);
        if (self >= 0) out[m.threads[to].base + self] = 0;
      });
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
      const copy = out.slice(base, base + m.threads.length);
      for (let u = 0; u < m.threads.length; u++) out[base + newIndex[u]] = copy[u];
    }
  };
}
