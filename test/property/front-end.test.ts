// Hostile input, in process: generated and mutated specs through checkFile (load, validate, compile, and a
// bounded explore) must give a verdict, or an error verdict with FILE:LINE:COL diagnostics from the catalog;
// never an exception, an internal error (LC9001), a stack trace or a hang.
//
// Reproducible: every property runs from a fixed seed (test/property/seed.ts: FUZZ_SEED overrides it,
// FUZZ_RUNS scales the runs); a failure prints fast-check's seed and path, which replay it.
import test from 'ava';
import fc from 'fast-check';
import { checkFile, CheckOptions } from '../../checker/pipeline';
import { SpecResult } from '../../checker/result';
import { badUtf8, editText, generatedSpec, insertBytes, mutate, mutation, randomShorthand, textEdit } from './arbitraries';
import { bytesHost, CORPUS, lineCount, SEEDS } from './corpus';
import { problemsWith } from './oracle';
import { runs, SEED } from './seed';

/** Bounds that let any valid generated spec finish quickly: a verdict or `incomplete`. */
const BOUNDS: CheckOptions = { maxStates: 1500, maxSeconds: 2 };
const SPEC = 'specs/fuzz/spec.json';

let checked = 0;
/** Checks one spec file (text or bytes) among the bundled files, so that its imports resolve. */
function check(content: string | Uint8Array, file = SPEC): SpecResult {
  checked++;
  return checkFile(bytesHost({ ...CORPUS, [file]: content }), file, BOUNDS);
}

function wellBehaved(content: string | Uint8Array, file = SPEC): SpecResult {
  const r = check(content, file);
  const problems = problemsWith(r, { file, lines: lineCount(content) });
  if (problems.length > 0)
    throw new Error(`${problems.join('\n')}\n--- spec ---\n${typeof content === 'string' ? content.slice(0, 4000) : `${content.length} bytes`}`);
  return r;
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
const seedSpec = fc.constantFrom(...SEEDS);
/** Seeds that parse as JSON, for value-level mutation (the fixtures of LC1002 do not). */
const parsable = (f: string) => {
  try {
    JSON.parse(CORPUS[f]);
    return true;
  } catch {
    return false;
  }
};
const jsonSeedSpec = fc.constantFrom(...SEEDS.filter(parsable));
// a failure report names the spec and what was wrong with the result, beside fast-check's seed and path
fc.configureGlobal({ includeErrorInReport: true });

test('generated specs over the whole language', (t) => {
  fc.assert(
    fc.property(generatedSpec, (spec) => {
      wellBehaved(json(spec));
    }),
    { seed: SEED, numRuns: runs(400) },
  );
  t.pass();
});

test('random shorthand specs, some with garbled steps', (t) => {
  const verdicts = new Set<string>();
  fc.assert(
    fc.property(randomShorthand, (spec) => {
      verdicts.add(wellBehaved(json(spec)).verdict);
    }),
    { seed: SEED, numRuns: runs(150) },
  );
  // the generator reaches past the front end: both clean and broken specs come out
  t.true(verdicts.has('findings') && verdicts.has('error'), [...verdicts].join(', '));
});

test('bundled specs with values replaced, deleted, added or duplicated', (t) => {
  fc.assert(
    fc.property(jsonSeedSpec, fc.array(mutation, { minLength: 1, maxLength: 3 }), (file, ms) => {
      let v = JSON.parse(CORPUS[file]);
      for (const m of ms) v = mutate(v, m);
      wellBehaved(json(v), file);
    }),
    { seed: SEED, numRuns: runs(300) },
  );
  t.pass();
});

test('bundled and generated specs with their text damaged', (t) => {
  const source = fc.oneof(
    seedSpec.map((f) => ({ file: f, text: CORPUS[f] })),
    generatedSpec.map((s) => ({ file: SPEC, text: json(s) })),
  );
  fc.assert(
    fc.property(source, fc.array(textEdit, { minLength: 1, maxLength: 3 }), ({ file, text }, edits) => {
      let s = text;
      for (const e of edits) s = editText(s, e);
      wellBehaved(s, file);
    }),
    { seed: SEED, numRuns: runs(300) },
  );
  t.pass();
});

test('invalid UTF-8 anywhere in a spec is LC1006', (t) => {
  fc.assert(
    fc.property(seedSpec, badUtf8, (file, [at, bytes]) => {
      const r = wellBehaved(insertBytes(CORPUS[file], at, bytes), file);
      if (r.diagnostics.map((d) => d.code).join() !== 'LC1006') throw new Error(`expected LC1006, got ${r.diagnostics.map((d) => d.code).join()}`);
    }),
    { seed: SEED, numRuns: runs(60) },
  );
  t.pass();
});

test('arbitrary bytes and arbitrary JSON are rejected with load or schema errors', (t) => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.jsonValue().map(json)), (content) => {
      const r = wellBehaved(content);
      // nothing of this can be a spec: a spec needs "name" and "threads"
      if (r.verdict !== 'error' || !r.diagnostics.every((d) => /^LC[12]/.test(d.code)))
        throw new Error(`expected a load or schema error, got ${r.verdict}: ${r.diagnostics.map((d) => d.code).join()}`);
    }),
    { seed: SEED, numRuns: runs(150) },
  );
  t.pass();
});

