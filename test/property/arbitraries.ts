// fast-check arbitraries for hostile specs: generated specs over the whole spec language (mostly the right
// shapes, with wrong types, missing and extra members, hostile names and numbers mixed in), mutations of the
// bundled specs at the value level and at the text and byte level.
//
// Sizes stay small where a size is a count (instances, threads, arrays): sizes past ~260,000 state slots crash
// the state store (test/property/repros/LC9001-state-width.json) and a cmp over thousands of instances takes
// minutes (repros/hang-cmp-check-cubic.json); those are known and kept out of the bulk run so that it can catch
// new problems. Names that are Object.prototype members are used as member keys only, for the same reason
// (repros/prototype-names-in-expressions.json).
import fc from 'fast-check';
import { FINDING_KINDS } from '../../checker/spec/types';
import { randomShorthandSpec } from '../../bench/promela/random-shorthand';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// --- names and numbers ---------------------------------------------------------------------------------
/** Names that declarations use and references find, so that many generated specs get past name checks. */
export const IDENTS = ['A', 'B', 'C', 'net', 'rtnl_mutex', 't', 'x', 'i', 'n', 'len', 'P', 'N', 'f', 'g', 'init_net', 'net1', 'self', 'ok'];
export const HOSTILE_NAMES = [
  '',
  ' ',
  'é',
  'Ä',
  '日本',
  '🔒',
  '\u0000',
  '\t',
  '\n',
  'a b',
  '1abc',
  'x-y',
  '$x',
  'L(A)',
  'net[init_net]',
  'a.b',
  'null',
  'true',
  'false',
  'undefined',
  'NaN',
  'Infinity',
  '\ud800',
  '\u202e',
  'A'.repeat(300),
  'x'.repeat(5000),
];
/** Member names that are also Object.prototype members: only ever used as JSON keys. */
export const PROTO_KEYS = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

export const ident = fc.constantFrom(...IDENTS);
export const anyName = fc.oneof(
  { weight: 6, arbitrary: ident },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
export const memberKey = fc.oneof({ weight: 4, arbitrary: anyName }, { weight: 1, arbitrary: fc.constantFrom(...PROTO_KEYS) });

/** Integers at the edges: 0, -1, 2^31, 2^53, 1e308, fractions, plus small ones (see the header on sizes). */
export const hostileInt = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 9 }) },
  { weight: 1, arbitrary: fc.integer({ min: -300, max: 300 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      31,
      32,
      33,
      64,
      65,
      255,
      256,
      2 ** 31 - 1,
      2 ** 31,
      -(2 ** 31),
      -(2 ** 31) - 1,
      2 ** 32,
      2 ** 53 - 1,
      2 ** 53 + 2,
      1e21,
      1e308,
      -1e308,
      0.5,
      1.5,
      -0.5,
      5e-324,
    ),
  },
);

/** Deep nesting: arrays and objects d levels deep (the loader allows 200). */
export const deep = fc.tuple(fc.integer({ min: 150, max: 260 }), fc.boolean()).map(([d, obj]): Json => {
  let v: Json = 1;
  for (let k = 0; k < d; k++) v = obj ? { a: v } : [v];
  return v;
});

