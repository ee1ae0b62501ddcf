// JUnit XML (a testsuite per run, a testcase per spec, a failure per unexpected finding) and ITF traces
// (ADR-015 of Apalache, as Quint writes them): well-formed, and saying what the result says.
import test from 'ava';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CheckResult } from '../../checker/result';
import { ITF_VARS, ItfTrace, renderItf } from '../../reports/itf';
import { renderJunit, xmlEscape } from '../../reports/junit';
import { lockcheck } from '../helpers/cli';
import { fixture, FIXTURES } from './fixtures';

type X = Record<string, unknown>;
const asList = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function parseJunit(xml: string) {
  t_valid(xml);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as X;
  const suites = doc.testsuites as X;
  const suite = asList(suites.testsuite as X | X[]);
  return { suites, suite };
}
function t_valid(xml: string) {
  const v = XMLValidator.validate(xml);
  if (v !== true) throw new Error(`not well-formed XML: ${JSON.stringify(v)}`);
}

test('JUnit: one testsuite, a testcase per spec, a failure per unexpected finding and per missing kind, errors for bad and incomplete specs', (t) => {
  const result = fixture('mixed');
  const { suites, suite } = parseJunit(renderJunit(result));
  t.is(suite.length, 1);
  const cases = asList(suite[0].testcase as X | X[]);
  t.deepEqual(
    cases.map((c) => c.name),
    result.results.map((r) => r.file),
  );
  const [unexpected, missing, incomplete, bad] = cases;
  const failures = (c: X) => asList(c.failure as X | X[]);
  t.deepEqual(
    failures(unexpected).map((f) => f.type),
    result.results[0].findings.filter((f) => result.results[0].unexpected.includes(f.kind)).map((f) => f.kind),
  );
  t.regex(String(unexpected['system-out']), /expected recursive-locking/);
  t.deepEqual(
    failures(missing).map((f) => f.type),
    ['missing'],
  );
  t.is((incomplete.error as X).type, 'incomplete');
  t.is((bad.error as X).type, 'bad-spec');
  t.regex(String((bad.error as X)['#text']), /LC3001/);
  t.is(suites.tests, '4');
  t.is(suites.failures, '2');
  t.is(suites.errors, '2');
});

test('JUnit: specs as expected pass, with their expected findings in system-out', (t) => {
  const { suite } = parseJunit(renderJunit(fixture('showcase')));
  const cases = asList(suite[0].testcase as X | X[]);
  t.is(cases.length, 3);
  for (const c of cases) {
    t.is(c.failure, undefined);
    t.is(c.error, undefined);
    t.regex(String(c['system-out']), /^expected deadlock: /);
  }
  t.is(suite[0].failures, '0');
});

test('JUnit through the CLI: --format junit, and one failure per unexpected finding of a real run', (t) => {
  const r = lockcheck(['check', '--format', 'junit', '--without', 'rtnl_mutex', 'specs/rtnl/nets-unsorted-during.json', 'specs/rtnl/nets-sorted-during.json']);
  t.is(r.code, 1);
  const { suite } = parseJunit(r.stdout);
  const cases = asList(suite[0].testcase as X | X[]);
  t.is(asList(cases[0].failure as X | X[]).length, 1);
  t.is((asList(cases[0].failure as X | X[])[0] as X).type, 'deadlock');
  t.is(cases[1].failure, undefined);
});

test('xmlEscape: markup and characters XML 1.0 cannot carry', (t) => {
  t.is(xmlEscape('<a b="c">&\u0001\u0008x'), '&lt;a b=&quot;c&quot;&gt;&amp;x');
  t_valid(`<x a="${xmlEscape('"\'<>&\u0000')}">${xmlEscape('\u001b[31m')}</x>`);
  t.pass();
});

/** An ITF value per ADR-015: strings, booleans, lists, records, and the #bigint/#set/#map/#tup forms. */
function itfValueError(v: unknown, at: string): string | undefined {
  if (typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? undefined : `${at}: ${v} is not a safe integer`;
  if (Array.isArray(v)) return v.map((x, i) => itfValueError(x, `${at}[${i}]`)).find(Boolean);
  if (v === null || typeof v !== 'object') return `${at}: ${String(v)} is not an ITF value`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.some((k) => k.startsWith('#'))) {
    if (keys.length !== 1) return `${at}: a #-form has exactly one key`;
    const [k] = keys;
    if (k === '#bigint') return typeof o[k] === 'string' && /^-?[0-9]+$/.test(o[k] as string) ? undefined : `${at}: bad #bigint`;
    if (k === '#set' || k === '#tup') return Array.isArray(o[k]) ? itfValueError(o[k], `${at}.${k}`) : `${at}: ${k} is not a list`;
    if (k === '#map') {
      if (!Array.isArray(o[k])) return `${at}: #map is not a list`;
      return (o[k] as unknown[])
        .map((p, i) => (Array.isArray(p) && p.length === 2 ? itfValueError(p, `${at}.#map[${i}]`) : `${at}.#map[${i}] is not a pair`))
        .find(Boolean);
    }
    return `${at}: unknown form ${k}`;
  }
  return keys.map((k) => itfValueError(o[k], `${at}.${k}`)).find(Boolean);
}