test('procedures calling each other in a cycle are LC3006, whatever the cycle', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(5), fc.boolean(), (n, entry, viaSeq) => {
      const procedures: Record<string, object> = {};
      for (let k = 0; k < n; k++) procedures[`p${k}`] = { body: [...(viaSeq ? [{ seq: '' }] : []), { call: `p${(k + 1) % n}` }] };
      const r = wellBehaved(json({ name: 'cycle', procedures, threads: [{ name: 't', body: [{ call: `p${entry % n}` }] }] }));
      if (!r.diagnostics.some((d) => d.code === 'LC3006')) throw new Error(`no LC3006: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    }),
    { seed: SEED, numRuns: runs(20) },
  );
  t.pass();
});

test('duplicate names: threads, and locks declared in a spec and in the model it imports', (t) => {
  fc.assert(
    fc.property(fc.constantFrom('t0', 'writer', 'a_b'), fc.integer({ min: 2, max: 4 }), (name, copies) => {
      const threads = Array.from({ length: copies }, () => ({ name, seq: '' }));
      const r = wellBehaved(json({ name: 'dup', threads }));
      if (r.diagnostics.filter((d) => d.code === 'LC3007').length !== copies - 1)
        throw new Error(`expected ${copies - 1} LC3007: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    }),
    { seed: SEED, numRuns: runs(10) },
  );
  const r = wellBehaved(
    json({ name: 'dup', imports: ['../../models/rtnl/rtnl.json'], locks: { rtnl_mutex: { kind: 'mutex' } }, threads: [{ name: 't', seq: '' }] }),
  );
  t.true(r.diagnostics.some((d) => d.code === 'LC3007' && /rtnl_mutex/.test(d.message)));
});