/** Any JSON value, tilted towards the troublesome ones. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: hostileInt },
  { weight: 3, arbitrary: anyName },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, [], {}, [[]], { '': null }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

// --- expressions, lock references and shorthand -------------------------------------------------------------
const FUNCTIONS = ['cmp', 'size', 'has', 'add', 'del', 'all', 'min', 'max', 'frob'];
const BINOPS = ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '&', '|'];

export const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ident,
    fc.integer({ min: -2, max: 5 }).map(String),
    fc.constantFrom('2147483647', '2147483648', '99999999999999999999', '0x7fffffff', '0xffffffff', '{net1, init_net}', '{}', 'all(net)', 'self', 'net1.addr'),
    fc.tuple(tie('e'), fc.constantFrom(...BINOPS), tie('e')).map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(fc.constantFrom('!', '-', '~'), tie('e')).map(([o, a]) => `${o}${a}`),
    tie('e').map((a) => `(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    fc.tuple(fc.constantFrom(...FUNCTIONS), fc.array(tie('e'), { maxLength: 3 })).map(([f, as]) => `${f}(${as.join(', ')})`),
    fc.tuple(ident, tie('e')).map(([a, i]) => `${a}[${i}]`),
    fc.string({ maxLength: 6 }),
  ),
})).e;

export const lockRef = fc.oneof(
  { weight: 4, arbitrary: ident },
  { weight: 2, arbitrary: fc.tuple(ident, expr).map(([c, i]) => `${c}[${i}]`) },
  { weight: 1, arbitrary: anyName },
);

export const seq = fc
  .tuple(
    fc.array(
      fc.oneof(
        {
          weight: 6,
          arbitrary: fc.tuple(fc.constantFrom('L', 'R', 'T', 'U'), fc.constantFrom('A', 'B', 'C', 'net[init_net]', 'net[net1]')).map(([o, l]) => `${o}(${l})`),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom('N', 'S'), ident, fc.oneof(ident, fc.integer({ min: -1, max: 9 }).map(String)))
            .map(([o, a, b]) => `${o}(${a},${b})`),
        },
        { weight: 1, arbitrary: fc.tuple(fc.constantFrom('L', 'X', 'U', 'l', ''), lockRef).map(([o, l]) => `${o}(${l})`) },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      ),
      { maxLength: 8 },
    ),
    fc.constantFrom(' ', '  ', '\n', '', ' ,'),
  )
  .map(([steps, sep]) => steps.join(sep));

// --- statements and declarations -----------------------------------------------------------------------
const valueOrExpr: fc.Arbitrary<Json> = fc.oneof({ weight: 3, arbitrary: expr }, { weight: 1, arbitrary: hostileInt }, { weight: 1, arbitrary: hostileValue });

/** Adds a hostile member or drops a member now and then: the shapes are mostly right, never always. */
function roughen(a: fc.Arbitrary<{ [k: string]: Json }>): fc.Arbitrary<Json> {
  return fc.tuple(a, fc.nat(19), memberKey, hostileValue, fc.nat()).map(([o, dice, k, v, which]) => {
    const r: { [k: string]: Json } = { ...o };
    const keys = Object.keys(r);
    if (dice === 0) Object.defineProperty(r, k, { value: v, enumerable: true, writable: true, configurable: true });
    else if (dice === 1 && keys.length > 0) delete r[keys[which % keys.length]];
    else if (dice === 2 && keys.length > 0) r[keys[which % keys.length]] = v;
    return r;
  });
}

