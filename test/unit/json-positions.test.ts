import test from 'ava';
import { JsonSyntaxError, nearestSpan, parseJsonWithPositions, positionInString } from '../../checker/spec/json-positions';

test('spans of nested values are keyed by JSON pointer', (t) => {
  const doc = parseJsonWithPositions('{\n  "a": [1, {"b/c": "x"}],\n  "d": true\n}');
  t.deepEqual(doc.value, { a: [1, { 'b/c': 'x' }], d: true });
  t.like(doc.spans.get('/a'), { line: 2, col: 8 });
  t.like(doc.spans.get('/a/1/b~1c'), { line: 2, col: 20 });
  t.like(doc.spans.get('/a/1/b~1c#key'), { line: 2, col: 13 });
  t.like(doc.spans.get('/d'), { line: 3, col: 8 });
});

test('positions inside a string value point at the character', (t) => {
  const doc = parseJsonWithPositions('{"seq": "L(A) L(B)"}');
  t.deepEqual(positionInString(doc, '/seq', 5), { line: 1, col: 15 });
});

test('nearestSpan falls back to the closest existing parent', (t) => {
  const doc = parseJsonWithPositions('{\n "x": {}\n}');
  t.like(nearestSpan(doc, '/x/missing'), { line: 2, col: 7 });
});

for (const [text, line, col, msg] of [
  ['{"a": 1,}', 1, 9, /quoted member name/],
  ['{"a": 1 "b": 2}', 1, 9, /expected ',' or '}'/],
  ['{"a": tru}', 1, 7, /expected a value/],
  ['{"a": "x\n"}', 1, 9, /control character/],
  ['{"a": 1, "a": 2}', 1, 10, /^duplicate member name \(first at line 1, column 2\)$/],
  ['{"a": 1} x', 1, 10, /^unexpected text after the end/],
  ['{"a": "\\q"}', 1, 8, /^bad escape in string$/],
  ['{"a": 1 secret}', 1, 9, /^expected ',' or '}'$/],
  ['{"a": [1, 2', 1, 12, /expected ',' or ']', found end of file/],
] as const) {
  test(`syntax error ${JSON.stringify(text)} is located at ${line}:${col}`, (t) => {
    const e = t.throws(() => parseJsonWithPositions(text), { instanceOf: JsonSyntaxError }) as JsonSyntaxError;
    t.regex(e.message, msg);
    t.deepEqual([e.line, e.col], [line, col]);
  });
}

test('deep nesting is refused, not a stack overflow', (t) => {
  const text = '['.repeat(5000) + ']'.repeat(5000);
  t.throws(() => parseJsonWithPositions(text), { instanceOf: JsonSyntaxError, message: /nesting deeper/ });
});
