// Baselines for CI (--baseline old.json): findings that an earlier JSON result already had are "known", the
// others "new"; a pull request fails on the findings it adds and not on those main already had. Every finding
// is still reported, marked known or new (text "(known)", JSON "known", SARIF "baselineState").
// Findings are matched by fingerprint (checker/fingerprint.ts: kind, facts, the spec's path in its project).
// An entry written before findings had facts has no "fingerprint": it is matched by the message fingerprint of
// that version (legacyFingerprint), so an older baseline keeps working until it is written again.
// Matching is by set: a finding is known when the baseline holds any finding with its fingerprint.
// Pure: the CLI reads the file, this module only parses text and marks a CheckResult.
import { expectationsOf, matchExpectation } from '../checker/analyse/expect';
import { suggest } from '../checker/diagnostics/diagnostic';
import { CheckResult, Finding, SpecResult } from '../checker/result';
import { FINDING_KINDS } from '../checker/spec/types';
import { fingerprint, FingerprintInput, legacyFingerprint } from './fingerprint';

export interface Baseline {
  /** fingerprints of every finding in the earlier result */
  known: Set<string>;
  /** message fingerprints of the entries written before fingerprints were recorded */
  legacy: Set<string>;
  /** per spec file of the earlier result: its entries' fingerprints (facts or legacy form), to tell what went */
  byFile: Map<string, Set<string>>;
}

const slashes = (p: string) => p.replace(/\\/g, '/');

/** Reads an earlier `--format json` document; a string says what is wrong, and where. */
export function parseBaseline(text: string): Baseline | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  const results = (doc as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return 'not a lockcheck JSON result: no "results" array (make one with --format json)';
  const baseline: Baseline = { known: new Set(), legacy: new Set(), byFile: new Map() };
  for (const [i, r] of results.entries()) {
    const sr = r as Partial<SpecResult>;
    if (typeof sr?.file !== 'string' || !Array.isArray(sr.findings)) return `results[${i}] has no "file" and "findings"`;
    const file = slashes(sr.file);
    const mine = baseline.byFile.get(file) ?? new Set<string>();
    baseline.byFile.set(file, mine);
    for (const [j, f] of sr.findings.entries()) {
      const ff = f as Partial<FingerprintInput & { fingerprint: unknown }>;
      const at = `results[${i}].findings[${j}]`;
      if (typeof ff?.kind !== 'string' || typeof ff.message !== 'string') return `${at} has no "kind" and "message"`;
      if (!(FINDING_KINDS as readonly string[]).includes(ff.kind))
        return `${at} has kind "${ff.kind}", which is not a finding kind${suggest(ff.kind, FINDING_KINDS)} (kinds: ${FINDING_KINDS.join(', ')})`;
      if (ff.fingerprint !== undefined && (typeof ff.fingerprint !== 'string' || !/^[0-9a-f]{16}$/.test(ff.fingerprint)))
        return `${at} has a "fingerprint" that is not 16 hex digits`;
      const print = typeof ff.fingerprint === 'string' ? ff.fingerprint : legacyFingerprint(sr.file, ff as FingerprintInput);
      (typeof ff.fingerprint === 'string' ? baseline.known : baseline.legacy).add(print);
      mine.add(print);
    }
  }
  return baseline;
}

export interface BaselineOutcome {
  result: CheckResult;
  known: number;
  fresh: number;
  /** baseline findings of the checked specs that this run no longer has */
  absent: number;
  /** spec files the baseline has findings of that this run did not check (renamed or removed: a note) */
  unchecked: string[];
}

/**
 * The result with every finding marked known or new. Each spec's `unexpected` (and `uncovered`) and `matches`
 * are recomputed so that only new findings need an expectation; `missing` and `unmatched` (an expected finding
 * not found at all) stay as they were, since known findings still meet expectations. Errors pass through.
 */
export function applyBaseline(result: CheckResult, baseline: Baseline): BaselineOutcome {
  let known = 0;
  let fresh = 0;
  let absent = 0;
  const results = result.results.map((r): SpecResult => {
    if (r.verdict === 'error') return r;
    const seen = new Set<string>();
    const findings = r.findings.map((f): Finding => {
      const print = f.fingerprint ?? fingerprint(r.file, f);
      const legacy = legacyFingerprint(r.file, f);
      const isKnown = baseline.known.has(print) || baseline.legacy.has(legacy);
      seen.add(print).add(legacy);
      if (isKnown) known++;
      else fresh++;
      return { ...f, known: isKnown };
    });
    for (const p of baseline.byFile.get(slashes(r.file)) ?? []) if (!seen.has(p)) absent++;
    const m = matchExpectation(findings, expectationsOf(r), true, (f) => !f.known);
    const matches = m.unexpected.length === 0 && r.missing.length === 0 && !r.unmatched?.length;
    return { ...r, findings, unexpected: m.unexpected, ...(m.uncovered ? { uncovered: m.uncovered } : {}), matches };
  });
  // a spec of the baseline this run does not check, whose findings this run does not have (renamed, removed)
  const checked = new Set(result.results.map((r) => slashes(r.file)));
  const found = new Set(results.flatMap((r) => r.findings.flatMap((f) => [f.fingerprint ?? fingerprint(r.file, f), legacyFingerprint(r.file, f)])));
  const unchecked = [...baseline.byFile.entries()].filter(([f, prints]) => !checked.has(f) && [...prints].some((p) => !found.has(p))).map(([f]) => f);
  return { result: { results }, known, fresh, absent, unchecked };
}