test('empty and unicode names, threads without steps, huge and deep values', (t) => {
  // each case: the diagnostics it must give (codes and messages), 'verdict' (no error), or 'any'
  const cases: [string, string, RegExp | 'verdict' | 'any'][] = [
    ['empty lock name', json({ name: 'x', locks: { '': { kind: 'mutex' } }, threads: [{ name: 't', seq: '' }] }), /LC2001/],
    ['unicode lock name', json({ name: 'x', locks: { Äß日本: { kind: 'mutex' } }, threads: [{ name: 't', seq: 'L(Äß日本)' }] }), /LC2001/],
    ['unicode thread name', json({ name: 'x', threads: [{ name: '🔒', seq: '' }] }), /LC2001/],
    ['empty spec name', json({ name: '', threads: [{ name: 't', seq: '' }] }), /LC2001/],
    [
      'a lock name with a newline',
      json({ name: 'x', locks: { 'a\nb': { kind: 'mutex' } }, threads: [{ name: 't', seq: '' }] }),
      /LC2001 "a\\nb" is not a valid name/,
    ],
    [
      'a thread with no steps',
      json({
        name: 'x',
        threads: [
          { name: 't', seq: '' },
          { name: 'u', body: [] },
        ],
      }),
      'verdict',
    ],
    ['no threads', json({ name: 'x', threads: [] }), /LC3021/],
    ['count 1e400', '{"name": "x", "threads": [{"name": "t", "count": 1e400, "seq": ""}]}', /LC[23]0/],
    ['param 1e400', '{"name": "x", "params": {"N": 1e400}, "threads": [{"name": "t", "count": "N", "seq": ""}]}', /LC[23]0/],
    [
      'count 2^53+1',
      '{"name": "x", "threads": [{"name": "t", "count": 9007199254740993, "seq": ""}]}',
      /LC3005 expression error: 9007199254740992 is out of range \(32-bit integers\)/,
    ],
    ['max_held 1e9', json({ name: 'x', options: { max_held: 1e9 }, threads: [{ name: 't', seq: '' }] }), /LC2001/],
    ['nesting 199 deep', `{"name": "x", "threads": [], "description": ${'['.repeat(197)}${']'.repeat(197)}}`, /LC2001/],
    ['nesting 100000 deep', `{"name": "x", "description": ${'['.repeat(100000)}`, /LC1002/],
    ['an expression 100000 operators long', json({ name: 'x', threads: [{ name: 't', body: [{ assert: Array(100001).fill('1').join(' + ') }] }] }), /LC3005/],
    [
      'an expression nested 100000 deep',
      json({ name: 'x', threads: [{ name: 't', body: [{ assert: '!'.repeat(50000) + '('.repeat(50000) + '1' + ')'.repeat(50000) }] }] }),
      /LC3005/,
    ],
    ['a set of 100000 members', json({ name: 'x', threads: [{ name: 't', body: [{ assert: `size({${Array(100000).fill('1').join(',')}}) > 0` }] }] }), 'any'],
    ['a statement named toString', json({ name: 'x', threads: [{ name: 't', body: [{ toString: 'A' }] }] }), /LC2001.*unknown statement "toString"/s],
    ['a statement named __proto__', '{"name": "x", "threads": [{"name": "t", "body": [{"__proto__": "A"}]}]}', /LC2001/],
    [
      'a statement named constructor beside lock',
      json({ name: 'x', locks: { A: { kind: 'mutex' } }, threads: [{ name: 't', body: [{ constructor: 1, lock: 'A' }] }] }),
      /LC2001/,
    ],
  ];
  for (const [what, text, want] of cases) {
    const r = wellBehaved(text);
    if (want === 'verdict') t.not(r.verdict, 'error', `${what}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    else if (want !== 'any') t.regex(r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'), want, what);
  }
});

test('big specs: a 3.5 MB description checks; 10 MB, valid or garbage, is over the size limit; a 1 MB shorthand is over the code bound', (t) => {
  const mb = 1024 * 1024;
  const spec = (bytes: number) =>
    json({ name: 'big', description: 'x'.repeat(bytes), locks: { A: { kind: 'mutex' } }, threads: [{ name: 't', seq: 'L(A) U(A)' }] });
  t.is(wellBehaved(spec(3.5 * mb)).verdict, 'ok');
  t.regex(
    wellBehaved(spec(10 * mb))
      .diagnostics.map((d) => d.code)
      .join(),
    /LC1008/,
  );
  const garbage = wellBehaved(Buffer.alloc(10 * mb, '{"a":['));
  t.regex(garbage.diagnostics.map((d) => d.code).join(), /LC1008/);
  // 200,000 lock steps in one thread: more code than a thread may have (10 MB of it took minutes and
  // gigabytes before the bounds: repros/slow-10mb-shorthand.json)
  const steps = wellBehaved(
    json({
      name: 'steps',
      locks: { A: { kind: 'mutex' } },
      threads: [
        { name: 't', seq: 'L(A) U(A) '.repeat(mb / 10) },
        { name: 'u', seq: 'L(A) U(A)' },
      ],
    }),
  );
  t.deepEqual([...new Set(steps.diagnostics.map((d) => d.code))], ['LC4005']);
});

test.after('how many specs were fuzzed', () => {
  process.stdout.write(`  property: ${checked} specs checked in process (seed ${SEED})\n`);
});
