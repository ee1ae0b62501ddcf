// Results read back: `lockcheck merge` and `--baseline` read what `lockcheck check --format json` wrote. They
// are inputs like any other: each is checked against specs/schema/result.schema.json (one diagnostic per
// problem, at its line and column), and the shards of a merge against each other (one spec, by content hash,
// unchanged since; the same options and shard count; every shard once; a search in each), so that a merged
// verdict is a proof of the split it names and nothing else is.
import type { ValidateFunction } from 'ajv';
import * as compiled from './result-validator.generated';
import { diag, Diagnostic, suggest } from './diagnostics/diagnostic';
import { CheckResult } from './result';
import { JsonSyntaxError, nearestSpan, parseJsonWithPositions, PositionedJson } from './spec/json-positions';

export interface ResultInput {
  display: string;
  doc: CheckResult;
  json: PositionedJson;
}

/** The result schema's validator, compiled at build time (scripts/build-validators.ts). */
const validate = compiled.result as unknown as ValidateFunction;
const MAX_PROBLEMS = 10;

/** Parses and checks one result document; the diagnostics say what is wrong, where. */
export function readResult(display: string, text: string): { input?: ResultInput; diagnostics: Diagnostic[] } {
  let json: PositionedJson;
  try {
    json = parseJsonWithPositions(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { diagnostics: [diag('resultNotJson', { file: display, line: e.line, col: e.col }, { reason: e.message })] };
  }
  if (!validate(json.value)) {
    const diagnostics = (validate.errors ?? []).slice(0, MAX_PROBLEMS).map((err) => {
      const sp = nearestSpan(json, err.instancePath);
      const at = err.instancePath === '' ? 'the document' : err.instancePath;
      const what =
        err.keyword === 'required'
          ? `${at} has no "${(err.params as { missingProperty: string }).missingProperty}"`
          : err.keyword === 'enum'
            ? enumProblem(at, valueAt(json.value, err.instancePath), (err.params as { allowedValues: unknown[] }).allowedValues.map(String))
            : `${at} ${err.message}`;
      return diag('resultShape', { file: display, line: sp.line, col: sp.col }, { what }, err.instancePath);
    });
    return { diagnostics };
  }
  return { input: { display, doc: json.value as CheckResult, json }, diagnostics: [] };
}

/**
 * Checks that the inputs of a merge are the shards of one split per spec: `currentHash` gives the content hash
 * of a spec file as it is now (undefined when it cannot be read here: then only the shards are compared).
 */
export function checkShards(inputs: ResultInput[], currentHash: (file: string) => string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byFile = new Map<string, { input: ResultInput; k: number }[]>();
  inputs.forEach((input) =>
    input.doc.results.forEach((r, k) => {
      if (r.verdict === 'error') return; // a spec that did not compile: merge reports its diagnostics
      if (!byFile.has(r.file)) byFile.set(r.file, []);
      byFile.get(r.file)!.push({ input, k });
    }),
  );
  for (const [file, parts] of byFile) {
    const problem = (p: { input: ResultInput; k: number }, member: string, what: string) => {
      const pointer = `/results/${p.k}${member}`;
      const sp = nearestSpan(p.input.json, pointer);
      out.push(diag('shardMismatch', { file: p.input.display, line: sp.line, col: sp.col }, { what: `${file}: ${what}` }, pointer));
    };
    const shards = parts.filter((p) => {
      if (p.input.doc.results[p.k].stats?.shard) return true;
      problem(p, '/stats', 'this result is not a shard (lockcheck check --shard i/n --format json makes one)');
      return false;
    });
    if (shards.length < parts.length || shards.length === 0) continue;
    const shardOf = (p: (typeof shards)[number]) => p.input.doc.results[p.k].stats!.shard!;
    const first = shardOf(shards[0]);
    const now = currentHash(file);
    for (const p of shards) {
      const s = shardOf(p);
      const stats = p.input.doc.results[p.k].stats!;
      if (s.spec !== first.spec) problem(p, '/stats/shard/spec', `shard ${s.index} checked other contents of the spec than shard ${first.index} did`);
      else if (now !== undefined && s.spec !== now)
        problem(p, '/stats/shard/spec', `the spec (or a model it imports) changed since shard ${s.index} checked it`);
      if (s.options !== first.options)
        problem(p, '/stats/shard/options', `shard ${s.index} ran with other options than shard ${first.index}: ${s.options} against ${first.options}`);
      if (s.count !== first.count)
        problem(p, '/stats/shard/count', `shard ${s.index} belongs to a split in ${s.count}, shard ${first.index} to one in ${first.count}`);
      if (s.index >= s.count) problem(p, '/stats/shard/index', `shard ${s.index} of a split in ${s.count} does not exist`);
      if ((stats.states ?? 0) < 1)
        problem(p, '/stats/states', `shard ${s.index} stored ${stats.states ?? 0} states: every search stores at least its initial state`);
    }
    const seen = new Map<number, number>();
    for (const p of shards) seen.set(shardOf(p).index, (seen.get(shardOf(p).index) ?? 0) + 1);
    for (const [index, n] of seen)
      if (n > 1)
        problem(
          shards.find((p) => shardOf(p).index === index)!,
          '/stats/shard/index',
          `shard ${index} is given ${n} times`,
        );
    const missing = Array.from({ length: first.count }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length > 0)
      problem(
        shards[0],
        '/stats/shard',
        `shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${first.count} missing: a merge proves nothing without every shard`,
      );
  }
  return out;
}

/** The value at a JSON pointer of a parsed document. */
function valueAt(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const part of pointer.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

/** A value outside an enum (an unknown finding kind, say): which values there are, and the nearest one. */
function enumProblem(at: string, value: unknown, allowed: string[]): string {
  const near = typeof value === 'string' ? suggest(value, allowed) : '';
  return `${at} is ${JSON.stringify(value)}, not one of ${allowed.join(', ')}${near}`;
}
