import test from 'ava';
import { ExprSyntaxError, parseExpr, parseLockRef } from '../../checker/spec/expressions';

test('precedence: && binds tighter than ||, comparison tighter than &&', (t) => {
  const e = parseExpr('a || b && c == 1');
  t.is(e.t, 'bin');
  t.like(e, { op: '||', r: { op: '&&', r: { op: '==' } } });
});

test('postfix: index and attribute', (t) => {
  t.like(parseExpr('nets[i].addr'), { t: 'attr', attr: 'addr', base: { t: 'index', base: { t: 'name', name: 'nets' } } });
});

test('calls, sets and the conditional operator', (t) => {
  t.like(parseExpr('cmp(a, b) < 0 ? {a, b} : {}'), { t: 'cond', c: { t: 'bin', l: { t: 'call', fn: 'cmp' } }, a: { t: 'set' }, b: { t: 'set', items: [] } });
});

for (const [src, at] of [
  ['a +', 3],
  ['a b', 2],
  ['(a', 2],
  ['a $ b', 2],
  ['', 0],
  ['f(a,', 4],
  ['99999999999', 0],
] as const) {
  test(`syntax error in ${JSON.stringify(src)} at offset ${at}`, (t) => {
    const e = t.throws(() => parseExpr(src), { instanceOf: ExprSyntaxError }) as ExprSyntaxError;
    t.is(e.at, at);
  });
}

test('lock references', (t) => {
  t.deepEqual(parseLockRef('rtnl_mutex'), { lock: 'rtnl_mutex', indexAt: 0 });
  const r = parseLockRef('net[nets[i]]');
  t.is(r.lock, 'net');
  t.is(r.indexAt, 4);
  t.like(r.index, { t: 'index' });
  t.throws(() => parseLockRef('net[a'), { instanceOf: ExprSyntaxError });
  t.throws(() => parseLockRef('3net'), { instanceOf: ExprSyntaxError });
});
