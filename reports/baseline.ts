// Baselines for CI (--baseline old.json): keep only the findings that an earlier JSON result did not have, so
// a pull request fails on the findings it adds and not on those main already had. Findings are matched by
// fingerprint (reports/fingerprint.ts: kind, spec file, facts without line numbers or replica indices).
// Matching is by set: a finding is known when the baseline holds any finding with its fingerprint.
// Pure: the CLI reads the file, this module only parses text and filters a CheckResult.
import { CheckResult, Finding, SpecResult } from '../checker/result';
import { fingerprint } from './fingerprint';

export interface Baseline {
  /** fingerprints of every finding in the earlier result */
  known: Set<string>;
  /** the spec files the earlier result covered */
  files: Set<string>;
}

/** Reads an earlier `--format json` document; a string is an error message. */
export function parseBaseline(text: string): Baseline | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  const results = (doc as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return 'not a lockcheck JSON result: no "results" array (make one with --format json)';
  const known = new Set<string>();
  const files = new Set<string>();
  for (const [i, r] of results.entries()) {
    const sr = r as Partial<SpecResult>;
    if (typeof sr?.file !== 'string' || !Array.isArray(sr.findings)) return `results[${i}] has no "file" and "findings"`;
    files.add(sr.file.replace(/\\/g, '/'));
    for (const [j, f] of sr.findings.entries()) {
      const ff = f as Partial<Finding>;
      if (typeof ff?.kind !== 'string' || typeof ff.message !== 'string') return `results[${i}].findings[${j}] has no "kind" and "message"`;
      known.add(fingerprint(sr.file, ff as Finding));
    }
  }
  return { known, files };
}

/**
 * The result with every finding the baseline knows left out. Each spec's verdict and `unexpected` are
 * recomputed from the findings that remain; `missing` (an expected kind not found at all) stays as it was,
 * since it is about this run's findings, not new ones. Errors and incomplete searches pass through as they are.
 */
export function applyBaseline(result: CheckResult, baseline: Baseline): { result: CheckResult; suppressed: number } {
  let suppressed = 0;
  const results = result.results.map((r): SpecResult => {
    if (r.verdict === 'error') return r;
    const findings = r.findings.filter((f) => !baseline.known.has(fingerprint(r.file, f)));
    suppressed += r.findings.length - findings.length;
    if (findings.length === r.findings.length) return r;
    const kinds = new Set(findings.map((f) => f.kind));
    const unexpected = r.unexpected.filter((k) => kinds.has(k));
    const verdict = r.verdict === 'findings' && findings.length === 0 ? 'ok' : r.verdict;
    return { ...r, verdict, findings, unexpected, matches: unexpected.length === 0 && r.missing.length === 0 };
  });
  return { result: { results }, suppressed };
}