export const statement: fc.Arbitrary<Json> = fc.letrec<{ s: Json; body: Json }>((tie) => {
  const body = fc.array(tie('s'), { maxLength: 4 });
  const s = fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    roughen(fc.record({ lock: lockRef, read: fc.boolean(), subclass: fc.integer({ min: -1, max: 9 }), nest_lock: lockRef }, { requiredKeys: ['lock'] })),
    roughen(fc.record({ trylock: lockRef, into: ident }, { requiredKeys: ['trylock'] })),
    roughen(fc.record({ unlock: lockRef })),
    roughen(fc.record({ seq })),
    roughen(
      fc.record({
        assign: fc.oneof(
          ident,
          fc.tuple(ident, expr).map(([a, i]) => `${a}[${i}]`),
        ),
        value: valueOrExpr,
      }),
    ),
    roughen(fc.record({ if: valueOrExpr, then: tie('body'), else: tie('body') }, { requiredKeys: ['if', 'then'] })),
    roughen(fc.record({ choose: fc.array(tie('body'), { maxLength: 3 }) })),
    roughen(fc.record({ pick: ident, from: expr })),
    roughen(fc.record({ for: ident, from: valueOrExpr, to: valueOrExpr, do: tie('body') })),
    roughen(fc.record({ foreach: ident, in: expr, do: tie('body') })),
    roughen(fc.record({ call: fc.oneof(ident, anyName), args: fc.array(valueOrExpr, { maxLength: 3 }), into: ident }, { requiredKeys: ['call'] })),
    roughen(fc.record({ return: fc.oneof(valueOrExpr, fc.constant(null)) })),
    roughen(fc.record({ assert: valueOrExpr, message: anyName }, { requiredKeys: ['assert'] })),
    roughen(fc.record({ assert_held: lockRef })),
    fc.constantFrom<Json>({ rcu_read_lock: {} }, { rcu_read_unlock: {} }, { synchronize_rcu: {} }),
    roughen(
      fc
        .record({ srcu: fc.constantFrom('srcu_read_lock', 'srcu_read_unlock', 'synchronize_srcu'), ref: lockRef })
        .map(({ srcu, ref }) => ({ [srcu as string]: ref })),
    ),
    roughen(fc.record({ wait_until: valueOrExpr })),
    roughen(fc.record({ call_notifiers: ident, args: fc.array(valueOrExpr, { maxLength: 2 }) }, { requiredKeys: ['call_notifiers'] })),
    roughen(fc.record({ queue_work: lockRef })),
    // a statement with no keyword, or a prototype name as its keyword
    fc
      .tuple(fc.constantFrom(...PROTO_KEYS, 'note', 'frob', ''), hostileValue)
      .map(([k, v]) => Object.defineProperty({}, k, { value: v, enumerable: true }) as Json),
    hostileValue,
  );
  return { s, body };
}).s;

export const body = fc.array(statement, { maxLength: 5 });

const locals = fc.dictionary(
  ident,
  fc.oneof(hostileInt, expr, fc.record({ init: valueOrExpr, array: fc.oneof(fc.integer({ min: -1, max: 8 }), ident) }, { requiredKeys: [] })),
  { maxKeys: 3 },
);

const lockDecl = roughen(
  fc.record(
    {
      kind: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('mutex', 'spinlock', 'rwlock', 'rwsem', 'srcu') }, { weight: 1, arbitrary: anyName }),
      instances: fc.oneof(
        fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom('init_net', 'net1', 'net2', 'a', 'b') }, { weight: 1, arbitrary: anyName }), {
          maxLength: 5,
        }),
        fc.record({ count: fc.oneof(fc.integer({ min: -1, max: 6 }), ident, fc.constant(2 ** 31)), prefix: fc.oneof(fc.constant('net'), anyName) }),
      ),
      attrs: fc.dictionary(
        fc.constantFrom('addr', 'id', 'x'),
        fc.oneof(fc.dictionary(fc.constantFrom('init_net', 'net1', 'net2', 'a'), fc.oneof(hostileInt, expr), { maxKeys: 3 }), expr, fc.constant('any')),
        { maxKeys: 2 },
      ),
      cmp: fc.array(
        fc.oneof(
          fc.record({ first: fc.oneof(fc.constantFrom('init_net', 'net1'), anyName) }),
          fc.record({ by: fc.constantFrom('addr', 'id', 'nope'), order: fc.constantFrom('asc', 'desc', 'up') }, { requiredKeys: ['by'] }),
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: ['kind'] },
  ),
);

const procDecl = roughen(
  fc.record(
    {
      source: anyName,
      params: fc.array(fc.oneof(ident, anyName), { maxLength: 3 }),
      by_ref: fc.array(ident, { maxLength: 2 }),
      locals,
      body,
    },
    { requiredKeys: ['body'] },
  ),
);

