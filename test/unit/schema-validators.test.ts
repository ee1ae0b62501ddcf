// The validators ajv compiled at build time (checker/spec/schema-validators.generated.ts and
// checker/result-validator.generated.ts, by scripts/build-validators.ts): up to date with the schema files, and
// giving exactly the errors of the same schemas compiled by ajv at run time; for specs and model files with
// `schema` and `parentSchema` the very objects of the imported schema (checker/spec/schema.ts tells
// statements and alternatives apart by them), on every bundled file, on generated specs and on mutations of
// the bundled ones; for results, on the report fixtures and mutations of them.
import test from 'ava';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import specSchema from '../../specs/schema/lockcheck.schema.json';
import modelSchema from '../../specs/schema/model.schema.json';
import resultSchema from '../../specs/schema/result.schema.json';
import * as compiledResult from '../../checker/result-validator.generated';
import * as compiled from '../../checker/spec/schema-validators.generated';
import { generate, OUTPUTS } from '../../scripts/build-validators';
import { generatedSpec, mutate, mutation } from '../property/arbitraries';
import { CORPUS, ROOT } from '../property/corpus';
import { runs, SEED } from '../property/seed';

const COMPILED = compiled as unknown as Record<string, ValidateFunction>;

test('the generated validators are up to date with specs/schema/ (npm run build regenerates them)', (t) => {
  t.is(OUTPUTS.length, 2);
  for (const o of OUTPUTS) t.true(generate(o) === fs.readFileSync(path.join(ROOT, o.file), 'utf8'), `${o.file} is stale: run npm run build`);
});

test('the build script refuses a stale file with --check, and leaves the file alone', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-validators-'));
  try {
    const [spec, result] = OUTPUTS.map((o) => path.join(dir, path.basename(o.file)));
    fs.writeFileSync(spec, '// stale\n');
    fs.copyFileSync(path.join(ROOT, OUTPUTS[1].file), result);
    const ts = ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'scripts', 'build-validators.ts')];
    const stale = spawnSync(process.execPath, [...ts, '--check', '--out-dir', dir], { encoding: 'utf8' });
    t.is(stale.status, 1, stale.stderr);
    t.is(stale.stderr, `${path.relative(process.cwd(), spec)} is stale: run \`npm run build\` and commit it\n`);
    t.is(fs.readFileSync(spec, 'utf8'), '// stale\n');
    const write = spawnSync(process.execPath, [...ts, '--out-dir', dir], { encoding: 'utf8' });
    t.is(write.status, 0, write.stderr);
    for (const [k, f] of [spec, result].entries()) t.true(fs.readFileSync(f, 'utf8') === fs.readFileSync(path.join(ROOT, OUTPUTS[k].file), 'utf8'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The validators as schema.ts compiled them at run time before they were precompiled.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
ajv.addSchema(specSchema as object);
ajv.addSchema(modelSchema as object);
const runtime = (name: string) => ajv.getSchema(name === 'spec' ? specSchema.$id : name === 'model' ? modelSchema.$id : `${specSchema.$id}#/$defs/${name}`)!;

test('a validator for the spec, the model file, and each statement shape of the schema', (t) => {
  const stmts = Object.keys(specSchema.$defs).filter((k) => /^stmt[A-Z]/.test(k));
  t.true(stmts.length >= 20);
  t.deepEqual(Object.keys(COMPILED).sort(), ['model', 'spec', ...stmts].sort());
});

/** The errors of both validators on one value, compared field by field; schema objects by identity. */
function sameErrors(name: string, value: unknown): string | undefined {
  const a = runtime(name);
  const b = COMPILED[name];
  const okA = a(value);
  const okB = b(value);
  if (okA !== okB) return `${name}: runtime says ${okA}, compiled says ${okB}`;
  const ea: ErrorObject[] = a.errors ?? [];
  const eb: ErrorObject[] = b.errors ?? [];
  if (ea.length !== eb.length) return `${name}: ${ea.length} errors at run time, ${eb.length} compiled`;
  for (let k = 0; k < ea.length; k++) {
    const [x, y] = [ea[k], eb[k]];
    for (const key of ['instancePath', 'schemaPath', 'keyword', 'message', 'propertyName'] as const)
      if (x[key] !== y[key]) return `${name}: error ${k}: ${key} ${String(x[key])} != ${String(y[key])}`;
    if (JSON.stringify(x.params) !== JSON.stringify(y.params)) return `${name}: error ${k}: params differ`;
    if (x.schema !== y.schema && JSON.stringify(x.schema) !== JSON.stringify(y.schema)) return `${name}: error ${k}: schema differs`;
    if (typeof x.schema === 'object' && x.schema !== null && x.schema !== y.schema) return `${name}: error ${k}: schema is a copy`;
    if (x.parentSchema !== y.parentSchema) return `${name}: error ${k} (${x.keyword} at ${x.instancePath}): parentSchema is another object`;
    if (x.data !== y.data) return `${name}: error ${k}: data differs`;
  }
  return undefined;
}

const roleOf = (v: unknown) => (v !== null && typeof v === 'object' && 'procedures' in v && !('threads' in v) ? 'model' : 'spec');
const statements = Object.keys(COMPILED).filter((k) => k.startsWith('stmt'));

function checkAll(value: unknown): string | undefined {
  for (const name of [roleOf(value), ...statements]) {
    const problem = sameErrors(name, value);
    if (problem) return problem;
  }
  return undefined;
}

const parsed = Object.entries(CORPUS).flatMap(([f, text]) => {
  try {
    return [[f, JSON.parse(text) as unknown] as const];
  } catch {
    return [];
  }
});

test('every bundled spec, model and bad-spec fixture: the same errors as ajv compiling at run time', (t) => {
  t.true(parsed.length > 100);
  for (const [f, v] of parsed) t.is(checkAll(v), undefined, f);
});

test('every statement of the bundled files, against every statement shape: the same errors', (t) => {
  let n = 0;
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const name of statements) t.is(sameErrors(name, v), undefined);
      n++;
      Object.values(v).forEach(visit);
    }
  };
  for (const [, v] of parsed.filter(([f]) => f.startsWith('models/') || f.startsWith('specs/kernel/'))) visit(v);
  t.true(n > 100);
});

