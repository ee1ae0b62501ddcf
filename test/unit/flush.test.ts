// flush_work, cancel_work_sync and completions (README "Flushing and cancelling work", "Completions"): what
// the compiler lays out and lowers, with the access sets the reductions are derived from, and what the
// search makes of them (bounded state, the lockdep view of a run and of a flush, symmetry over flushers).
import test from 'ava';
import fg from 'fast-glob';
import * as path from 'path';
import { checkFile } from '../../checker/pipeline';
import { SpecResult } from '../../checker/result';
import { nodeHost } from '../../checker/spec/host';
import { ROOT } from '../helpers/cli';
import { explore } from '../../checker/explore/explore';
import { PartialOrder } from '../../checker/explore/por';
import { Instr, isSchedulingPoint, IrModel } from '../../checker/model/ir';
import { IrExpr } from '../../checker/model/ir-expr';
import { checkSpec, compileSpec, kinds } from '../helpers/check';

type IrInstr = Instr<IrExpr>;
const slotOf = (ir: IrModel, name: string) => {
  const g = ir.globals.find((x) => x.name === name);
  if (!g) throw new Error(`no global ${name}`);
  return Array.from({ length: g.size }, (_, k) => g.offset + k);
};
const sorted = (...xs: number[][]) => [...new Set(xs.flat())].sort((a, b) => a - b);

const flushSpec = {
  name: 'f',
  locks: { net: { kind: 'mutex', instances: ['a', 'b'] } },
  vars: { which: { init: 'a' } },
  procedures: { p: { params: ['n'], body: [] } },
  works: { w: { proc: 'p', per: 'net' }, plain: { proc: 'p', per: 'net' } },
  threads: [
    {
      name: 't',
      locals: { busy: 0 },
      body: [{ queue_work: 'w[which]' }, { flush_work: 'w[which]', into: 'busy' }, { cancel_work_sync: 'w[b]' }, { queue_work: 'plain[a]' }],
    },
  ],
};

test('layout: running, disabled and flusher slots only for entries that are flushed or cancelled, after every pending flag', (t) => {
  const { ir, diagnostics } = compileSpec(flushSpec);
  t.deepEqual(diagnostics, []);
  t.deepEqual(
    ir!.globals.map((g) => [g.name, g.size, !!g.internal]),
    [
      ['which', 1, false],
      ['w pending', 2, true],
      ['plain pending', 2, true],
      ['w running', 2, true],
      ['w disabled', 2, true],
      ['w flushers', 1 + 4, true], // a slot per thread: t and the four workers
    ],
  );
  const w = ir!.works.find((x) => x.name === 'w')!;
  t.deepEqual(w.items, ['w[a]', 'w[b]']);
  t.truthy(w.flushed);
  t.is(ir!.works.find((x) => x.name === 'plain')!.flushed, undefined);
  // a spec that flushes nothing keeps the layout it had: no slot besides the pending flags
  const { ir: plain } = compileSpec({ ...flushSpec, threads: [{ name: 't', body: [{ queue_work: 'w[a]' }] }] });
  t.deepEqual(
    plain!.globals.map((g) => g.name),
    ['which', 'w pending', 'plain pending'],
  );
});

test('lower: a flush and a cancel are two steps each, with the state they read and write in their access sets', (t) => {
  const { ir } = compileSpec(flushSpec);
  const code = ir!.threads[0].code as IrInstr[];
  const ops = code.map((i) => i.op);
  t.deepEqual(ops.slice(0, 6), ['assign', 'flush_begin', 'flush_wait', 'flush_begin', 'flush_wait', 'assign']);
  for (const i of code.slice(1, 5)) t.true(isSchedulingPoint(i), `${i.text} is a step of its own`);
  const [pending, running, disabled, waits, which] = ['w pending', 'w running', 'w disabled', 'w flushers', 'which'].map((n) => slotOf(ir!, n));
  const [queue, flush, flushWait, cancel, cancelWait, queuePlain] = code;
  // queue_work of an entry some cancel_work_sync names reads the disabled flags
  t.deepEqual(queue.access.reads, sorted(which, pending, disabled));
  t.deepEqual(queue.access.writes, pending);
  t.deepEqual(queuePlain.access.reads, []);
  // the flush starts: reads the item's state (and the index's shared var), writes its own flusher entry
  t.deepEqual(flush.access.reads, sorted(which, pending, running, waits));
  t.deepEqual(flush.access.writes, waits);
  t.deepEqual(flushWait.access.reads, waits);
  t.deepEqual(flushWait.access.writes, waits);
  // the cancel also dequeues (pending) and disables the item, and its wait enables it again
  t.deepEqual(cancel.access.reads, sorted(pending, running, waits, disabled));
  t.deepEqual(cancel.access.writes, sorted(pending, waits, disabled));
  t.deepEqual(cancelWait.access.reads, sorted(waits, disabled));
  t.deepEqual(cancelWait.access.writes, sorted(waits, disabled));
  t.is(flush.op === 'flush_begin' && flush.into, ir!.threads[0].localNames.find((l) => l.name === 'busy')!.offset);
});

