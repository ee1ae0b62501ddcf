// Compares the findings with the spec's declared expectation (expect.findings: the exact set of kinds).
import { Finding, SpecResult } from '../result';
import { FindingKind, FINDING_KINDS } from '../spec/types';

export function matchExpectation(
  findings: Finding[],
  expected: FindingKind[] | undefined,
  complete: boolean,
): Pick<SpecResult, 'matches' | 'unexpected' | 'missing'> {
  const found = new Set(findings.map((f) => f.kind));
  const want = new Set(expected ?? []);
  const order = (k: FindingKind[]) => k.sort((a, b) => FINDING_KINDS.indexOf(a) - FINDING_KINDS.indexOf(b));
  const unexpected = order([...found].filter((k) => !want.has(k)));
  // An incomplete search may simply not have reached an expected finding yet: that is not a mismatch.
  const missing = complete ? order([...want].filter((k) => !found.has(k))) : [];
  return { matches: unexpected.length === 0 && missing.length === 0, unexpected, missing };
}
