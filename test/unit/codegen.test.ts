// Generated code (model/codegen.ts) against the reference interpreter (model/link.ts's closures, --interpret):
// on every bundled spec and on specs from the oracle's whole-language generator, the two give the same result
// to the byte (states, transitions, findings, traces, lock-order graph), timings aside; and each generated
// expression evaluates as its closure does, errors included.
import test from 'ava';
import fg from 'fast-glob';
import * as path from 'path';
import seedrandom from 'seedrandom';
import { checkFile, CheckOptions } from '../../checker/pipeline';
import { nodeHost } from '../../checker/spec/host';
import { SpecResult } from '../../checker/result';
import { linkExpr } from '../../checker/model/link';
import { ExprBatch, makeHelpers } from '../../checker/model/codegen';
import { IrExpr } from '../../checker/model/ir-expr';
import { LockInstance } from '../../checker/model/ir';
import { checkSpec } from '../helpers/check';
import { ROOT } from '../helpers/cli';
import { generateSpec } from '../oracle/generator';

/** The result without wall-clock figures. */
function timeless(r: SpecResult): unknown {
  return JSON.parse(JSON.stringify(r), (k, v) => (k === 'seconds' || k === 'statesPerSecond' || k === 'bytesPerState' ? undefined : v));
}

const MODES: [string, CheckOptions][] = [
  ['default', {}],
  ['unreduced', { por: false, symmetry: false, deadVariables: false }],
];

const specs = fg.sync('specs/{rtnl,kernel,regress,conformance}/**/*.json', { cwd: ROOT }).sort();
for (const file of specs)
  test(`generated code and the interpreter give the same result on ${file}`, (t) => {
    for (const [mode, o] of MODES) {
      const f = path.join(ROOT, file);
      t.deepEqual(timeless(checkFile(nodeHost, f, o)), timeless(checkFile(nodeHost, f, { ...o, interpret: true })), `${file} (${mode})`);
    }
  });

// in parts, so that each test stays well inside ava's timeout on a loaded machine
for (let part = 0; part < 6; part++)
  test(`generated code and the interpreter give the same result on generated specs ${part * 50}..${part * 50 + 49}`, (t) => {
    for (let k = part * 50; k < part * 50 + 50; k++) {
      const spec = generateSpec(`codegen:${k}`);
      for (const [mode, o] of MODES) {
        const opts = { ...o, maxStates: 20000 };
        t.deepEqual(timeless(checkSpec(spec, opts)), timeless(checkSpec(spec, { ...opts, interpret: true })), `spec codegen:${k} (${mode})`);
      }
    }
  });

/** A random expression over two shared slots, two locals and a local array of 3, with every operator. */
function randomExpr(rng: () => number, depth: number): IrExpr {
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  if (depth <= 0 || rng() < 0.25)
    return pick<() => IrExpr>([
      () => ({ e: 'const', v: pick([-3, -1, 0, 1, 2, 5, 31, 40]) }),
      () => ({ e: 'slot', shared: true, offset: pick([0, 1]), name: 'g' }),
      () => ({ e: 'slot', shared: false, offset: pick([0, 1]), name: 'l' }),
    ])();
  const sub = () => randomExpr(rng, depth - 1);
  const ops = ['||', '&&', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '|', '&', '/', '%'] as const;
  return pick<() => IrExpr>([
    () => ({ e: 'bin', op: pick([...ops]), l: sub(), r: sub() }),
    () => ({ e: 'unary', op: pick(['!', '~', '-'] as const), of: sub() }),
    () => ({ e: 'cond', c: sub(), a: sub(), b: sub() }),
    () => ({ e: 'element', shared: false, offset: 2, size: 3, name: 'a', index: sub() }),
    () => ({ e: 'set', items: [sub(), sub()] }),
    () => ({ e: 'call', fn: pick(['size', 'has', 'add', 'del', 'min', 'max', 'cmp'] as const), args: [sub(), sub()], cls: pick([0, -1]) }),
    () => ({ e: 'lowest', of: sub() }),
    () => ({ e: 'withoutLowest', of: sub() }),
    () => ({ e: 'attr', of: sub(), attr: pick(['addr', 'nope']), cls: pick([0, -1]) }),
    () => ({ e: 'instanceOf', of: sub(), members: [1, 2], className: 'net', what: 'x' }),
    () => ({ e: 'rank', of: sub(), members: [1, 2], className: 'net', what: 'x' }),
  ])();
}

test('each generated expression evaluates as its closure does, runtime errors included', (t) => {
  const instances: LockInstance[] = [0, 1, 2].map((id) => ({
    id,
    cls: 0,
    name: `net[n${id}]`,
    short: `n${id}`,
    pos: id,
    attrs: (id === 2 ? {} : { addr: 10 - id }) as Record<string, number>,
  }));
  const classes = [{ id: 0, name: 'net', kind: 'mutex' as const, instances: [0, 1, 2], hasInstances: true, cmpFn: (a: number, b: number) => a - b }];
  const ctx = { classes, instances };
  const rng = seedrandom('codegen-expressions');
  const exprs = Array.from({ length: 3000 }, () => randomExpr(rng, 4));
  const batch = new ExprBatch(makeHelpers(ctx));
  exprs.forEach((x) => batch.add(x));
  batch.build();
  const outcome = (f: () => number) => {
    try {
      return { v: f() };
    } catch (e) {
      return { error: (e as Error).message };
    }
  };
  let errors = 0;
  for (const x of exprs) {
    const gen = batch.get();
    const ref = linkExpr(x, ctx);
    for (const values of [
      [0, 1, 1, 0, 2, 1, 0],
      [3, -2, 0, 2, 7, -1, 4],
      [1, 1, 2, 2, 0, 0, 0],
    ]) {
      // shared slots 0..1, then a thread at base 2: locals 0..1 and the array at 2..4
      const s = Int32Array.from(values);
      const want = outcome(() => ref(s, 2));
      if ('error' in want) errors++;
      t.deepEqual(
        outcome(() => gen(s, 2)),
        want,
      );
    }
  }
  t.true(errors > 100, `runtime errors exercised: ${errors}`);
});
