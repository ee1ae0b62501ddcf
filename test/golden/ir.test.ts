// `lockcheck check --dump ir`: the compiled program with every instruction's access set, golden-tested on
// specs whose shared accesses go through a by_ref parameter, an array parameter, a loop bound and a
// lock index, so a change in what the compiler says an instruction touches shows up here.
import test from 'ava';
import { lockcheck } from '../helpers/cli';
import { golden } from './golden';

const SPECS = [
  'specs/regress/por-by-ref-write.json',
  'specs/regress/por-array-param-write.json',
  'specs/regress/por-for-bound-shared.json',
  'specs/regress/por-assert-held-shared-index.json',
  'specs/regress/trylock-held-skip-unlock.json',
  'specs/regress/work-held-at-exit.json',
];

for (const spec of SPECS) {
  test(`--dump ir of ${spec}`, (t) => {
    const r = lockcheck(['check', '--dump', 'ir', spec]);
    t.is(r.code, 0, r.stderr);
    golden(
      t,
      `ir/${spec
        .replace(/^specs\//, '')
        .replace(/\//g, '-')
        .replace(/\.json$/, '.txt')}`,
      r.stdout,
    );
  });
}

test('--dump ir of a bad spec gives its diagnostics and exit 2', (t) => {
  const r = lockcheck(['check', '--dump', 'ir', 'specs/invalid/LC3001-unknown-lock.json']);
  t.is(r.code, 2);
  t.regex(r.stderr, /LC3001/);
});