test("lower: a worker's start and return move its flushers on; the return stays in the run's last step, and the reduction sees it there", (t) => {
  const { ir } = compileSpec(flushSpec);
  const worker = ir!.threads.find((th) => th.name === 'kworker/w[b]')!;
  const [running, waits] = ['w running', 'w flushers'].map((n) => slotOf(ir!, n));
  const idle = worker.code[0];
  const ret = worker.code.find((i) => i.op === 'work_return')!;
  t.is(idle.op, 'idle');
  t.deepEqual(idle.access.writes, sorted([ir!.works[0].flushed!.pending + 1], [running[1]], waits));
  t.deepEqual(ret.access.writes, sorted([running[1]], waits));
  t.false(isSchedulingPoint(ret), 'a run returns in its last step');
  // the worker of an entry nobody flushes returns touching nothing
  const plainWorker = ir!.threads.find((th) => th.name === 'kworker/plain[a]')!;
  t.deepEqual(plainWorker.code.find((i) => i.op === 'work_return')!.access, { reads: [], writes: [], locks: [], rcu: false });

  // The run's last step writes x, which the flusher never reads; only the return folded into that step
  // touches what the flusher reads (running, its flusher entry): the step must not count as independent.
  const { ir: ir2, model } = compileSpec({
    name: 'r',
    locks: {},
    vars: { x: {} },
    procedures: { p: { body: [{ assign: 'x', value: 1 }] } },
    works: { w: { proc: 'p' } },
    threads: [{ name: 't', body: [{ queue_work: 'w' }, { flush_work: 'w' }] }],
  });
  const wt = ir2!.threads.findIndex((th) => th.worker);
  const last = ir2!.threads[wt].code.findIndex((i) => i.op === 'assign' && i.target.name === 'x');
  t.true(isSchedulingPoint(ir2!.threads[wt].code[last]));
  const por = new PartialOrder(model!);
  t.false(
    por.independent(wt, (u) => (u === wt ? last : 1)),
    'the step holding the return writes what the flush waits on',
  );
  // the same step against a thread that has nothing of w left to do is independent
  const done = ir2!.threads[0].code.length - 1;
  t.true(por.independent(wt, (u) => (u === wt ? last : done)));
});

test('lower: the four completion statements are one step each, over their own count', (t) => {
  const { ir, diagnostics } = compileSpec({
    name: 'c',
    locks: { net: { kind: 'mutex', instances: ['a', 'b'] } },
    completions: { done: { per: 'net' }, one: {} },
    threads: [
      {
        name: 't',
        body: [{ complete: 'done[a]' }, { complete_all: 'one' }, { reinit_completion: 'done[b]' }, { wait_for_completion: 'one' }],
      },
    ],
  });
  t.deepEqual(diagnostics, []);
  const done = slotOf(ir!, 'done');
  const one = slotOf(ir!, 'one');
  const code = ir!.threads[0].code.slice(0, 4);
  t.deepEqual(
    code.map((i) => (i.op === 'completion' ? i.act : i.op)),
    ['complete', 'complete_all', 'reinit_completion', 'wait_for_completion'],
  );
  t.true(code.every((i) => isSchedulingPoint(i)));
  t.deepEqual(
    code.map((i) => [i.access.reads, i.access.writes]),
    [
      [done, done],
      [one, one],
      [done, done],
      [one, one],
    ],
  );
});

test('resolve: completions and items are named like works, with positions and a did-you-mean', (t) => {
  const bad = compileSpec({
    name: 'c',
    locks: { net: { kind: 'mutex', instances: ['a'] } },
    completions: { done: { per: 'net' }, one: {} },
    procedures: { p: { body: [] } },
    works: { work: { proc: 'p' } },
    threads: [
      {
        name: 't',
        body: [
          { complete: 'dome[a]' },
          { complete: 'done' },
          { wait_for_completion: 'one[a]' },
          { flush_work: 'wrok' },
          { cancel_work_sync: 'work', into: 'nope' },
        ],
      },
    ],
  });
  const messages = bad.diagnostics.map((d) => `${d.code} ${d.message} (${d.hint})`);
  t.true(
    messages.some((m) => m.startsWith('LC3027 unknown completion "dome"') && m.includes('done')),
    messages.join('\n'),
  );
  t.true(
    messages.some((m) => m.includes('"done"') && m.includes('one completion per net: write done[INSTANCE]')),
    messages.join('\n'),
  );
  t.true(
    messages.some((m) => m.includes('"one[a]"') && m.includes('one is a single completion')),
    messages.join('\n'),
  );
  t.true(
    messages.some((m) => m.startsWith('LC3025 unknown work item "wrok"') && m.includes('work')),
    messages.join('\n'),
  );
  t.true(
    messages.some((m) => m.startsWith('LC3014') && m.includes('nope')),
    messages.join('\n'),
  );
  t.true(bad.diagnostics.every((d) => d.pos.line > 0 && d.pos.col > 0));
});