const threadDecl = roughen(
  fc
    .tuple(
      fc.record(
        {
          name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('t0', 't1', 'writer', 't0') }, { weight: 1, arbitrary: anyName }),
          count: fc.oneof(fc.integer({ min: -1, max: 4 }), ident, fc.constant(2 ** 31)),
          locals,
          seq,
          body,
        },
        { requiredKeys: ['name', 'seq', 'body'] },
      ),
      fc.nat(9),
    )
    .map(([t, dice]) => {
      // usually exactly one of seq and body, as the schema wants; sometimes both or neither
      const r: { [k: string]: Json } = { ...t };
      if (dice < 5) delete r.body;
      else if (dice < 9) delete r.seq;
      return r;
    }),
);

/** A whole spec over the spec language; threads and locks mostly match the names the statements use. */
export const generatedSpec: fc.Arbitrary<Json> = roughen(
  fc.record(
    {
      $schema: fc.constant('specs/schema/lockcheck.schema.json'),
      name: fc.oneof({ weight: 4, arbitrary: fc.constant('fuzz') }, { weight: 1, arbitrary: hostileValue }),
      description: anyName,
      params: fc.dictionary(fc.oneof(ident, memberKey), hostileInt, { maxKeys: 3 }),
      locks: fc.dictionary(
        fc.oneof({ weight: 5, arbitrary: fc.constantFrom('A', 'B', 'C', 'net', 'rtnl_mutex') }, { weight: 1, arbitrary: memberKey }),
        lockDecl,
        { maxKeys: 4 },
      ),
      vars: fc.dictionary(
        ident,
        fc.record(
          {
            init: fc.oneof(hostileInt, fc.array(hostileInt, { maxLength: 3 })),
            array: fc.oneof(fc.integer({ min: -1, max: 8 }), ident),
            guard: fc.oneof(fc.constantFrom('A', 'none'), anyName),
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 2 },
      ),
      procedures: fc.dictionary(fc.constantFrom('f', 'g', 'h', 'A'), procDecl, { maxKeys: 3 }),
      notifiers: fc.dictionary(
        ident,
        fc.record(
          { params: fc.array(ident, { maxLength: 2 }), handlers: fc.array(fc.constantFrom('f', 'g', 'zz'), { maxLength: 2 }) },
          { requiredKeys: ['handlers'] },
        ),
        { maxKeys: 1 },
      ),
      works: fc.dictionary(ident, fc.record({ proc: fc.constantFrom('f', 'g', 'zz'), per: fc.constantFrom('net', 'A', 'zz') }, { requiredKeys: ['proc'] }), {
        maxKeys: 1,
      }),
      threads: fc.array(threadDecl, { maxLength: 4 }),
      final: fc.array(fc.record({ assert: valueOrExpr, message: anyName }, { requiredKeys: ['assert'] }), { maxLength: 2 }),
      expect: fc.record({ findings: fc.subarray([...FINDING_KINDS, 'frob' as never]), note: anyName }, { requiredKeys: ['findings'] }),
      options: fc.record({ max_held: fc.oneof(fc.integer({ min: 0, max: 65 }), hostileInt) }),
      imports: fc.array(fc.constantFrom('../../models/rtnl/rtnl.json', 'models/rtnl/rtnl.json', 'nope.json', '', '.', 'spec.json', '../../specs'), {
        maxLength: 2,
      }),
    },
    { requiredKeys: ['name', 'threads'] },
  ),
);

/** A random shorthand spec of the differential generator, sometimes with one of its steps garbled. */
export const randomShorthand: fc.Arbitrary<Json> = fc.tuple(fc.nat(), fc.option(fc.tuple(fc.nat(), seq), { freq: 3 })).map(([seed, garble]) => {
  const s = randomShorthandSpec(seed, { maxThreads: 3, maxAcquires: 10 }) as unknown as { threads: { seq: string }[] } & Json;
  if (garble) {
    const t = s.threads[garble[0] % s.threads.length];
    t.seq = `${t.seq} ${garble[1]}`;
  }
  return s as Json;
});

// --- mutations of existing JSON ----------------------------------------------------------------------------
/** Every path in a JSON value (arrays by index, objects by key), the root first. */
export function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}

