// The text reporter's additions: ANSI colour only when asked (same words either way), and a TOCTOU window's
// steps marked even when the result carries no notes.
import test from 'ava';
import { renderText } from '../../reports/text';
import { fixture, FIXTURES } from './fixtures';
import { checkSpec } from '../helpers/check';

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

test('colour changes no word, and no colour means no escape code', (t) => {
  for (const name of FIXTURES) {
    const plain = renderText(fixture(name));
    const coloured = renderText(fixture(name), { color: true });
    t.false(plain.includes('\x1b'), name);
    t.true(coloured.includes('\x1b[31m') || coloured.includes('\x1b[33m'), name);
    t.is(stripAnsi(coloured), plain, name);
  }
});

test('unexpected kinds are red, expected ones yellow', (t) => {
  const out = renderText(fixture('mixed'), { color: true });
  t.regex(out, /\x1b\[1m\x1b\[31mdeadlock\x1b\[39m\x1b\[22m: AB-BA/);
  t.regex(out, /\x1b\[1m\x1b\[33mrecursive-locking\x1b\[39m\x1b\[22m: /);
  t.regex(out, /\x1b\[1m\x1b\[31mNOT as expected/);
});

test('a TOCTOU window is marked on its check, write and use steps, with or without notes', (t) => {
  const r = fixture('toctou');
  for (const s of r.results[0].findings[0].trace!.steps) delete s.note;
  const lines = renderText(r).split('\n');
  const marks = lines.filter((l) => /^\s+\^ /.test(l)).map((l) => l.trim());
  t.deepEqual(marks, ['^ check', '^ write', '^ use']);
  const withNotes = renderText(fixture('toctou'))
    .split('\n')
    .filter((l) => /^\s+\^ /.test(l))
    .map((l) => l.trim());
  t.deepEqual(withNotes, ['^ check: reader reads x (under g)', '^ write: writer writes x', '^ use: x changed since reader checked it']);
});

test('spec strings reach the terminal escaped: no control character, no forged line', (t) => {
  const forged = '\u001b[2K\r1 spec: 1 as expected, 0 not as expected\n\u009b31m';
  const r = checkSpec({
    name: 'forge',
    vars: { x: {} },
    threads: [{ name: 't', body: [{ assert: 'x == 1', message: forged }] }],
  });
  const text = renderText({ results: [r] }, { traces: true, color: false });
  t.false(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text), 'no control character but newlines');
  t.is(text.split('\n').filter((l) => l.startsWith('1 spec:')).length, 1, 'one summary line: the real one');
  t.regex(text, /\\u001b\[2K\\r1 spec: 1 as expected, 0 not as expected\\n\\u009b31m/);
});
