// The lock class cmp_fn (lockdep's lock_set_cmp_fn), written declaratively as rules tried in turn:
// {"first": X} puts X before every other instance (rtnl_net_cmp_locks: init_net first);
// {"by": attr, "order": "asc"} orders by an attribute (then ascending address).
import { LockInstance, ResolvedCmpRule } from './ir';

export function makeCmpFn(rules: ResolvedCmpRule[], instances: LockInstance[]): (a: number, b: number) => number {
  return (a, b) => {
    if (a === b) return 0;
    for (const r of rules) {
      if ('first' in r) {
        const f = r.first;
        if (a === f) return -1;
        if (b === f) return 1;
      } else {
        const va = instances[a].attrs[r.by];
        const vb = instances[b].attrs[r.by];
        if (va === undefined || vb === undefined || va === vb) continue;
        const d = va < vb ? -1 : 1;
        return r.order === 'desc' ? -d : d;
      }
    }
    return 0;
  };
}

export interface CmpProblem {
  rule: 'irreflexive' | 'antisymmetric' | 'transitive' | 'total';
  instances: number[];
  message: string;
}

/** Pairwise checks are quadratic: above this many instances only neighbours in sorted order are compared. */
const ALL_PAIRS_MAX = 2048;
/** A broken cmp can break thousands of pairs: report this many problems per class at most. */
const MAX_PROBLEMS = 10;

/**
 * Is cmp a strict total order on the class's instances? Sorts them by cmp, then checks that every pair (every
 * neighbouring pair, for big classes) is ordered one way, consistently with the sort: O(n^2) at most, not
 * the O(n^3) of trying every triple. Instances tied with each other are one problem, not one per pair.
 */
export function checkCmpOrder(ids: number[], cmp: (a: number, b: number) => number, name: (i: number) => string): CmpProblem[] {
  const out: CmpProblem[] = [];
  const push = (p: CmpProblem) => {
    if (out.length < MAX_PROBLEMS) out.push(p);
  };
  for (const a of ids) if (cmp(a, a) !== 0) push({ rule: 'irreflexive', instances: [a], message: `cmp(${name(a)}, ${name(a)}) is not 0` });
  const ids2 = ids.filter((a) => cmp(a, a) === 0);
  // V8's sort terminates on any comparator; an inconsistent one shows up below as a badly ordered pair.
  const sorted = [...ids2].sort((a, b) => Math.sign(cmp(a, b)) || a - b);
  const tied = (a: number, b: number) => cmp(a, b) === 0 && cmp(b, a) === 0;
  // runs of neighbours tied with each other
  const groupOf = new Map<number, number>();
  const groups: number[][] = [];
  for (const a of sorted) {
    const g = groups[groups.length - 1];
    if (g && tied(g[g.length - 1], a)) g.push(a);
    else groups.push([a]);
    groupOf.set(a, groups.length - 1);
  }
  for (const g of groups)
    if (g.length > 1) {
      const names = g.length <= 4 ? g.map(name) : [...g.slice(0, 3).map(name), `${g.length - 3} more`];
      const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      push({ rule: 'total', instances: g, message: `cmp ties ${list}: ${g.length > 2 ? 'none' : 'neither'} is ordered before the other` });
    }
  const badPair = (i: number, j: number) => {
    const [a, b] = [sorted[i], sorted[j]];
    if (groupOf.get(a) === groupOf.get(b)) return;
    const ab = Math.sign(cmp(a, b));
    const ba = Math.sign(cmp(b, a));
    if (ab < 0 && ba > 0) return;
    if (ab === 0 && ba === 0) push({ rule: 'total', instances: [a, b], message: `cmp ties ${name(a)} and ${name(b)}: neither is ordered before the other` });
    else if (ab === ba || ab === 0 || ba === 0)
      push({ rule: 'antisymmetric', instances: [a, b], message: `cmp(${name(a)}, ${name(b)}) and cmp(${name(b)}, ${name(a)}) do not order them one way` });
    else {
      // b < a, although the sort put a first: a chain a < ... < b closes a cycle; name a middle of it
      for (let k = i + 1; k < j; k++) {
        const c = sorted[k];
        if (cmp(a, c) < 0 && cmp(c, b) < 0) {
          push({ rule: 'transitive', instances: [a, c, b], message: `cmp orders ${name(a)} < ${name(c)} < ${name(b)} but not ${name(a)} < ${name(b)}` });
          return;
        }
      }
      push({
        rule: 'transitive',
        instances: [a, b],
        message: `cmp orders ${name(b)} before ${name(a)}, against a chain of instances each before the next from ${name(a)} to ${name(b)}`,
      });
    }
  };
  const n = sorted.length;
  for (let i = 0; i < n && out.length < MAX_PROBLEMS; i++)
    if (n <= ALL_PAIRS_MAX) for (let j = i + 1; j < n && out.length < MAX_PROBLEMS; j++) badPair(i, j);
    else if (i + 1 < n) badPair(i, i + 1);
  return out;
}
