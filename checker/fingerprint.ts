// A finding's identity across runs, for baselines (--baseline) and SARIF partialFingerprints.
// The identity is made of facts, never of the message (rewording a message must not make every finding of
// every baseline "new"):
//  - the kind and its identity facts (checker/facts.ts identityFacts: the locks, threads, classes, variables
//    it is about), canonical JSON;
//  - the spec's path relative to its project root (so that checking from another directory matches), and the
//    FILES (not lines) of its location and call site: editing a spec above a finding must not make it "new";
//  - replicated thread indices are wildcards (writer[0] and writer[1] are symmetric replicas, and which one
//    the breadth-first search names depends on unrelated statements), so "writer[1]" reads "writer[*]";
//  - a toctou's step numbers are left out: a trace gets longer when an unrelated statement is added;
//  - the attribute order of an "any" variant is kept: a different order is a different finding.
// Baselines written before findings had facts hold message fingerprints: legacyFingerprint() computes that
// older form (kind, file, files, order, the message with replica indices and step numbers made wildcards), so
// that such a baseline still matches until it is written again.
import { createHash } from 'crypto';
import { identityFacts } from './facts';
import { Finding, Trace } from './result';

/** What either form needs of a finding: a current one, or one read from an older result (with `details`). */
export interface FingerprintInput {
  kind: string;
  message: string;
  location?: { file: string };
  calledFrom?: { file: string };
  trace?: Trace;
  chains?: { trace: Trace }[];
  order?: string;
  facts?: unknown;
  details?: Record<string, unknown>;
}

/** Thread names that occur in a finding's traces and facts. */
function threadNames(f: FingerprintInput): Set<string> {
  const names = new Set<string>();
  const fromTrace = (t?: Trace) => {
    for (const s of t?.steps ?? []) {
      names.add(s.thread);
      for (const th of Object.keys(s.held)) names.add(th);
    }
    for (const b of t?.blocked ?? []) names.add(b.thread);
  };
  fromTrace(f.trace);
  for (const c of f.chains ?? []) fromTrace(c.trace);
  const facts = (f.facts ?? f.details ?? {}) as Record<string, unknown>;
  for (const k of ['threads', 'thread', 'reader', 'writer']) {
    const v = facts[k];
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') names.add(x);
  }
  for (const e of (facts.edges as { thread?: unknown }[] | undefined) ?? []) if (typeof e?.thread === 'string') names.add(e.thread);
  return names;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with the replica indices of the finding's threads made wildcards. */
function withoutReplicas(f: FingerprintInput, text: string): string {
  const replicas = [...threadNames(f)].map((n) => /^(.*)\[(\d+)\]$/.exec(n)).filter((m): m is RegExpExecArray => m !== null);
  // Longest names first, so "writer[1]" is not half-replaced inside "bigwriter[1]".
  for (const m of replicas.sort((a, b) => b[0].length - a[0].length))
    text = text.replace(new RegExp(`(^|[^A-Za-z0-9_])${escapeRe(m[0])}`, 'g'), (_s, pre: string) => `${pre}${m[1]}[*]`);
  return text;
}

/** The finding's message with replica indices and step numbers made wildcards (the older identity). */
export function normalisedMessage(f: FingerprintInput): string {
  return withoutReplicas(f, f.message).replace(/\bsteps? \d+/g, (s) => s.replace(/\d+/, '#'));
}

/** The identity facts of a finding as canonical text: replicas alike, a toctou's step numbers left out. */
export function canonicalFacts(f: Finding): string {
  const facts = f.kind === 'toctou' ? identityFacts({ ...f, facts: { ...f.facts, window: { check: 0, write: 0, use: 0 } } }) : identityFacts(f);
  return withoutReplicas(f, JSON.stringify(facts));
}

const slashes = (p: string) => p.replace(/\\/g, '/');
const file = (p?: { file: string }) => (p ? slashes(p.file) : '');
const hash = (parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);

/** The facts a fingerprint is made of, in order (exported for the documentation and the tests). */
export function identityOf(specPath: string, f: Finding): string[] {
  return ['facts/1', f.kind, slashes(specPath), file(f.location), file(f.calledFrom), f.order ?? '', canonicalFacts(f)];
}

/**
 * 16 hex digits of SHA-256 over the identity: stable across runs, machines, unrelated edits and message
 * rewording. `specPath` is the spec's path relative to its project root.
 */
export function fingerprint(specPath: string, f: Finding): string {
  return hash(identityOf(specPath, f));
}

/** The fingerprint of the previous version (from the message; `specFile` as the result names it). */
export function legacyFingerprint(specFile: string, f: FingerprintInput): string {
  const order = f.order ?? (typeof f.details?.order === 'string' ? f.details.order : '');
  return hash([f.kind, slashes(specFile), file(f.location), file(f.calledFrom), order, normalisedMessage(f)]);
}
