// Test helpers: run the pipeline on in-memory specs.
import { checkFile, CheckOptions, frontEnd } from '../../checker/pipeline';
import { memoryHost } from '../../checker/spec/host';
import { SpecResult } from '../../checker/result';

export function specText(spec: object): string {
  return JSON.stringify(spec, null, 2);
}

/** Checks one spec given as an object (plus optional extra files), in memory. */
export function checkSpec(spec: object, options: CheckOptions = {}, files: Record<string, string> = {}): SpecResult {
  const host = memoryHost({ 'spec.json': specText(spec), ...files });
  return checkFile(host, 'spec.json', options);
}

export function compileSpec(spec: object, files: Record<string, string> = {}) {
  return frontEnd(memoryHost({ 'spec.json': specText(spec), ...files }), 'spec.json');
}

/** A shorthand spec: locks by name and kind, one thread per sequence. */
export function shorthand(locks: Record<string, string>, seqs: string[], extra: object = {}): object {
  return {
    name: 'test',
    locks: Object.fromEntries(Object.entries(locks).map(([k, kind]) => [k, { kind }])),
    threads: seqs.map((seq, i) => ({ name: `t${i}`, seq })),
    ...extra,
  };
}

export const kinds = (r: SpecResult) => [...new Set(r.findings.map((f) => f.kind))].sort();
