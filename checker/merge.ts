// Merging the results of a split search (lockcheck check --shard i/n, or --jobs N): per spec, the union of
// the shards' findings and lock-order graphs and the sum of their work. The merged verdict is a proof only
// when every shard 0..n-1 of the same split is present and finished.
import { matchExpectation } from './analyse/expect';
import { CheckResult, Finding, pathLength, SpecResult } from './result';

export function mergeResults(parts: CheckResult[]): CheckResult {
  const byFile = new Map<string, SpecResult[]>();
  for (const p of parts)
    for (const r of p.results) {
      if (!byFile.has(r.file)) byFile.set(r.file, []);
      byFile.get(r.file)!.push(r);
    }
  return { results: [...byFile.values()].map(mergeSpec) };
}

/**
 * The same finding seen by two shards may name different copies of a thread (writer[0], writer[1]); a deadlock
 * is one per shape, as the search keeps them: the same threads (copies alike) blocked at the same places, whichever
 * instances they wait for.
 */
export function mergeKey(f: Finding): string {
  const at = f.location ? `${f.location.file}:${f.location.line}:${f.location.col}` : '';
  const blocked = f.trace?.blocked;
  if (f.kind === 'deadlock' && blocked)
    return `deadlock|${blocked
      .map((b) => `${b.thread.replace(/\[\d+\]/g, '[*]')}@${b.src.file}:${b.src.line}:${b.src.col}`)
      .sort()
      .join(' ')}`;
  return `${f.kind}|${at}|${f.message.replace(/\[\d+\]/g, '[*]')}`;
}

function mergeSpec(rs: SpecResult[]): SpecResult {
  const first = rs[0];
  if (rs.some((r) => r.verdict === 'error')) return rs.find((r) => r.verdict === 'error')!;
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  for (const r of rs)
    for (const f of r.findings) {
      const key = mergeKey(f);
      const i = seen.get(key);
      if (i === undefined) {
        seen.set(key, findings.length);
        findings.push(f);
      } else if (f.trace && findings[i].trace && pathLength(f.trace.path) < pathLength(findings[i].trace!.path)) findings[i] = f; // the shorter witness
    }
  const edges = new Map<string, { from: string; to: string; type: string }>();
  const nodes = new Set<string>();
  for (const r of rs) {
    for (const n of r.lockGraph?.nodes ?? []) nodes.add(n);
    for (const e of r.lockGraph?.edges ?? []) edges.set(`${e.from}>${e.to}>${e.type}`, e);
  }
  const shards = rs.map((r) => r.stats?.shard).filter((s): s is NonNullable<typeof s> => !!s);
  const count = shards[0]?.count;
  const indices = new Set(shards.map((s) => s.index));
  const allShards =
    shards.length === rs.length &&
    count !== undefined &&
    shards.every((s) => s.count === count) &&
    indices.size === count &&
    [...indices].every((i) => i >= 0 && i < count);
  const finished = rs.every((r) => r.stats?.complete !== false);
  const complete = allShards && finished;
  // --jobs shards that shared a visited set stored every state past the split once, and the levels before it
  // once each: counting those once gives the distinct states, the single-threaded search's count
  // (a search that ended before its split level was made whole by every shard: it counts once)
  const whole = (r: SpecResult) => ({
    states: r.stats?.states ?? 0,
    transitions: r.stats?.transitions ?? 0,
    deadlockStates: r.stats?.deadlockStates ?? 0,
    reduced: r.stats?.reducedStates ?? 0,
  });
  const prefixes = rs.map((r) => (r.stats?.shard?.depth === -1 && r.stats.complete !== false ? whole(r) : r.stats?.shard?.prefix));
  const p0 = prefixes[0];
  const shared = allShards && p0 !== undefined && prefixes.every((p) => p && JSON.stringify(p) === JSON.stringify(p0)) ? p0 : undefined;
  const copies = shared ? rs.length - 1 : 0;
  const sum = (k: 'states' | 'transitions' | 'deadlockStates' | 'reducedStates') =>
    rs.reduce((n, r) => n + (r.stats?.[k] ?? 0), 0) - copies * (shared?.[k === 'reducedStates' ? 'reduced' : k] ?? 0);
  const seconds = Math.max(...rs.map((r) => r.stats?.seconds ?? 0));
  const stats = {
    ...first.stats!,
    states: sum('states'),
    transitions: sum('transitions'),
    deadlockStates: sum('deadlockStates'),
    ...(first.stats?.reducedStates !== undefined ? { reducedStates: sum('reducedStates') } : {}),
    depth: Math.max(...rs.map((r) => r.stats?.depth ?? 0)),
    seconds,
    statesPerSecond: seconds > 0 ? Math.round(sum('states') / seconds) : sum('states'),
    mode: complete ? ('exhaustive' as const) : ('shard' as const),
    complete: finished,
  };
  // 64-bit fingerprints over all the merged states, as pipeline.ts computes it for one search
  if (stats.storage === 'fingerprint') stats.collisionProbability = Number(((stats.states * stats.states) / 2 ** 65).toPrecision(2));
  delete (stats as { shard?: unknown }).shard;
  const verdict = !complete ? 'incomplete' : findings.length > 0 ? 'findings' : 'ok';
  const incomplete = !allShards
    ? `only ${indices.size} of ${count ?? '?'} shards merged (${[...indices].sort((a, b) => a - b).join(', ')})`
    : !finished
      ? rs.find((r) => r.stats?.complete === false)?.incomplete
      : undefined;
  const merged: SpecResult = {
    ...first,
    verdict,
    findings,
    ...matchExpectation(findings, first.expected, complete),
    stats,
    incomplete,
    lockGraph: {
      nodes: [...nodes].sort(),
      edges: [...edges.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.type.localeCompare(b.type)),
    },
  };
  if (complete) merged.coverage = `${rs.length} shards merged`;
  return merged;
}
