// The kinds of a failing check are settled by a search that carries the TOCTOU monitor in its states: a
// check that fails as a toctou on one run and as an assertion on another gets both, each with its shortest
// trace, and a search out of budget leaves the findings as they were and says so.
import test from 'ava';
import * as fs from 'fs';
import * as path from 'path';
import { checksCanGoStale, settleCheckKinds, withSettledCheckKinds } from '../../checker/analyse/check-kinds';
import { analyse } from '../../checker/analyse/findings';
import { explore } from '../../checker/explore/explore';
import { compileSpec } from '../helpers/check';

const spec = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'specs', 'regress', name), 'utf8'));
const steps = (p: string) => (p === '' ? 0 : p.split(':').length);

test('a check that fails both ways gets both kinds, each with its shortest trace', (t) => {
  const m = compileSpec(spec('check-fails-both-ways.json')).model!;
  t.true(checksCanGoStale(m));
  const r = settleCheckKinds(m, 10_000);
  t.truthy(r.findings);
  const byKind = Object.fromEntries(r.findings!.map((f) => [f.kind, steps(f.trace!.path)]));
  t.deepEqual(byKind, { toctou: 8, assertion: 8 });
  const toctou = r.findings!.find((f) => f.kind === 'toctou')!;
  t.deepEqual(toctou.facts.window, { check: 2, write: 5, use: 8 });
});

test('the settled findings replace the search trace kind in place; other findings stay', (t) => {
  const m = compileSpec(spec('toctou-use-after-unlock.json')).model!;
  const found = analyse(m, explore(m, { por: false, symmetry: false }));
  t.deepEqual(found.map((f) => f.kind).sort(), ['assertion', 'assertion'], 'each trace alone reads as an assertion (the guarded write, the check)');
  const { findings, unsettled } = withSettledCheckKinds(m, found, 10);
  t.is(unsettled, undefined);
  t.deepEqual(findings.map((f) => f.kind).sort(), ['assertion', 'assertion', 'toctou']);
  t.true(
    findings.some((f) => f.message === 't1 writes x without holding its guard A'),
    'the guarded-write finding is kept as it was',
  );
});

test('out of budget, the findings stay as the search found them, with a note that says so', (t) => {
  const m = compileSpec(spec('check-fails-both-ways.json')).model!;
  t.is(settleCheckKinds(m, 3).findings, undefined);
  t.is(settleCheckKinds(m, 10_000, { shouldStop: () => true }).findings?.length, 2, 'a stop is looked at every 1024 states: this one is done before');
  const found = analyse(m, explore(m, {}));
  const { findings, unsettled } = withSettledCheckKinds(m, found, 0, {}, 3);
  t.is(findings, found);
  t.regex(unsettled!, /not settled \(stopped by a bound, at most 3 states\)/);
});

test('a model without guarded vars needs no settling: no failing check there can be a toctou', (t) => {
  const m = compileSpec({
    name: 'plain',
    vars: { x: {} },
    threads: [{ name: 't', body: [{ assign: 'x', value: 1 }, { assert: 'x == 0' }] }],
  }).model!;
  t.false(checksCanGoStale(m));
});

test('SIGINT (shouldStop), --max-seconds and --max-memory stop the settling search too', (t) => {
  const base = spec('check-fails-both-ways.json');
  const m = compileSpec({ ...base, threads: base.threads.map((th: object) => ({ ...th, count: 3 })) }).model!;
  t.truthy(settleCheckKinds(m, 1_000_000).findings, 'unbounded, it settles');
  t.is(settleCheckKinds(m, 1_000_000, { shouldStop: () => true }).findings, undefined);
  t.is(settleCheckKinds(m, 1_000_000, { maxSeconds: 0 }).findings, undefined);
  t.is(settleCheckKinds(m, 1_000_000, { maxMemoryBytes: 1 }).findings, undefined);
});