test('generated and mutated specs: the same errors as ajv compiling at run time', (t) => {
  fc.assert(
    fc.property(generatedSpec, (v) => checkAll(v) === undefined),
    { seed: SEED, numRuns: runs(300) },
  );
  fc.assert(
    fc.property(fc.constantFrom(...parsed.map(([, v]) => v)), mutation, (v, m) => checkAll(mutate(v as never, m)) === undefined),
    { seed: SEED, numRuns: runs(1000) },
  );
  t.pass();
});

test('results (report fixtures, golden results, and mutations of them): the same errors as ajv compiling at run time', (t) => {
  const runtimeResult = new Ajv({ allErrors: true, strict: false }).compile(resultSchema as object);
  const compiledResultValidator = compiledResult.result as unknown as ValidateFunction;
  const docs = [
    ...['test/reports/fixtures', 'test/golden/expected'].flatMap((d) =>
      fs
        .readdirSync(path.join(ROOT, d))
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, d, f), 'utf8')) as unknown),
    ),
  ].filter((v) => v !== null && typeof v === 'object' && 'results' in v);
  t.true(docs.length >= 4, String(docs.length));
  const same = (v: unknown) => {
    const a = runtimeResult(v);
    const b = compiledResultValidator(v);
    return a === b && JSON.stringify(runtimeResult.errors ?? []) === JSON.stringify(compiledResultValidator.errors ?? []);
  };
  for (const v of docs) t.true(same(v));
  fc.assert(
    fc.property(fc.constantFrom(...docs), mutation, (v, m) => same(mutate(v as never, m))),
    { seed: SEED, numRuns: runs(500) },
  );
});
