// An instance's value is its position within its class (README, "Writing a spec"): net[1] is net's second
// instance, a[net2] is a[2], and no other class declared before or after changes either.
import test from 'ava';
import { checkSpec, compileSpec, kinds } from '../helpers/check';

/** The same netns model with `before` and `after` lock classes declared around net. */
function spec(before: object, after: object, body: object[], extra: object = {}) {
  return {
    name: 'positions',
    locks: {
      ...before,
      net: { kind: 'mutex', instances: ['init_net', 'net1', 'net2'], attrs: { addr: { init_net: 30, net1: 20, net2: 10 } } },
      ...after,
    },
    vars: { a: { array: 3, init: 0, guard: 'none' }, b: { array: 'net', init: 0, guard: 'none' }, v: { init: 0, guard: 'none' } },
    threads: [{ name: 't', locals: { n: 0 }, body }],
    ...extra,
  };
}

const OTHERS: [string, object, object][] = [
  ['no other class', {}, {}],
  ['a lock and a class before', { rtnl_mutex: { kind: 'mutex' }, dev: { kind: 'mutex', instances: ['lo', 'eth0'] } }, {}],
  ['a class after', {}, { ops: { kind: 'mutex', instances: { count: 4, prefix: 'ops' } } }],
];

for (const [what, before, after] of OTHERS) {
  test(`instance names are positions within their class (${what})`, (t) => {
    const { model, diagnostics } = compileSpec(spec(before, after, []));
    t.deepEqual(diagnostics, []);
    const net = model!.classes.find((c) => c.name === 'net')!;
    t.deepEqual(
      net.instances.map((id) => [model!.instances[id].short, model!.instances[id].pos]),
      [
        ['init_net', 0],
        ['net1', 1],
        ['net2', 2],
      ],
    );
    t.is(model!.globals.find((g) => g.name === 'b')!.size, 3, '"array": "net" has one element per instance');
  });

  test(`a[net2] is a[2], net[i] is the class's i-th instance, attributes and all(net) follow (${what})`, (t) => {
    const body = [
      { assign: 'a[net2]', value: 7 },
      { assign: 'b[net1]', value: 'net2' },
      { assert: 'a[2] == 7 && b[1] == 2 && net2 == 2', message: 'positions' },
      { assign: 'n', value: 1 },
      { lock: 'net[n]' },
      { assert_held: 'net[net1]' },
      { unlock: 'net[net1]' },
      { assert: 'n.addr == 20 && net2.addr == 10', message: 'attributes by position' },
      { assert: 'all(net) == 7 && has(all(net), net2) && size({init_net, net2}) == 2', message: 'sets of positions' },
    ];
    const r = checkSpec(spec(before, after, body, { final: [{ assert: 'v == 0' }] }));
    t.deepEqual(kinds(r), [], JSON.stringify(r.findings.map((f) => f.message)));
  });
}

test('an index out of its class is a run-time error naming the class', (t) => {
  const r = checkSpec(spec({ rtnl_mutex: { kind: 'mutex' } }, {}, [{ assign: 'n', value: 3 }, { lock: 'net[n]' }, { unlock: 'net[n]' }]));
  t.deepEqual(kinds(r), ['assertion']);
  t.regex(r.findings[0].message, /net\[n\]: 3 is not an instance of net \(it has 3\)/);
});

test('an instance of another class as the index of an array sized by a class: LC3028, also through a variable', (t) => {
  const before = { dev: { kind: 'mutex', instances: ['lo', 'eth0'] } };
  const direct = compileSpec(spec(before, {}, [{ assign: 'b[eth0]', value: 1 }]));
  t.deepEqual(
    direct.diagnostics.map((d) => d.code),
    ['LC3028'],
  );
  const through = compileSpec(spec(before, {}, [{ pick: 'n', from: 'all(dev)' }, { lock: 'dev[n]' }, { unlock: 'dev[n]' }, { assign: 'v', value: 'b[n]' }]));
  t.deepEqual(
    through.diagnostics.map((d) => [d.code, d.message]),
    [['LC3028', '"b" has one element per instance of net; n is an instance of dev']],
  );
});

test('cmp() and attributes take the class from their operands: LC3029 when nothing tells it', (t) => {
  const dev = { dev: { kind: 'mutex', instances: ['lo', 'eth0'], attrs: { addr: { lo: 1, eth0: 2 } } } };
  const undecided = compileSpec(spec(dev, {}, [{ assert: 'n.addr > 0' }]));
  t.deepEqual(
    undecided.diagnostics.map((d) => d.code),
    ['LC3029'],
  );
  // locking it as net[n] tells the class
  const decided = compileSpec(spec(dev, {}, [{ lock: 'net[n]' }, { assert: 'n.addr == 30' }, { unlock: 'net[n]' }]));
  t.deepEqual(decided.diagnostics, []);
});
