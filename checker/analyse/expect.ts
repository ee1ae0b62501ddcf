// Compares the findings with the spec's declared expectation (expect.findings, as it applies to this run).
// A kind entry is met by any finding of that kind and covers them all; a named entry is met by a finding whose
// facts match every field it gives, and covers those. The spec matches when every entry is met and every
// finding that counts (under --baseline: every new one) is covered by some entry.
import { factFields } from '../facts';
import { Finding, SpecResult } from '../result';
import { Expectation, FindingKind, FINDING_KINDS, NamedFinding } from '../spec/types';

/** Does an expected name match an actual one? "writer[*]" matches every copy of a replicated thread. */
const nameMatches = (want: string, got: string) =>
  want === got || (want.endsWith('[*]') && got.startsWith(want.slice(0, -2)) && /^\[\d+\]$/.test(got.slice(want.length - 3)));

/** Two name lists as sets, with wildcards. */
const sameSet = (want: string[], got: string[]) =>
  want.every((w) => got.some((g) => nameMatches(w, g))) && got.every((g) => want.some((w) => nameMatches(w, g)));

export function findingMatches(e: NamedFinding, f: Finding): boolean {
  if (e.kind !== f.kind) return false;
  const facts = factFields(f);
  for (const [field, want] of Object.entries(e)) {
    if (field === 'kind' || field === 'when') continue;
    const got = facts[field];
    if (got === undefined) return false;
    if (Array.isArray(want) ? !Array.isArray(got) || !sameSet(want as string[], got) : want !== got) return false;
  }
  return true;
}

/** An entry as people read it: `deadlock` or `deadlock with locks net[net1], net[net2]`. */
export function expectationText(e: Expectation): string {
  if (typeof e === 'string') return e;
  const parts = Object.entries(e)
    .filter(([k]) => k !== 'kind' && k !== 'when')
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : JSON.stringify(v)}`);
  return parts.length ? `${e.kind} with ${parts.join('; ')}` : e.kind;
}

export type Match = Pick<SpecResult, 'matches' | 'unexpected' | 'missing' | 'unmatched' | 'uncovered'>;

/**
 * `counts(f)` says whether a finding must be covered (under --baseline, known ones need not be; they still
 * meet entries). `uncovered` (indices into findings) and `unmatched` are given when some entry names a finding.
 */
export function matchExpectation(
  findings: Finding[],
  expected: Expectation[] | undefined,
  complete: boolean,
  counts: (f: Finding) => boolean = () => true,
): Match {
  const entries = expected ?? [];
  const order = (k: FindingKind[]) => [...new Set(k)].sort((a, b) => FINDING_KINDS.indexOf(a) - FINDING_KINDS.indexOf(b));
  const covers = (e: Expectation, f: Finding) => (typeof e === 'string' ? e === f.kind : findingMatches(e, f));
  const uncovered = findings.map((f, i) => (counts(f) && !entries.some((e) => covers(e, f)) ? i : -1)).filter((i) => i >= 0);
  const unexpected = order(uncovered.map((i) => findings[i].kind));
  // An incomplete search may simply not have reached an expected finding yet: that is not a mismatch.
  const unmet = complete ? entries.filter((e) => !findings.some((f) => covers(e, f))) : [];
  const missing = order(unmet.filter((e): e is FindingKind => typeof e === 'string'));
  const unmatched = unmet.filter((e): e is NamedFinding => typeof e !== 'string');
  const named = entries.some((e) => typeof e !== 'string');
  return {
    matches: unexpected.length === 0 && missing.length === 0 && unmatched.length === 0,
    unexpected,
    missing,
    ...(named ? { unmatched, uncovered } : {}),
  };
}

/** Is this finding one the spec did not expect (and, under --baseline, a new one)? */
export function isUnexpected(r: SpecResult, f: Finding): boolean {
  if (f.known) return false;
  return r.uncovered ? r.uncovered.includes(r.findings.indexOf(f)) : r.unexpected.includes(f.kind);
}

/** What a result records of the expectation: its kinds, and its entries when some entry names a finding. */
export function expectedOf(entries: Expectation[] | undefined): Pick<SpecResult, 'expected' | 'expectations'> {
  if (!entries) return {};
  const expected = [...new Set(entries.map((e) => (typeof e === 'string' ? e : e.kind)))];
  return entries.some((e) => typeof e !== 'string') ? { expected, expectations: entries } : { expected };
}

/** The entries a result was matched against (what merge and --baseline match again). */
export const expectationsOf = (r: SpecResult): Expectation[] | undefined => r.expectations ?? r.expected;
