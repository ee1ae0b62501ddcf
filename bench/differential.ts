// Differential check of lockcheck against SPIN on random shorthand specs:
//   npx ts-node bench/differential.ts --count 500 --seed 1 [--jobs 2] [--kinds mutex,spinlock,rwlock,rwsem] [--out DIR]
// Each spec (bench/promela/random-shorthand.ts) is checked by lockcheck in process and, as its Promela twin
// (bench/promela/shorthand-to-promela.ts), by spin -a / gcc / pan. Prints every disagreement (with the spec),
// then "N compared, N agree, N disagree"; exits 1 on any disagreement or error.
import * as fs from 'fs';
import * as path from 'path';
import { compareWithSpin, Comparison } from './promela/compare';
import { GenKind, randomShorthandSpec, specSeed } from './promela/random-shorthand';
import { spinAvailable } from './promela/spin';

function parseArgs(argv: string[]) {
  const o = { count: 100, seed: 1, jobs: 2, kinds: undefined as GenKind[] | undefined, out: undefined as string | undefined, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--count') o.count = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--jobs') o.jobs = Number(v());
    else if (a === '--kinds') o.kinds = v().split(',') as GenKind[];
    else if (a === '--out') o.out = v();
    else if (a === '--verbose') o.verbose = true;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const k of ['count', 'seed', 'jobs'] as const) if (!Number.isInteger(o[k]) || o[k] < 0) throw new Error(`--${k} expects a non-negative integer`);
  for (const k of o.kinds ?? []) if (!['mutex', 'spinlock', 'rwlock', 'rwsem'].includes(k)) throw new Error(`unknown kind ${k}`);
  return o;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const have = spinAvailable();
  if (!have.spin || !have.gcc) {
    process.stderr.write(`differential: needs spin and gcc on PATH (spin: ${have.spin}, gcc: ${have.gcc}); apt-get install -y spin gcc\n`);
    return 2;
  }
  let agree = 0;
  let disagree = 0;
  let errors = 0;
  let deadlocks = 0;
  let next = 0;
  const t0 = Date.now();
  const report = (i: number, seed: number, spec: object, c: Comparison | undefined, err?: string) => {
    if (c?.agree && !o.verbose) return;
    const head = c
      ? `spec ${i} (seed ${seed}): lockcheck ${c.lockcheck} [${c.kinds.join(', ')}], SPIN ${c.spin}${c.agree ? '' : ': DISAGREE'}`
      : `spec ${i} (seed ${seed}): error: ${err}`;
    process.stdout.write(`${head}\n  ${JSON.stringify(spec)}\n`);
    if (o.out && (!c || !c.agree)) {
      fs.mkdirSync(o.out, { recursive: true });
      fs.writeFileSync(path.join(o.out, `seed-${seed}.json`), JSON.stringify(spec, null, 2) + '\n');
      if (c) fs.writeFileSync(path.join(o.out, `seed-${seed}.pml`), c.promela);
    }
  };
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= o.count) return;
      const seed = specSeed(o.seed, i);
      const spec = randomShorthandSpec(seed, { kinds: o.kinds });
      try {
        const c = await compareWithSpin(spec);
        if (c.agree) agree++;
        else disagree++;
        if (c.spin === 'deadlock') deadlocks++;
        report(i, seed, spec, c);
      } catch (e) {
        errors++;
        report(i, seed, spec, undefined, e instanceof Error ? e.message : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.jobs) }, worker));
  const compared = agree + disagree;
  process.stdout.write(`(seed ${o.seed}; ${deadlocks} of ${compared} deadlock in SPIN; ${errors} not compared; ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  process.stdout.write(`${compared} compared, ${agree} agree, ${disagree} disagree\n`);
  return disagree > 0 || errors > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (e) => {
      process.stderr.write(`differential: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
