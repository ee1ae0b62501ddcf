// Known bugs found by the property tests in stages this suite does not own (see repros/README.md). Each test
// states the right behaviour and is marked failing: when the bug is fixed, ava reports that the test passed
// unexpectedly; make it a plain `test` then, so that it guards the fix.
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

test.failing('known bug: a run-time error in a final assertion is an assertion finding, not LC9001', (t) => {
  const r = repro('LC9001-final-runtime-error.json');
  t.deepEqual(problemsWith(r, { file: 'repros/LC9001-final-runtime-error.json' }), []);
  t.deepEqual(kinds(r), ['assertion']);
});

test.failing('known bug: a wait_until whose condition fails at run time is an assertion finding', (t) => {
  t.deepEqual(kinds(repro('wait-until-runtime-error-ignored.json')), ['assertion']);
});

test.failing('known bug: a state too wide for the store is a bound diagnostic, not LC9001', (t) => {
  const r = repro('LC9001-state-width.json');
  t.is(r.verdict, 'error');
  t.false(codes(r).includes('LC9001'), codes(r).join());
});

test.failing('known bug: an undeclared name that is an Object.prototype member is LC3002', (t) => {
  t.deepEqual(codes(repro('prototype-names-in-expressions.json')), ['LC3002']);
});

test.failing('known bug: an initial value past 32 bits is rejected, not wrapped', (t) => {
  t.is(repro('init-truncated-to-32-bits.json').verdict, 'error');
});

test('the repro files are specs lockcheck can read', (t) => {
  for (const f of fs.readdirSync(path.join(__dirname, 'repros')).filter((f) => f.endsWith('.json'))) {
    const spec = JSON.parse(fs.readFileSync(path.join(__dirname, 'repros', f), 'utf8'));
    t.is(typeof spec.description, 'string', f);
    t.true(spec.description.startsWith('Bug:'), f);
  }
});
