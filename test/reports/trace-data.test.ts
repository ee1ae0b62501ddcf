// Counterexamples a person can act on, through the real CLI: each step lists the variables it changed (by
// the names the spec gives them, lock instances by name) and the choices it made, also those of its folded
// local statements; compiler-inserted resets of dead variables are not changes; a thread's statements before
// the first step are the trace's setup; every step, blocked thread and finding carries its call chain with
// file:line:col per frame; ITF states carry the spec's variables; and every counterexample of the bundled
// specs has that data, in the shape the result schema gives.
import test from 'ava';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import resultSchema from '../../specs/schema/result.schema.json';
import { CheckResult, Finding, Trace, TraceStep } from '../../checker/result';
import { lockcheck } from '../helpers/cli';

function specFile(name: string, spec: object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-data-'));
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(spec, null, 2));
  return file;
}

function json(args: string[]): CheckResult {
  const r = lockcheck(['check', '--format', 'json', '--no-timings', ...args]);
  t0(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as CheckResult;
}

function t0(ok: boolean, why: string) {
  if (!ok) throw new Error(why);
}

const finding = (r: CheckResult, kind: string): Finding => r.results[0].findings.find((f) => f.kind === kind)!;

/** A shared table of instances, a set, a procedure with a by_ref parameter and a local: every kind of write. */
const DATA_SPEC = {
  name: 'data',
  locks: { net: { kind: 'mutex', instances: ['a', 'b'] } },
  vars: { tbl: { array: 2, init: ['b', 'b'] }, count: { init: 0 } },
  procedures: {
    put: {
      params: ['t', 'k', 'v', 'n'],
      by_ref: ['n'],
      locals: { tmp: 7 },
      body: [
        { assign: 'tmp', value: 'tmp + 1' },
        { assign: 'n', value: 'n + 1' },
        { assign: 't[k]', value: 'v' },
      ],
    },
  },
  threads: [
    {
      name: 'w',
      locals: { n: 0, x: 0, s: 0 },
      body: [
        { pick: 'x', from: 'all(net)' },
        { call: 'put', args: ['tbl', '1', 'x', 'n'] },
        { assign: 's', value: 'add(s, x)' },
        { assign: 'count', value: 'count + n' },
        { assert: 'count == 0', message: 'boom' },
      ],
    },
  ],
};

test('each step lists what it changed, old -> new, by the names the spec gives; resets of dead locals are not changes', (t) => {
  const file = specFile('data', DATA_SPEC);
  const f = finding(json([file]), 'assertion');
  const [s1, s2, s3, s4] = f.trace!.steps;
  t.is(f.trace!.steps.length, 4, 'the assert reads count, a shared var: a step of its own');
  // the pick of a (instance 0, what x already held): a choice, though not a change
  t.deepEqual(
    s1.choices?.map((c) => [c.action, c.value]),
    [['pick x from all(net)', 'a']],
  );
  t.deepEqual(s1.changes, [
    { var: 'k', thread: 'w', frame: 'put', from: 1, to: 1, param: true },
    { var: 'v', thread: 'w', frame: 'put', from: 'a', to: 'a', param: true },
    { var: 'tmp', thread: 'w', frame: 'put', from: 7, to: 8 },
    // written through the by_ref parameter: the caller's own local, under its own name
    { var: 'n', thread: 'w', from: 0, to: 1 },
  ]);
  // the call returns in this step: its locals are zeroed, and no change says so
  t.deepEqual(s2.changes, [
    { var: 'tbl[1]', from: 'b', to: 'a' },
    { var: 's', thread: 'w', from: [], to: ['a'] },
  ]);
  t.deepEqual(s3.changes, [{ var: 'count', from: 0, to: 1 }]);
  t.is(s4.changes, undefined);
  t.is(s4.note, 'boom');
  t.deepEqual(f.trace!.initial, [
    { var: 'tbl[0]', value: 'b' },
    { var: 'tbl[1]', value: 'b' },
    { var: 'count', value: 0 },
    { var: 'n', thread: 'w', value: 0 },
    { var: 'x', thread: 'w', value: 'a' },
    { var: 's', thread: 'w', value: [] },
  ]);

  const text = lockcheck(['check', file]).stdout;
  t.regex(text, /changed: n 0 -> 1; in put: k = 1, v = a, tmp 7 -> 8\n/);
  t.regex(text, /changed: s \{\} -> \{a\}; shared: tbl\[1\] b -> a\n/);
  t.regex(text, /changed: shared: count 0 -> 1\n/);
});

test('ITF states carry the spec variables: shared vars by name (arrays as lists), locals per thread, what changed', (t) => {
  const file = specFile('data', DATA_SPEC);
  const r = lockcheck(['check', '--format', 'itf', file]);
  const [tr] = JSON.parse(r.stdout) as { vars: string[]; states: Record<string, unknown>[] }[];
  t.deepEqual(tr.vars.slice(-4), ['tbl', 'count', 'locals', 'changed']);
  const big = (n: number) => ({ '#bigint': String(n) });
  t.deepEqual(tr.states[0].tbl, ['b', 'b']);
  t.deepEqual(tr.states[2].tbl, ['b', 'a']);
  t.deepEqual(tr.states[3].count, big(1));
  t.is(tr.states.length, 5);
  t.deepEqual(tr.states[1].locals, { '#map': [['w', { n: big(1), x: 'a', s: { '#set': [] } }]] });
  t.deepEqual(tr.states[2].locals, { '#map': [['w', { n: big(1), x: 'a', s: { '#set': ['a'] } }]] });
  t.deepEqual(tr.states[1].changed, { '#set': ['w.n', 'w.put.k', 'w.put.tmp', 'w.put.v'] });
  t.deepEqual(tr.states[3].changed, { '#set': ['count'] });
});

test('a pick folded into the step of a failing assert keeps its value (nets-sorted-after with RTNL_NETS_MAX=2)', (t) => {
  const args = ['specs/rtnl/nets-sorted-after.json', '--param', 'RTNL_NETS_MAX=2'];
  const f = finding(json(args), 'assertion');
  const last = f.trace!.steps[f.trace!.steps.length - 1];
  t.is(last.action, 'assert 0', 'the step shows the assert the finding is about');
  const pick = last.choices?.find((c) => c.action === 'pick c from all(net)');
  t.truthy(pick, 'and the pick it began with');
  t.true(['init_net', 'net1', 'net2'].includes(pick!.value as string));
  // c starts as 0, net's first instance (instances are positions within their class): picking init_net leaves it
  const changedC = last.changes?.find((c) => c.var === 'c' && c.frame === undefined);
  if (pick!.value === 'init_net') t.is(changedC, undefined, 'an unchanged local is not listed');
  else t.deepEqual(changedC, { var: 'c', thread: 'writer[0]', from: 'init_net', to: pick!.value });
  const text = lockcheck(['check', ...args]).stdout;
  t.true(text.includes(`chose: pick c from all(net) -> ${pick!.value} (specs/rtnl/nets-sorted-after.json:58:9)`), text);
  t.true(text.includes(`changed: ${changedC ? `c init_net -> ${pick!.value}; ` : ''}in rtnl_newlink_nets: peer_net = `), text);
});

test('a single thread whose assert fails before any step: the trace is its setup (step 0), with what it changed', (t) => {
  const file = specFile('early', {
    name: 'early',
    threads: [
      {
        name: 't',
        locals: { x: 0 },
        body: [
          { assign: 'x', value: 'x + 2' },
          { assert: 'x == 0', message: 'x is not 0' },
        ],
      },
    ],
  });
  const f = finding(json([file]), 'assertion');
  t.deepEqual(f.trace!.steps, []);
  const [setup] = f.trace!.setup!;
  t.like(setup, { step: 0, thread: 't', action: 'assert x == 0', detail: 'FAILS', note: 'x is not 0', changes: [{ var: 'x', thread: 't', from: 0, to: 2 }] });
  const text = lockcheck(['check', file]).stdout;
  t.regex(text, /\n {4}0 {2}t {7}assert x == 0 -> FAILS +\S+early\.json:\d+:\d+ +-\n +changed: x 0 -> 2\n +\^ x is not 0\n/);
});

/** Every frame: the thread first, each procedure after, the innermost at the step itself. */
function stackErrors(s: Pick<TraceStep, 'thread' | 'src' | 'frames' | 'stack'>, where: string): string[] {
  const st = s.stack ?? [];
  const bad: string[] = [];
  if (st.length !== s.frames.length + 1) bad.push(`${where}: ${st.length} frames for ${s.frames.length} procedures`);
  if (st[0]?.name !== s.thread) bad.push(`${where}: the outermost frame is ${st[0]?.name}`);
  if (JSON.stringify(st[st.length - 1]?.src) !== JSON.stringify(s.src)) bad.push(`${where}: the innermost frame is not the step`);
  if (st.slice(1).some((fr, k) => fr.name !== s.frames[k])) bad.push(`${where}: frames out of order`);
  if (st.some((fr) => !(fr.src.line >= 1 && fr.src.col >= 1 && fr.src.file))) bad.push(`${where}: a frame without a position`);
  return bad;
}

test('each step, blocked thread and finding has its whole call chain, each frame with file:line:col', (t) => {
  const r = json(['specs/rtnl/nets-unsorted-after.json']);
  const f = finding(r, 'deadlock');
  for (const s of f.trace!.steps) t.deepEqual(stackErrors(s, `step ${s.step}`), []);
  const locks = f.trace!.steps.filter((s) => s.action === 'lock net[n]');
  t.true(locks.length >= 2);
  for (const s of locks)
    t.deepEqual(
      s.stack!.map((fr) => `${fr.name} ${fr.src.file}:${fr.src.line}:${fr.src.col}`),
      [
        `${s.thread} specs/rtnl/nets-unsorted-after.json:62:9`,
        'rtnl_newlink_nets_unsorted models/rtnl/rtnl_newlink.json:30:9',
        'rtnl_nets_lock models/rtnl/rtnl_nets.json:53:54',
        '__rtnl_net_lock models/rtnl/rtnl.json:26:9',
      ],
    );
  for (const b of f.trace!.blocked!) t.is(b.stack!.length, 4);
  t.deepEqual(f.stack!.at(-1)!.src, f.location);
  t.deepEqual(f.stack![0].src, f.calledFrom);
  const text = lockcheck(['check', 'specs/rtnl/nets-unsorted-after.json']).stdout;
  t.true(
    text.includes(
      [
        '    at models/rtnl/rtnl.json:26:9 in __rtnl_net_lock',
        '       called from models/rtnl/rtnl_nets.json:53:54 in rtnl_nets_lock',
        '       called from models/rtnl/rtnl_newlink.json:30:9 in rtnl_newlink_nets_unsorted',
        '       called from specs/rtnl/nets-unsorted-after.json:62:9 in writer[0]',
      ].join('\n'),
    ),
    text,
  );
  t.regex(
    text,
    /\n {18}calls: writer\[0\] specs\/rtnl\/nets-unsorted-after\.json:62:9 > rtnl_newlink_nets_unsorted models\/rtnl\/rtnl_newlink\.json:30:9 > rtnl_nets_lock models\/rtnl\/rtnl_nets\.json:53:54 > __rtnl_net_lock\n/,
  );
});

test('every counterexample of the bundled specs has its data: call chains, choices, changes by name, the schema shape', (t) => {
  const dirs = ['specs/rtnl', 'specs/kernel', 'specs/regress'];
  const files = dirs.flatMap((d) => fs.readdirSync(path.join(__dirname, '..', '..', d)).map((f) => `${d}/${f}`));
  const r = json(files);
  const validate = new Ajv({ allErrors: true, strict: false }).compile(resultSchema as object);
  t.true(validate(r), JSON.stringify(validate.errors?.slice(0, 3)));
  let traces = 0;
  let changes = 0;
  let choices = 0;
  const problems: string[] = [];
  for (const res of r.results)
    for (const f of res.findings) {
      // a finding inside a procedure (a final assertion has no thread, a cmp-invalid no place in the code)
      if (f.calledFrom && !f.stack) problems.push(`${res.file} ${f.kind}: no call chain`);
      const all: Trace[] = [...(f.trace ? [f.trace] : []), ...(f.chains ?? []).map((c) => c.trace)];
      for (const tr of all) {
        traces++;
        t0(Array.isArray(tr.initial), `${res.file}: a trace without initial values`);
        for (const s of [...(tr.setup ?? []), ...tr.steps]) {
          problems.push(...stackErrors(s, `${res.file} ${f.kind} step ${s.step}`));
          for (const c of s.changes ?? []) {
            changes++;
            // names as the user wrote them: no compiler temporary, no slot number
            if (!/^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?$/.test(c.var)) problems.push(`${res.file}: a change of ${c.var}`);
            if (c.from !== undefined && JSON.stringify(c.from) === JSON.stringify(c.to) && !c.param) problems.push(`${res.file}: ${c.var} did not change`);
          }
          choices += s.choices?.length ?? 0;
        }
      }
    }
  t.deepEqual(problems, []);
  t.true(traces > 40 && changes > 300 && choices > 10, `${traces} traces, ${changes} changes, ${choices} choices`);
});
