import test from 'ava';
import { parseShorthand, ShorthandError } from '../../checker/spec/shorthand';

test('every step of the contract', (t) => {
  const steps = parseShorthand('L(A) R(B) T(C) U(A) N(q[x],A) S(c[y],1)');
  t.deepEqual(
    steps.map((s) => [s.op, s.lock, s.nest, s.subclass, s.at]),
    [
      ['L', 'A', undefined, undefined, 0],
      ['R', 'B', undefined, undefined, 5],
      ['T', 'C', undefined, undefined, 10],
      ['U', 'A', undefined, undefined, 15],
      ['N', 'q[x]', 'A', undefined, 20],
      ['S', 'c[y]', undefined, 1, 30],
    ],
  );
  t.is(steps[4].lockAt, 22);
});

test('white space of any kind separates steps', (t) => {
  t.is(parseShorthand('  L(A)\n\tU(A)  ').length, 2);
});

for (const [src, at, msg] of [
  ['L(A) X(B)', 5, /cannot read step "X\(B\)"/],
  ['L(A)U(A)', 4, /separated by white space/],
  ['N(A)', 0, /nest lock/],
  ['S(A,x)', 0, /cannot read|subclass/],
  ['S(A,9)', 0, /0 to 7/],
  ['L(A,B)', 0, /one lock/],
  ['L(', 0, /cannot read/],
] as const) {
  test(`bad shorthand ${JSON.stringify(src)}`, (t) => {
    const e = t.throws(() => parseShorthand(src), { instanceOf: ShorthandError }) as ShorthandError;
    t.is(e.at, at);
    t.regex(e.message, msg);
  });
}
