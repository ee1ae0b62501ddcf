// The lock class cmp_fn (lockdep's lock_set_cmp_fn), written declaratively as rules tried in turn:
// {"first": X} puts X before every other instance (rtnl_net_cmp_locks: init_net first);
// {"by": attr, "order": "asc"} orders by an attribute (then ascending address).
import { CmpRule } from '../spec/types';
import { LockInstance } from './ir';

export function makeCmpFn(rules: CmpRule[], instances: LockInstance[], byName: Map<string, number>): (a: number, b: number) => number {
  return (a, b) => {
    if (a === b) return 0;
    for (const r of rules) {
      if ('first' in r) {
        const f = byName.get(r.first);
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

/** Is cmp a strict total order on the class's instances? Returns every violation found (ties, cycles). */
export function checkCmpOrder(ids: number[], cmp: (a: number, b: number) => number, name: (i: number) => string): CmpProblem[] {
  const out: CmpProblem[] = [];
  for (const a of ids) if (cmp(a, a) !== 0) out.push({ rule: 'irreflexive', instances: [a], message: `cmp(${name(a)}, ${name(a)}) is not 0` });
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const [a, b] = [ids[i], ids[j]];
      const ab = Math.sign(cmp(a, b));
      const ba = Math.sign(cmp(b, a));
      if (ab === 0 || ba === 0) out.push({ rule: 'total', instances: [a, b], message: `cmp ties ${name(a)} and ${name(b)}: neither is ordered before the other` });
      else if (ab === ba) out.push({ rule: 'antisymmetric', instances: [a, b], message: `cmp puts ${name(a)} and ${name(b)} each before the other` });
    }
  for (const a of ids)
    for (const b of ids)
      for (const c of ids)
        if (a !== b && b !== c && a !== c && cmp(a, b) < 0 && cmp(b, c) < 0 && !(cmp(a, c) < 0))
          out.push({ rule: 'transitive', instances: [a, b, c], message: `cmp orders ${name(a)} < ${name(b)} < ${name(c)} but not ${name(a)} < ${name(c)}` });
  return out;
}
