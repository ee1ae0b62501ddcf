// Large-sample comparison of lockcheck against the independent oracle (test/oracle/).
//   npx ts-node --transpile-only bench/oracle.ts --count 100000 --seed 1 [--batch 500] [--modes default,no-por] [--verbose] [--out totals.json]
import * as fs from 'fs';
import { runComparison, MODES, describe, saveDir } from '../test/oracle/harness';

async function main() {
  const argv = process.argv.slice(2);
  const opt = (n: string, d: string) => {
    const i = argv.indexOf('--' + n);
    return i >= 0 ? argv[i + 1] : d;
  };
  const count = Number(opt('count', '2000'));
  const seed = opt('seed', '1');
  const batch = Number(opt('batch', '500'));
  const chunk = Number(opt('chunk', '5000'));
  const modeNames = opt('modes', MODES.map((m) => m.name).join(',')).split(',');
  const modes = MODES.filter((m) => modeNames.includes(m.name));
  const verbose = argv.includes('--verbose');
  const out = opt('out', '');
  const t0 = Date.now();
  const tot: Record<string, { compared: number; agree: number; disagree: number }> = {};
  const kinds: Record<string, number> = {};
  let skipped = 0;
  let invalid = 0;
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    const s = await runComparison({ count: n, seed: `${seed}.${start}`, batch, modes, save: 30 });
    skipped += s.skipped;
    invalid += s.invalid;
    for (const [k, v] of Object.entries(s.kindsSeen)) kinds[k] = (kinds[k] || 0) + v;
    for (const [m, v] of Object.entries(s.perMode)) {
      const t = (tot[m] = tot[m] || { compared: 0, agree: 0, disagree: 0 });
      t.compared += v.compared;
      t.agree += v.agree;
      t.disagree += v.disagree;
    }
    if (verbose) for (const d of s.disagreements.slice(0, 20)) console.log(describe(d));
    console.error(`${start + n}/${count} specs, ${s.seconds.toFixed(1)} s for this chunk, ${((Date.now() - t0) / 1000).toFixed(0)} s in all`);
    // the running totals, so that a run cut short still says what it compared
    if (out)
      fs.writeFileSync(
        out,
        JSON.stringify({ seed, generated: start + n, of: count, invalid, skipped, seconds: (Date.now() - t0) / 1000, kinds, modes: tot }, null, 1) + '\n',
      );
  }
  console.log(`generated ${count}, invalid for lockcheck ${invalid}, oracle skipped ${skipped} (state cap or unsupported)`);
  console.log('finding kinds (specs where the oracle finds them):', JSON.stringify(kinds));
  console.log('mode           compared    agree  disagree');
  for (const [m, v] of Object.entries(tot))
    console.log(`${m.padEnd(14)} ${String(v.compared).padStart(8)} ${String(v.agree).padStart(8)} ${String(v.disagree).padStart(9)}`);
  console.log(`disagreements saved under ${saveDir()}`);
}
main().catch((e) => {
  console.error(e);
  process.exit(2);
});
