// Determinism: the same specs and options (and seed, for --simulate) give byte-identical reports in every
// format, run after run, once wall-clock figures are left out (--no-timings). Each run writes every format;
// the two runs' files are compared byte for byte.
import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockcheck } from '../helpers/cli';
import { REPORTERS } from '../../reports/index';

const SPECS = [
  'specs/kernel/macvlan-unregister-lock-upper.json',
  'specs/kernel/setlink-relookup-race.json',
  'specs/kernel/newlink-veth-srcu-sync-under-rtnl.json',
  'specs/rtnl/nets-addr-any.json',
  'specs/rtnl/exit-batch-dying-first.json',
  'specs/conformance/p07-abcabc-mutex.json',
];
// every registered format: text on stdout, each other one written with --output
const FORMATS = REPORTERS.map((r) => r.name);

function run(dir: string, extra: string[]) {
  fs.mkdirSync(dir, { recursive: true });
  const outputs = FORMATS.filter((f) => f !== 'text').flatMap((f) => ['--output', `${f}=${path.join(dir, `out.${f}`)}`]);
  const r = lockcheck(['check', '--no-timings', ...extra, ...outputs, ...SPECS]);
  fs.writeFileSync(path.join(dir, 'out.text'), r.stdout);
  return r;
}

for (const [title, extra] of [
  ['exhaustive search', []],
  ['exhaustive search without reductions', ['--no-por', '--no-symmetry']],
  ['seeded simulation', ['--simulate', '30', '--seed', '7']],
  ['two jobs', ['--jobs', '2']],
] as const) {
  test(`${title}: two runs give byte-identical JSON, SARIF, JUnit, ITF, HTML and text`, (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-determinism-'));
    try {
      const a = run(path.join(tmp, 'a'), [...extra]);
      const b = run(path.join(tmp, 'b'), [...extra]);
      t.is(a.code, 0, a.stderr); // these specs all give the findings they declare
      t.is(b.code, a.code);
      for (const f of FORMATS) {
        const x = fs.readFileSync(path.join(tmp, 'a', `out.${f}`));
        const y = fs.readFileSync(path.join(tmp, 'b', `out.${f}`));
        t.true(x.length > 1000, `${f}: ${x.length} bytes`);
        t.true(x.equals(y), `${f} differs between two runs`);
      }
      // nothing measured by the clock is left in them
      t.notRegex(fs.readFileSync(path.join(tmp, 'a', 'out.json'), 'utf8'), /"seconds"|"statesPerSecond"/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('without --no-timings the JSON stats carry seconds and states/s', (t) => {
  const r = lockcheck(['check', '--format', 'json', 'specs/conformance/p07-abcabc-mutex.json']);
  const stats = JSON.parse(r.stdout).results[0].stats;
  t.is(typeof stats.seconds, 'number');
  t.is(typeof stats.statesPerSecond, 'number');
});
