import test from 'ava';
import { maxJobs, parseSearchFlags, parseSize } from '../../checker/cli/search-options';

test('sizes', (t) => {
  t.is(parseSize('1g'), 2 ** 30);
  t.is(parseSize('512m'), 512 * 2 ** 20);
  t.is(parseSize('512MiB'), 512 * 2 ** 20);
  t.is(parseSize('2048'), 2048 * 2 ** 20);
  t.true(Number.isNaN(parseSize('lots')));
});

test('flags become options', (t) => {
  t.deepEqual(parseSearchFlags({ por: false, symmetry: false }), { options: { por: false, symmetry: false }, jobs: 1, warnings: [] });
  t.deepEqual(parseSearchFlags({ simulate: '100', seed: 'abc' }), {
    options: { simulate: { walks: 100, seed: 'abc', walk: undefined } },
    jobs: 1,
    warnings: [],
  });
  t.deepEqual(parseSearchFlags({ shard: '2/4' }), { options: { shard: { index: 2, count: 4, depth: -1 } }, jobs: 1, warnings: [] });
  t.deepEqual(parseSearchFlags({ jobs: '2', maxMemory: '1g' }, 4), { options: { maxMemoryBytes: 2 ** 30 }, jobs: 2, warnings: [] });
  t.deepEqual(parseSearchFlags({ bitstate: '24' }), { options: { bitstateBits: 24 }, jobs: 1, warnings: [] });
});

test('bad combinations and values are usage errors', (t) => {
  for (const f of [
    { shard: '4/4' },
    { shard: 'x' },
    { jobs: '0' },
    { jobs: '-1' },
    { jobs: 'many' },
    { jobs: 'auto', simulate: '5' },
    { jobs: '2', shard: '0/2' },
    { bitstate: '99' },
    { bitstate: '20', exact: true },
    { walk: '3' },
    { simulate: '0' },
    { maxMemory: 'lots' },
    { simulate: '5', shard: '0/2' },
  ])
    t.is(typeof parseSearchFlags(f), 'string', JSON.stringify(f));
});

test('--jobs: auto is one per core; past the cores a warning, past 4 per core (at most 64) capped', (t) => {
  t.like(parseSearchFlags({ jobs: 'auto' }, 6), { jobs: 6, warnings: [] });
  t.like(parseSearchFlags({ jobs: '6' }, 6), { jobs: 6, warnings: [] });
  t.like(parseSearchFlags({ jobs: '7' }, 2), { jobs: 7, warnings: ['--jobs 7: more worker threads than the 2 cores available'] });
  t.like(parseSearchFlags({ jobs: '256' }, 2), {
    jobs: 8,
    warnings: ['--jobs 256: more worker threads than the 2 cores available; using 8 (at most 4 per core, and 64)'],
  });
  t.like(parseSearchFlags({ jobs: '256' }, 32), { jobs: 64 });
  t.is(maxJobs(1), 4);
  t.is(maxJobs(100), 64);
});
