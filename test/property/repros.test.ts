// Bugs the property tests found in stages this suite does not own (see repros/README.md), each kept as a
// regression test of its fix. A newly found bug goes in as `test.failing` until it is fixed.
import test from 'ava';
import * as fs from 'fs';
import * as path from 'path';
import { checkFile } from '../../checker/pipeline';
import { SpecResult } from '../../checker/result';
import { bytesHost } from './corpus';
import { problemsWith } from './oracle';

function repro(name: string): SpecResult {
  const file = `repros/${name}`;
  const text = fs.readFileSync(path.join(__dirname, 'repros', name), 'utf8');
  return checkFile(bytesHost({ [file]: text }), file, { maxStates: 10_000, maxSeconds: 5 });
}
const kinds = (r: SpecResult) => [...new Set(r.findings.map((f) => f.kind))].sort();
const codes = (r: SpecResult) => r.diagnostics.map((d) => d.code);

test('a run-time error in a final assertion is an assertion finding, not LC9001', (t) => {
  const r = repro('LC9001-final-runtime-error.json');
  t.deepEqual(problemsWith(r, { file: 'repros/LC9001-final-runtime-error.json' }), []);
  t.deepEqual(kinds(r), ['assertion']);
});

test('a wait_until whose condition fails at run time is an assertion finding', (t) => {
  t.deepEqual(kinds(repro('wait-until-runtime-error-ignored.json')), ['assertion']);
});

test('a state too wide for the store is a bound diagnostic (LC4004), not LC9001', (t) => {
  const r = repro('LC9001-state-width.json');
  t.is(r.verdict, 'error');
  t.deepEqual(codes(r), ['LC4004']);
});

test('the cmp check of 2000 instances is fast, and their tie is one finding', (t) => {
  const t0 = performance.now();
  const r = repro('hang-cmp-check-cubic.json');
  t.true(performance.now() - t0 < 5000, `${Math.round(performance.now() - t0)} ms`);
  t.is(r.verdict, 'ok');
  const tied = checkFile(
    bytesHost({
      'tied.json': JSON.stringify({
        name: 'tied',
        locks: { n: { kind: 'mutex', instances: { count: 2000, prefix: 'n' }, attrs: { a: '0' }, cmp: [{ by: 'a' }] } },
        threads: [{ name: 't', seq: 'L(n[n0]) U(n[n0])' }],
      }),
    }),
    'tied.json',
  );
  t.deepEqual(
    tied.findings.map((f) => f.kind),
    ['cmp-invalid'],
  );
  const cmp = tied.findings[0];
  t.is(cmp.kind === 'cmp-invalid' ? cmp.facts.instances.length : 0, 2000);
});

test('an undeclared name that is an Object.prototype member is LC3002', (t) => {
  t.deepEqual(codes(repro('prototype-names-in-expressions.json')), ['LC3002']);
});

test('an initial value past 32 bits is rejected (LC3005), not wrapped', (t) => {
  t.deepEqual(codes(repro('init-truncated-to-32-bits.json')), ['LC3005']);
});

test('the repro files are specs lockcheck can read', (t) => {
  for (const f of fs.readdirSync(path.join(__dirname, 'repros')).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(fs.readFileSync(path.join(__dirname, 'repros', f), 'utf8'));
    t.is(typeof spec.description, 'string', f);
    t.true(spec.description.startsWith('Bug:'), f);
  }
});
