// The liveness pass (model/passes/liveness.ts) and the dead-variable reduction built on it: which locals are
// dead where a step ends, that the machine zeroes exactly those, and that it merges states without changing a
// finding, a lock-order edge or a trace length.
import test from 'ava';
import * as path from 'path';
import { checkFile, frontEnd } from '../../checker/pipeline';
import { memoryHost, nodeHost } from '../../checker/spec/host';
import { IrModel, isSchedulingPoint } from '../../checker/model/ir';
import { checkSpec, compileSpec, kinds } from '../helpers/check';
import { ROOT } from '../helpers/cli';

/** The names of the locals zeroed where each step ends, by the text of the instruction there. */
function forgets(ir: IrModel, thread = 0): Record<string, string[]> {
  const th = ir.threads[thread];
  const name = (o: number) => th.localNames.filter((l) => o >= l.offset && o < l.offset + l.size).map((l) => l.name);
  const out: Record<string, string[]> = {};
  th.code.forEach((i, pc) => {
    if (i.op !== 'end' && isSchedulingPoint(i)) out[`${pc} ${i.text}`] = (th.deadLocals?.[pc] ?? []).flatMap(name).sort();
  });
  return out;
}

const readsThenLocks = {
  name: 'live',
  locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } },
  vars: { x: { init: 0 }, y: { init: 0 } },
  threads: [
    {
      name: 't',
      locals: { v: 0, w: 0, unused: 3 },
      body: [
        { assign: 'v', value: 'x' },
        { lock: 'A' },
        { assign: 'y', value: 'v' },
        { assign: 'w', value: 'x' },
        { unlock: 'A' },
        { lock: 'B' },
        { assign: 'y', value: 'w' },
        { unlock: 'B' },
      ],
    },
  ],
};

test('a local is dead from its last read until it is written again, and is zeroed where a step ends', (t) => {
  const { ir, diagnostics } = compileSpec(readsThenLocks);
  t.deepEqual(diagnostics, []);
  t.deepEqual(forgets(ir!), {
    // `unused` starts at 3 and is never read: it is zeroed before the first step
    '0 v = x': ['unused'],
    '1 lock A': [],
    '2 y = v': [],
    // v's last read was `y = v`; w is written here, so it is dead before this step too
    '3 w = x': ['v'],
    '4 unlock A': [],
    '5 lock B': [],
    '6 y = w': [],
    '7 unlock B': ['w'],
  });
});

test('without the reduction no local is marked, and the model is otherwise the same', (t) => {
  const on = compileSpec(readsThenLocks).ir!;
  const off = checkSpec(readsThenLocks, { deadVariables: false });
  t.is(off.verdict, 'ok');
  const offIr = frontEnd(memoryHost({ 'spec.json': JSON.stringify(readsThenLocks) }), 'spec.json', { deadVariables: false }).ir!;
  t.is(offIr.threads[0].deadLocals, undefined);
  t.deepEqual(
    offIr.threads[0].code.map((i) => i.text),
    on.threads[0].code.map((i) => i.text),
  );
});

test('a loop counter stays live through the loop, and an array read at a computed index keeps the whole array', (t) => {
  const spec = {
    name: 'loop',
    params: { N: 3 },
    locks: { net: { kind: 'mutex', instances: ['n0', 'n1', 'n2'] } },
    vars: { seen: { array: 3 } },
    threads: [
      {
        name: 't',
        locals: { a: { array: 3 }, k: 0, i: 0 },
        body: [
          { for: 'i', from: 0, to: 'N', do: [{ assign: 'a[i]', value: 'i' }] },
          { for: 'i', from: 0, to: 'N', do: [{ lock: 'net[i]' }, { assign: 'seen[i]', value: 'a[k]' }, { unlock: 'net[i]' }] },
        ],
      },
    ],
  };
  const { ir, diagnostics } = compileSpec(spec);
  t.deepEqual(diagnostics, []);
  const f = forgets(ir!);
  const inLoop = Object.entries(f).filter(([k]) => /lock net\[i\]|seen\[i\]/.test(k));
  t.true(inLoop.length >= 3, JSON.stringify(f));
  for (const [k, dead] of inLoop) {
    t.false(dead.includes('i'), `${k}: the loop counter is live in the loop`);
    t.false(dead.includes('a'), `${k}: a[k] may read any element`);
    t.false(dead.includes('k'), `${k}: k is read in the loop`);
  }
});

test('a trylock result stays live until the unlock that reads it', (t) => {
  const spec = { name: 'try', locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } }, threads: [{ name: 't', seq: 'T(A) L(B) U(B) U(A)' }] };
  const { ir } = compileSpec(spec);
  const th = ir!.threads[0];
  const tryInto = th.code.find((i) => i.op === 'acquire' && i.trylock)!;
  const into = tryInto.op === 'acquire' ? tryInto.into : -1;
  t.true(into >= 0);
  const releaseA = th.code.findIndex((i) => i.op === 'release' && i.onlyIf === into);
  th.code.forEach((i, pc) => {
    if (pc > 0 && pc <= releaseA && isSchedulingPoint(i)) t.false(th.deadLocals![pc].includes(into), `${pc} ${i.text}`);
  });
});

test('dead-variable reduction pays on the scale family and keeps its verdict, edges and trace lengths', (t) => {
  for (const spec of ['scale-sorted', 'scale-unsorted']) {
    const f = path.join(ROOT, `specs/bench/${spec}.json`);
    const params = { N: 3, P: 2 };
    const off = checkFile(nodeHost, f, { params, por: false, symmetry: false, deadVariables: false });
    const on = checkFile(nodeHost, f, { params, por: false, symmetry: false });
    t.is(on.verdict, off.verdict, spec);
    t.deepEqual(kinds(on), kinds(off), spec);
    t.deepEqual(on.lockGraph, off.lockGraph, spec);
    const lengths = (r: typeof on) => r.findings.map((x) => `${x.kind}:${x.trace?.steps.length}`).sort();
    t.deepEqual(lengths(on), lengths(off), `${spec}: shortest traces as long`);
    t.true(on.stats!.states * 3 < off.stats!.states, `${spec}: ${on.stats!.states} states, ${off.stats!.states} without`);
  }
});

test('more than 32 locals: the bit sets span words, and the analysis ends', (t) => {
  const names = Array.from({ length: 40 }, (_, k) => `v${k}`);
  const spec = {
    name: 'wide',
    locks: { A: { kind: 'mutex' } },
    vars: { x: { init: 0 } },
    threads: [
      {
        name: 't',
        locals: Object.fromEntries(names.map((n) => [n, 0])),
        // every local is written, then a step, then each is read in turn (v31 sets a word's sign bit)
        body: [...names.map((n) => ({ assign: n, value: 'x' })), { lock: 'A' }, ...names.map((n) => ({ assign: 'x', value: n })), { unlock: 'A' }],
      },
    ],
  };
  const { ir, diagnostics } = compileSpec(spec);
  t.deepEqual(diagnostics, []);
  const f = forgets(ir!);
  // each `x = vk` is a step of its own: where it starts, v(k-1) has just been read for the last time (the
  // earlier ones were zeroed at earlier steps), across the word boundaries at v31/v32
  for (let k = 1; k < names.length; k++) {
    const at = Object.keys(f).find((key) => key.endsWith(`x = v${k}`))!;
    t.deepEqual(f[at], [`v${k - 1}`], at);
  }
});
