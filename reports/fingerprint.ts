// A finding's identity across runs, for baselines (--baseline) and SARIF partialFingerprints.
// The identity is kind + spec file + the finding's facts with the incidental parts taken out:
//  - no line or column numbers (editing a spec above a finding must not make it "new"): only the FILE of its
//    location and of its call site count;
//  - replicated thread indices are wildcards (writer[0] and writer[1] are symmetric replicas, and which one
//    the breadth-first search names depends on unrelated statements), so "writer[1]" reads "writer[*]";
//  - step numbers ("at step 7") are wildcards: a trace gets longer when an unrelated statement is added;
//  - the attribute order of an "any" variant (details.order) is kept: a different order is a different finding.
// Lock names, class names, the deadlock's shape and the failed assertion's text stay: they are the finding.
import { createHash } from 'crypto';
import { Finding, Trace } from '../checker/result';

/** Thread names that occur in a finding's traces and facts. */
function threadNames(f: Finding): Set<string> {
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
  for (const k of ['threads', 'thread', 'reader', 'writer']) {
    const v = f.details?.[k];
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') names.add(x);
  }
  for (const e of (f.details?.edges as { thread?: unknown }[] | undefined) ?? []) if (typeof e.thread === 'string') names.add(e.thread);
  return names;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The finding's message with replica indices and step numbers made wildcards. */
export function normalisedMessage(f: Finding): string {
  let msg = f.message;
  const replicas = [...threadNames(f)].map((n) => /^(.*)\[(\d+)\]$/.exec(n)).filter((m): m is RegExpExecArray => m !== null);
  // Longest names first, so "writer[1]" is not half-replaced inside "bigwriter[1]".
  for (const m of replicas.sort((a, b) => b[0].length - a[0].length)) {
    msg = msg.replace(new RegExp(`(^|[^A-Za-z0-9_])${escapeRe(m[0])}`, 'g'), (_s, pre: string) => `${pre}${m[1]}[*]`);
  }
  return msg.replace(/\bsteps? \d+/g, (s) => s.replace(/\d+/, '#'));
}

/** The facts a fingerprint is made of, in order (exported for the documentation and the tests). */
export function identityOf(specFile: string, f: Finding): string[] {
  const file = (p?: { file: string }) => (p ? p.file.replace(/\\/g, '/') : '');
  return [
    f.kind,
    specFile.replace(/\\/g, '/'),
    file(f.location),
    file(f.calledFrom),
    typeof f.details?.order === 'string' ? f.details.order : '',
    normalisedMessage(f),
  ];
}

/** 16 hex digits of SHA-256 over the identity: stable across runs, machines and unrelated edits. */
export function fingerprint(specFile: string, f: Finding): string {
  return createHash('sha256').update(identityOf(specFile, f).join('\u0000')).digest('hex').slice(0, 16);
}