test('search: a work that queues itself forever, flushed and cancelled forever, has a bounded state space', (t) => {
  const spec = {
    name: 'b',
    locks: {},
    procedures: { again: { body: [{ queue_work: 'w' }] } },
    works: { w: { proc: 'again' } },
    threads: [
      {
        name: 't',
        locals: { i: 0 },
        body: [{ queue_work: 'w' }, { for: 'i', from: 0, to: 3, do: [{ flush_work: 'w' }, { cancel_work_sync: 'w' }, { queue_work: 'w' }] }],
      },
    ],
  };
  const { model } = compileSpec(spec);
  const x = explore(model!, { maxStates: 100_000 });
  t.is(x.stopped, undefined);
  t.true(x.store.count < 1000, `${x.store.count} states`);
  t.deepEqual(kinds(checkSpec(spec)), []);
});

test('lockdep: a run holds its completion map before anything it takes, and a flush that finds no run acquires nothing', (t) => {
  const base = {
    name: 'l',
    locks: { A: { kind: 'mutex' }, B: { kind: 'mutex' } },
    procedures: { p: { body: [{ lock: 'B' }, { unlock: 'B' }] } },
    works: { w: { proc: 'p' } },
  };
  const queued = checkSpec({ ...base, threads: [{ name: 't', body: [{ queue_work: 'w' }, { lock: 'A' }, { flush_work: 'w' }, { unlock: 'A' }] }] });
  t.deepEqual(
    queued.lockGraph!.edges.map((e) => `${e.from} -> ${e.to}`),
    ['(work_completion)(w) -> B', 'A -> (work_completion)(w)'],
  );
  t.deepEqual(kinds(queued), []); // B is not A: no cycle, and the run does not wait for A
  const idle = checkSpec({ ...base, threads: [{ name: 't', body: [{ lock: 'A' }, { flush_work: 'w' }, { unlock: 'A' }] }] });
  t.deepEqual(
    idle.lockGraph!.edges.map((e) => `${e.from} -> ${e.to}`),
    [],
  );
  // the map is no held lock: max_held 1 is enough for the run's one lock, and the run returns holding nothing
  const tight = checkSpec({ ...base, options: { max_held: 1 }, threads: [{ name: 't', body: [{ queue_work: 'w' }] }] });
  t.deepEqual(kinds(tight), []);
});

test('symmetry: copies that flush one item are interchangeable, and the reduction keeps what they find', (t) => {
  const spec = {
    name: 's',
    locks: { A: { kind: 'mutex' } },
    procedures: { p: { body: [{ lock: 'A' }, { unlock: 'A' }] } },
    works: { w: { proc: 'p' } },
    threads: [
      { name: 'q', body: [{ queue_work: 'w' }] },
      { name: 'f', count: 3, body: [{ lock: 'A' }, { flush_work: 'w' }, { unlock: 'A' }] },
    ],
  };
  const { model } = compileSpec(spec);
  const sym = explore(model!, { por: false });
  const full = explore(model!, { por: false, symmetry: false });
  t.true(sym.store.count < full.store.count, `${sym.store.count} < ${full.store.count}`);
  t.is(sym.deadlocks.length > 0, full.deadlocks.length > 0);
  t.deepEqual(kinds(checkSpec(spec)), kinds(checkSpec(spec, { symmetry: false, por: false })));
  t.deepEqual(kinds(checkSpec(spec)), ['deadlock', 'lock-order-cycle']);
});

// The reductions see the new steps only through their access sets: on every spec that uses the constructs,
// the reduced search must find the kinds, the lock-order graph and the shortest trace lengths of the full one.
const constructSpecs = fg.sync(['specs/regress/{flush,cancel,completion}-*.json', 'specs/kernel/e1000-*.json'], { cwd: ROOT }).sort();
const OFF = { por: false, symmetry: false, deadVariables: false };
const lengths = (r: SpecResult) => r.findings.map((f) => `${f.kind} ${f.message}: ${f.trace?.steps.length ?? '-'}`).sort();

test('the construct specs exist', (t) => {
  t.true(constructSpecs.length >= 13, constructSpecs.join(' '));
});
for (const file of constructSpecs) {
  test(`reductions keep what the full search finds in ${file}`, (t) => {
    const f = path.join(ROOT, file);
    const full = checkFile(nodeHost, f, OFF);
    const reduced = checkFile(nodeHost, f);
    t.deepEqual(reduced.diagnostics, []);
    t.deepEqual(kinds(reduced), kinds(full));
    t.deepEqual(reduced.lockGraph, full.lockGraph);
    t.deepEqual(lengths(reduced), lengths(full));
    t.true(reduced.stats!.states <= full.stats!.states);
  });
}