export type Mutation =
  | { op: 'replace'; where: number; value: Json }
  | { op: 'delete'; where: number }
  | { op: 'add'; where: number; key: string; value: Json }
  | { op: 'duplicate'; where: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), where: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), where: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('add' as const), where: fc.nat(), key: memberKey, value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), where: fc.nat() }) },
);

/** Applies a mutation to a copy: at one of the value's paths (chosen by `where`), which may be the root. */
export function mutate(v: Json, m: Mutation): Json {
  const root: Json = structuredClone(v);
  const all = paths(root);
  const p = all[m.where % all.length];
  if (p.length === 0) return m.op === 'replace' ? m.value : root;
  let parent: Json = root;
  for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, Json>)[k];
  const last = p[p.length - 1];
  const container = parent as Record<string | number, Json>;
  switch (m.op) {
    case 'replace':
      container[last] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete container[last];
      break;
    case 'add': {
      const target = container[last];
      if (Array.isArray(target)) target.push(m.value);
      else if (target !== null && typeof target === 'object')
        Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else container[last] = m.value;
      break;
    }
    case 'duplicate':
      // a second copy of an array element (two threads of one name), or of an object member under a new key
      if (Array.isArray(parent)) parent.splice(last as number, 0, structuredClone(parent[last as number]));
      else container[`${last}_copy`] = structuredClone(container[last]);
      break;
  }
  return root;
}

/** Text-level damage: truncation, stray characters, huge or malformed number literals, duplicate members. */
export type TextEdit =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'number'; which: number; text: string }
  | { op: 'dupline'; at: number };

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '\u0000', 'é', '1e400', 'null', '\n', '/*', '\ufeff', '"\\ud800"', '"\\u00zz"', 'NaN', '-'),
      fc.string({ maxLength: 4 }),
    ),
  }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({
    op: fc.constant('number' as const),
    which: fc.nat(),
    text: fc.constantFrom(
      '1e400',
      '-1e400',
      '1e-400',
      '123456789012345678901234567890',
      '-0',
      '1.5',
      '0x10',
      '01',
      '2147483648',
      '-2147483649',
      '9007199254740993',
      '1E2',
      '.5',
      '5.',
    ),
  }),
  fc.record({ op: fc.constant('dupline' as const), at: fc.nat() }),
);

export function editText(text: string, e: TextEdit): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (e.op) {
    case 'truncate':
      return text.slice(0, at(e.at));
    case 'insert':
      return text.slice(0, at(e.at)) + e.text + text.slice(at(e.at));
    case 'delete':
      return text.slice(0, at(e.at)) + text.slice(at(e.at) + e.length);
    case 'number': {
      const nums = [...text.matchAll(/(?<=[:[,]\s*)-?[0-9]+(?:\.[0-9]+)?/g)];
      if (nums.length === 0) return text;
      const m = nums[e.which % nums.length];
      return text.slice(0, m.index) + e.text + text.slice(m.index! + m[0].length);
    }
    case 'dupline': {
      const lines = text.split('\n');
      const k = e.at % lines.length;
      lines.splice(k, 0, lines[k]);
      return lines.join('\n');
    }
  }
}

/** Byte-level damage: invalid UTF-8 (lone continuation bytes, overlong forms, surrogates, truncated sequences). */
export const badUtf8 = fc.tuple(
  fc.nat(),
  fc.constantFrom([0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]),
);

export function insertBytes(text: string, at: number, bytes: readonly number[]): Uint8Array {
  const b = Buffer.from(text, 'utf8');
  const k = b.length === 0 ? 0 : at % (b.length + 1);
  return Buffer.concat([b.subarray(0, k), Buffer.from(bytes), b.subarray(k)]);
}
