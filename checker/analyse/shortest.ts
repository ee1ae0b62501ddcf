// Shortest counterexamples under reductions. Partial-order and symmetry reduction keep every finding but may
// reach it by a longer path than the shortest interleaving. After a complete reduced search, a breadth-first
// search without reductions, bounded by the depth of the deepest finding (and a state budget), finds every
// finding's shortest trace in the unreduced interleaving space, the same trace a search without reductions
// reports; so the trace, and a kind read off it (toctou or assertion), never depends on the search mode.
// Findings it cannot confirm within its budget keep their trace, marked as possibly not the shortest.
import { CompiledModel } from '../model/ir';
import { Finding, pathLength } from '../result';
import { explore, ExploreOptions } from '../explore/explore';
import { analyse } from './findings';
import { identityKey } from '../facts';

/** The confirming search stores at most this many states, or this multiple of the reduced search's. */
export const MIN_BUDGET = 200_000;
export const BUDGET_FACTOR = 4;

export { pathLength }; // (in result.ts, beside the trace it measures)

/**
 * What makes two findings the same problem, whichever search found them: a toctou is a failed check, and
 * copies of one thread (writer[0], writer[1]) are interchangeable, as symmetry reduction treats them.
 */
export function findingIdentity(f: Finding): string {
  const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.col}` : '';
  const copies = (text: string) => text.replace(/\[\d+\]/g, '[*]');
  switch (f.kind) {
    case 'toctou':
      return `check|${at}|${copies(f.facts.check)}`;
    case 'assertion':
      return `check|${at}|${copies(f.facts.text)}`;
    case 'recursive-locking':
      // one per class and place, as the validator keeps them: which two instances a search meets first varies
      return `${f.kind}|${at}|${f.facts.how}|${f.facts.class}`;
    default:
      return `${at}|${identityKey(f, true)}`;
  }
}

export function confirmShortest(
  m: CompiledModel,
  found: Finding[],
  reducedStates: number,
  options: ExploreOptions,
  budget = Math.max(MIN_BUDGET, BUDGET_FACTOR * reducedStates),
): Finding[] {
  const traced = found.filter((f) => f.trace);
  if (traced.length === 0) return found;
  const maxDepth = Math.max(...traced.map((f) => pathLength(f.trace!.path)));
  const x = explore(m, {
    ...options,
    strategy: 'bfs',
    por: false,
    symmetry: false,
    maxDepth,
    maxStates: budget,
    shard: undefined,
    bitstateBits: undefined,
    onProgress: undefined,
  });
  if (x.stopped) {
    for (const f of traced) f.trace!.shortest = false;
    return found;
  }
  const reference = new Map<string, Finding>();
  for (const f of analyse(m, x)) if (f.trace && !reference.has(findingIdentity(f))) reference.set(findingIdentity(f), f);
  const used = new Set<string>();
  const out: Finding[] = [];
  for (const f of found) {
    const key = findingIdentity(f);
    const r = f.trace ? reference.get(key) : undefined;
    if (r && used.has(key)) continue; // the same problem twice (e.g. from two shards): once is enough
    if (r) used.add(key);
    else if (f.trace) f.trace.shortest = false;
    out.push(r ?? f);
  }
  // anything the bounded unreduced search found that the reduced one did not is real too: report it
  const reported = new Set(out.map(findingIdentity));
  for (const [key, r] of reference) if (!reported.has(key)) out.push(r);
  return out;
}
