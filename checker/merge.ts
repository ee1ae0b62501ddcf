// Merging the results of a split search (lockcheck check --shard i/n, or --jobs N): per spec, the union of
// the shards' findings and lock-order graphs and the sum of their work. The merged verdict is a proof only
// when every shard 0..n-1 of the same split is present and finished.
import { expectationsOf, matchExpectation } from './analyse/expect';
import { findingIdentity } from './analyse/shortest';
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
 * The same finding seen by two shards may name different copies of a thread (writer[0], writer[1]) or of
 * symmetric instances, and differ in bystanders (a thread done, or blocked elsewhere); a finding is a copy of
 * another when any of its keys is. A deadlock is one per cycle: the same kind of wait among the same threads
 * (copies alike) blocked at the same places, whichever instances they wait for; any other finding is one per
 * identity, as the confirming search keeps them (a recursive-locking one per class and place).
 */
export function mergeKeys(f: Finding): string[] {
  const keys = [`${f.kind}|${findingIdentity(f)}`]; // (the identity alone is one per check: a check may fail both ways)
  const blocked = f.trace?.blocked;
  if (f.kind === 'deadlock' && blocked) {
    const at = (thread: string) => blocked.find((b) => b.thread === thread)?.src;
    const places = f.facts.threads.map((th) => {
      const src = at(th);
      return `${th.replace(/\[\d+\]/g, '[*]')}@${src ? `${src.file}:${src.line}:${src.col}` : '?'}`;
    });
    keys.push(`deadlock|${f.facts.category}|${places.sort().join(' ')}`);
  }
  return keys;
}

function mergeSpec(rs: SpecResult[]): SpecResult {
  const first = rs[0];
  if (rs.some((r) => r.verdict === 'error')) return rs.find((r) => r.verdict === 'error')!;
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  // shards in index order, so that the same shards merge to the same report
  const byShard = [...rs].sort((a, b) => (a.stats?.shard?.index ?? 0) - (b.stats?.shard?.index ?? 0));
  for (const r of byShard)
    for (const f of r.findings) {
      const keys = mergeKeys(f);
      const i = keys.map((k) => seen.get(k)).find((n) => n !== undefined);
      if (i === undefined) {
        for (const k of keys) seen.set(k, findings.length);
        findings.push(f);
        continue;
      }
      for (const k of keys) if (!seen.has(k)) seen.set(k, i);
      if (f.trace && findings[i].trace && pathLength(f.trace.path) < pathLength(findings[i].trace!.path)) findings[i] = f; // the shorter witness
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
    ...(shared ? { workers: rs.length } : {}),
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
    ...matchExpectation(findings, expectationsOf(first), complete),
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