function itfTraceError(tr: ItfTrace): string | undefined {
  if (tr['#meta']?.format !== 'ITF') return '#meta.format is not ITF';
  if (!Array.isArray(tr.vars) || !Array.isArray(tr.states)) return 'no vars or states';
  for (const [i, s] of tr.states.entries()) {
    if ((s['#meta'] as { index?: number } | undefined)?.index !== i) return `states[${i}]: #meta.index is not ${i}`;
    const keys = Object.keys(s).filter((k) => k !== '#meta');
    if (keys.sort().join() !== [...tr.vars].sort().join()) return `states[${i}] has ${keys.join()} rather than the vars`;
    const e = itfValueError(Object.fromEntries(keys.map((k) => [k, s[k]])), `states[${i}]`);
    if (e) return e;
  }
  return undefined;
}

for (const name of FIXTURES) {
  test(`ITF: every trace of the ${name} result is well-formed`, (t) => {
    const traces = JSON.parse(renderItf(fixture(name))) as ItfTrace[];
    const r: CheckResult = fixture(name);
    const expected = r.results.flatMap((x) =>
      x.findings.flatMap((f) => [
        ...(f.trace && (f.trace.steps.length || f.trace.blocked?.length || f.trace.setup?.length) ? [f.trace] : []),
        ...(f.chains ?? []).map((c) => c.trace),
      ]),
    );
    t.is(traces.length, expected.length, 'a trace per finding trace and per chain');
    for (const tr of traces) t.is(itfTraceError(tr), undefined);
  });
}

test('ITF: the deadlock trace says who moved, what each thread holds, and who is blocked at the end', (t) => {
  const result = fixture('showcase');
  const f = result.results[0].findings.find((x) => x.kind === 'deadlock')!;
  const tr = (JSON.parse(renderItf(result)) as ItfTrace[])[0];
  t.deepEqual(tr.vars.slice(0, ITF_VARS.length), ITF_VARS);
  t.deepEqual(tr.vars.slice(-2), ['locals', 'changed'], 'then the spec variables');
  t.is(tr.states.length, f.trace!.steps.length + 1);
  t.is((tr['#meta'].lockcheck as { kind: string }).kind, 'deadlock');
  f.trace!.steps.forEach((s, k) => {
    const st = tr.states[k + 1] as Record<string, unknown>;
    t.is(st.thread, s.thread);
    t.deepEqual(st.step, { '#bigint': String(k + 1) });
    const held = new Map((st.held as { '#map': [string, { '#set': string[] }][] })['#map'].map(([th, v]) => [th, v['#set']]));
    for (const [th, locks] of Object.entries(s.held)) t.deepEqual(held.get(th), [...locks].sort());
  });
  const last = tr.states[tr.states.length - 1] as Record<string, unknown>;
  const blocked = (last.blocked as { '#map': [string, { waitsFor: string }][] })['#map'];
  t.deepEqual(
    blocked.map(([th, b]) => [th, b.waitsFor]),
    f.trace!.blocked!.map((b) => [b.thread, b.waitsFor]),
  );
  t.deepEqual((tr.states[1] as { blocked: unknown }).blocked, { '#map': [] }, 'nobody is blocked before the end');
});

test('ITF through the CLI: --format itf prints a JSON array of traces, the TOCTOU window in #meta', (t) => {
  const r = lockcheck(['check', '--format', 'itf', 'specs/conformance/p07-abcabc-mutex.json']);
  t.is(r.code, 0);
  const traces = JSON.parse(r.stdout) as ItfTrace[];
  t.is(traces.length, 4, 'the deadlock and the three chains of the cycle');
  for (const tr of traces) t.is(itfTraceError(tr), undefined);
  const toctou = (JSON.parse(renderItf(fixture('toctou'))) as ItfTrace[])[0];
  t.deepEqual((toctou['#meta'].lockcheck as { window: unknown }).window, { check: 2, write: 5, use: 8 });
});

test('the ITF checker here rejects what ADR-015 does not allow', (t) => {
  t.truthy(itfValueError({ '#bigint': 12 }, 'v'));
  t.truthy(itfValueError({ '#set': [1], x: 1 }, 'v'));
  t.truthy(itfValueError({ '#map': [[1]] }, 'v'));
  t.truthy(itfValueError(1.5, 'v'));
  t.truthy(itfValueError(null, 'v'));
  t.is(itfValueError({ a: [{ '#tup': ['x', true] }], b: { '#map': [['k', { '#set': [] }]] } }, 'v'), undefined);
});
