// The diagnostics catalog and the bad-spec fixtures in specs/invalid/: every code is unique, every code a spec
// file can trigger has a fixture, every fixture gives exactly its code at the right place, and nothing crashes.
import test from 'ava';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CODES } from '../../checker/diagnostics/codes';
import { Diagnostic, formatDiagnostic } from '../../checker/diagnostics/diagnostic';
import { checkFile, frontEnd } from '../../checker/pipeline';
import { Host, memoryHost, nodeHost } from '../../checker/spec/host';

const ROOT = path.resolve(__dirname, '../..');
const INVALID = path.join(ROOT, 'specs', 'invalid');

interface Expected {
  code: string;
  line: number;
  col: number;
  /** the source text that starts at line:col (so a wrong entry in this table shows at a glance) */
  at: string;
  /** the file the diagnostic points into, relative to specs/invalid/ (default: the fixture itself) */
  file?: string;
  /** part of the message: the problem it names */
  says: string;
  /** given by checkFile after the front end compiled the spec (frontEnd alone gives a model, no diagnostic) */
  afterFrontEnd?: true;
  /** the diagnostic has no JSON pointer (and why) */
  noPointer?: string;
}

// One entry per fixture in specs/invalid/. Each fixture must give exactly one diagnostic, this one.
const FIXTURES: Record<string, Expected> = {
  'LC1002-invalid-json.json': {
    code: 'LC1002',
    line: 4,
    col: 3,
    at: '"threads"',
    says: "expected ',' or '}'",
    noPointer: 'a syntax error has no value to point at',
  }, // the ',' missing before it
  'LC1002-duplicate-member.json': {
    code: 'LC1002',
    line: 5,
    col: 3,
    at: '"name": "again"',
    says: 'duplicate member name (first at line 2, column 3)',
    noPointer: 'a syntax error has no value to point at',
  },
  'LC1002-top-level-not-object.json': {
    code: 'LC1002',
    line: 1,
    col: 1,
    at: '[',
    says: 'the top level must be an object',
    noPointer: 'the loader gives no pointer for it',
  },
  'LC1002-invalid-json-in-model.json': {
    code: 'LC1002',
    line: 4,
    col: 3,
    at: 'procedures:',
    file: 'models/broken-json.json',
    says: 'expected a quoted member name',
    noPointer: 'a syntax error has no value to point at',
  },
  'LC1003-missing-import.json': { code: 'LC1003', line: 3, col: 15, at: '"models/no-such-model.json"', says: 'cannot import models/no-such-model.json' },
  'LC1003-import-is-directory.json': { code: 'LC1003', line: 4, col: 5, at: '"models"', says: 'is a directory' },
  'LC1009-import-outside-root.json': {
    code: 'LC1009',
    line: 3,
    col: 15,
    at: '"/etc/shadow"',
    says: 'cannot import /etc/shadow: it is outside the project root',
  },
  'LC1004-import-cycle.json': { code: 'LC1004', line: 4, col: 15, at: '"cycle-a.json"', file: 'models/cycle-b.json', says: 'import cycle' },
  'LC2002-import-not-lockcheck.json': {
    code: 'LC2002',
    line: 1,
    col: 1,
    at: '{',
    file: 'models/not-lockcheck.json',
    says: 'not a lockcheck model file',
    noPointer: 'it is about the whole file',
  },
  'LC2001-missing-member.json': { code: 'LC2001', line: 5, col: 5, at: '{ "seq"', says: 'missing required member "name"' },
  'LC2001-unknown-member.json': { code: 'LC2001', line: 5, col: 3, at: '"expect_error"', says: 'unknown member "expect_error"' },
  'LC2001-wrong-type.json': { code: 'LC2001', line: 4, col: 40, at: '1.5', says: '"count" must be an integer or a string' },
  'LC2001-bad-enum.json': { code: 'LC2001', line: 4, col: 20, at: '"mutx"', says: '"kind" must be one of' },
  'LC2001-bad-name.json': { code: 'LC2001', line: 4, col: 5, at: '"my-lock"', says: '"my-lock" is not a valid name' },
  'LC2001-unknown-statement.json': { code: 'LC2001', line: 9, col: 9, at: '{ "release"', says: 'unknown statement "release"' },
  'LC2001-statement-wrong-member.json': { code: 'LC2001', line: 8, col: 24, at: '"shared"', says: 'unknown member "shared"' },
  'LC2001-nested-statement.json': { code: 'LC2001', line: 9, col: 38, at: '9 }', says: '"subclass" must be <= 7' },
  'LC2001-seq-and-body.json': { code: 'LC2001', line: 5, col: 5, at: '{ "name": "t0", "seq"', says: 'exactly one of "seq"' },
  'LC2001-model-file.json': { code: 'LC2001', line: 1, col: 1, at: '{', file: 'models/no-procedures.json', says: 'missing required member "procedures"' },
  'LC3001-unknown-lock.json': { code: 'LC3001', line: 5, col: 36, at: 'B) U(A)', says: 'unknown lock "B"' },
  'LC3002-unknown-variable.json': { code: 'LC3002', line: 8, col: 48, at: 'step"', says: 'unknown name "step"' },
  'LC3003-unknown-procedure.json': { code: 'LC3003', line: 8, col: 19, at: '"do_wrok"', says: 'unknown procedure "do_wrok"' },
  'LC3004-argument-count.json': { code: 'LC3004', line: 10, col: 34, at: '[1]', says: '"add" takes 2 argument(s), 1 given' },
  'LC3005-expression-syntax.json': { code: 'LC3005', line: 8, col: 27, at: '", "then"', says: 'unexpected end of expression' }, // the end of "x == 1 &&"
  'LC3006-recursion.json': { code: 'LC3006', line: 5, col: 24, at: '{ "call": "ping" }', says: 'ping -> pong -> ping' },
  'LC3006-notifier-recursion.json': { code: 'LC3006', line: 5, col: 49, at: '{ "call_notifiers"', says: 'on_event -> on_event' },
  'LC3007-duplicate-name.json': { code: 'LC3007', line: 6, col: 15, at: '"t0"', says: 'duplicate thread "t0"' },
  'LC3008-shorthand-syntax.json': { code: 'LC3008', line: 5, col: 34, at: 'X(A)', says: 'cannot read step "X(A)"' },
  'LC3009-unknown-instance.json': { code: 'LC3009', line: 7, col: 52, at: 'net2]', says: 'has no instance "net2"' },
  'LC3010-read-on-exclusive.json': { code: 'LC3010', line: 8, col: 32, at: 'true', says: 'spinlock "A" has no read side' },
  'LC3011-unknown-attribute.json': { code: 'LC3011', line: 14, col: 31, at: 'adr <', says: 'unknown attribute "adr"' },
  'LC3012-cmp-reference.json': { code: 'LC3012', line: 7, col: 26, at: '"net0"', says: '"net0" is not an instance of net' },
  'LC3013-instance-needed.json': { code: 'LC3013', line: 7, col: 44, at: 'net)', says: 'lock "net" has instances' },
  'LC3014-not-assignable.json': { code: 'LC3014', line: 8, col: 22, at: 'N"', says: 'cannot assign to "N": it is a param' },
  'LC3015-return-outside.json': { code: 'LC3015', line: 7, col: 9, at: '{ "return"', says: '"return" outside a procedure' },
  'LC3016-unknown-function.json': { code: 'LC3016', line: 8, col: 22, at: 'abs(x)', says: 'unknown function "abs"' },
  'LC3017-not-an-array.json': { code: 'LC3017', line: 8, col: 22, at: 'x[0]', says: '"x" is not an array' },
  'LC3018-guard-unknown.json': { code: 'LC3018', line: 5, col: 32, at: '"B"', says: 'guard "B", which is not a lock' },
  'LC3019-bad-count.json': { code: 'LC3019', line: 5, col: 30, at: '0,', says: 'a thread count must be a positive integer, got 0' },
  'LC3020-function-arity.json': { code: 'LC3020', line: 7, col: 22, at: 'min(1)', says: 'function min() takes 2 argument(s)' },
  'LC3021-empty-threads.json': { code: 'LC3021', line: 4, col: 14, at: '[]', says: 'no threads' },
  'LC3023-by-ref-unknown.json': { code: 'LC3023', line: 7, col: 18, at: '"m"', says: '"by_ref" names "m"' },
  'LC3024-unknown-notifier.json': { code: 'LC3024', line: 8, col: 29, at: '"netdevice_chain"', says: 'unknown notifier chain "netdevice_chain"' },
  'LC3025-unknown-work.json': { code: 'LC3025', line: 9, col: 26, at: 'unregister_work', says: 'unknown work item "unregister_work"' },
  'LC3026-srcu-misuse.json': { code: 'LC3026', line: 8, col: 19, at: '"ops_srcu"', says: 'is an srcu_struct' },
  'LC3027-unknown-completion.json': { code: 'LC3027', line: 8, col: 35, at: 'dnoe', says: 'unknown completion "dnoe"' },
  'LC3028-index-wrong-class.json': {
    code: 'LC3028',
    line: 12,
    col: 27,
    at: 'eth1',
    says: '"refs" has one element per instance of net; eth1 is an instance of dev',
  },
  'LC3029-class-undecided.json': {
    code: 'LC3029',
    line: 12,
    col: 9,
    at: '{',
    says: '.addr: cannot tell which lock class x holds an instance of',
    noPointer: 'decided over the whole program after lowering: it points at the statement',
  },
  'LC3030-when-unknown-param.json': { code: 'LC3030', line: 6, col: 60, at: '"BROKN"', says: '"when" names "BROKN", which is not a param' },
  'LC3031-expect-field-unknown.json': { code: 'LC3031', line: 5, col: 50, at: '"variables"', says: 'a deadlock finding has no fact "variables"' },
  'LC4002-too-many-set-members.json': { code: 'LC4002', line: 11, col: 36, at: 'all(q)', says: 'this spec declares 32' },
  'LC4003-too-many-orders.json': { code: 'LC4003', line: 7, col: 26, at: '"any"', says: 'give 5040 orders to try, more than 720' },
  'LC4004-state-too-wide.json': { code: 'LC4004', line: 4, col: 29, at: '300000', says: 'takes 300000 integers, more than 16384' },
  'LC4005-too-much-code.json': {
    code: 'LC4005',
    line: 25,
    col: 39,
    at: '{"call": "p20"}',
    says: 'inlining p20 here makes the code of t more than 20000 instructions',
  },
  'LC4006-calls-too-deep.json': { code: 'LC4006', line: 69, col: 23, at: '{ "call": "q64" }', says: 'calls nest more than 64 deep' },
};

// Codes of stages 1-4 that no fixture file can give, and why. A code listed as "not emitted" must really not be
// emitted anywhere: once something emits it, this test asks for a fixture instead.
const NO_FIXTURE: Record<string, { why: string; notEmitted?: boolean }> = {
  LC1001: { why: 'an unreadable path: tested below with a missing file' },
  LC1005: { why: 'a directory given as the spec: tested below' },
  LC1006: { why: 'invalid UTF-8: tested below with bytes written at run time (no binary files in git)' },
  LC1007: { why: 'a FIFO or a device: made at run time in test/cli/hardening.test.ts (git keeps neither)' },
  LC1008: { why: 'a file over 4 MiB: written at run time in test/cli/hardening.test.ts' },
};

const codeNames = Object.keys(CODES) as (keyof typeof CODES)[];
const allCodes = codeNames.map((n) => CODES[n].code as string);

function sourcesOf(dir: string): { file: string; text: string }[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Code names passed to diag(...) or ctx.error(...) somewhere in the checker or the reports. */
function emittedCodeNames(): Set<string> {
  const files = [...sourcesOf(path.join(ROOT, 'checker')), ...sourcesOf(path.join(ROOT, 'reports'))].filter(
    (f) => !f.file.endsWith(path.join('diagnostics', 'codes.ts')),
  );
  const out = new Set<string>();
  for (const { text } of files) for (const m of text.matchAll(/\b(?:diag|error)\(\s*['"](\w+)['"]/g)) out.add(m[1]);
  return out;
}

function fixtureFiles(): string[] {
  return fs
    .readdirSync(INVALID)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

/** 1-based line and column of the k-th character of the only occurrence of needle in text. */
function locate(text: string, needle: string, k = 0): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0 || text.indexOf(needle, i + 1) >= 0) throw new Error(`test bug: ${JSON.stringify(needle)} must occur exactly once`);
  const before = text.slice(0, i + k).split('\n');
  return { line: before.length, col: before[before.length - 1].length + 1 };
}

const brief = (ds: Diagnostic[]) => ds.map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.col} ${d.code} ${d.message}`).join('\n');

// --- the catalog --------------------------------------------------------------------------------------

test('every code in CODES is unique and well formed', (t) => {
  const seen = new Map<string, string>();
  for (const n of codeNames) {
    const c = CODES[n];
    t.regex(c.code, /^LC[1-69]\d{3}$/, `${n}: ${c.code}`);
    t.false(seen.has(c.code), `${c.code} is used by both ${seen.get(c.code)} and ${n}`);
    seen.set(c.code, n);
    t.true(c.message.length > 0, `${n} has a message`);
  }
  t.is(seen.size, codeNames.length);
});

test('every code is emitted somewhere, or listed here as not emitted', (t) => {
  const emitted = emittedCodeNames();
  const notEmitted = new Set(
    Object.entries(NO_FIXTURE)
      .filter(([, v]) => v.notEmitted)
      .map(([c]) => c),
  );
  for (const n of codeNames) {
    const code = CODES[n].code;
    if (notEmitted.has(code)) t.false(emitted.has(n), `${code} (${n}) is emitted now: give it a fixture in specs/invalid/ and drop it from NO_FIXTURE`);
    else t.true(emitted.has(n), `${code} (${n}) is never emitted by the checker`);
  }
});

// --- the fixtures -------------------------------------------------------------------------------------

test('the fixture table lists exactly the fixtures in specs/invalid/, each named after its code', (t) => {
  t.deepEqual(fixtureFiles(), Object.keys(FIXTURES).sort());
  for (const [name, e] of Object.entries(FIXTURES)) {
    t.regex(name, /^LC\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.json$/);
    t.is(name.slice(0, 6), e.code, name);
    t.true(allCodes.includes(e.code), `${name}: ${e.code} is not in CODES`);
  }
  // helper model files are not fixtures
  for (const f of fs.readdirSync(path.join(INVALID, 'models'))) t.notRegex(f, /^LC\d/, `models/${f}`);
});

test('every LC1/2/3/4 code that a file can trigger has a fixture', (t) => {
  const covered = new Set(Object.values(FIXTURES).map((e) => e.code));
  for (const code of allCodes.filter((c) => /^LC[1-4]/.test(c))) {
    if (code in NO_FIXTURE) {
      t.false(covered.has(code), `${code} has a fixture now: drop it from NO_FIXTURE`);
      continue;
    }
    t.true(covered.has(code), `no fixture in specs/invalid/ gives ${code}`);
  }
  // the required LC2001 kinds: missing member, unknown member, wrong type, bad enum, unknown statement, bad statement member
  for (const kind of ['missing-member', 'unknown-member', 'wrong-type', 'bad-enum', 'unknown-statement', 'statement-wrong-member'])
    t.true(`LC2001-${kind}.json` in FIXTURES, kind);
});

for (const [name, e] of Object.entries(FIXTURES)) {
  test(`fixture ${name} gives ${e.code} at ${e.file ? e.file + ':' : ''}${e.line}:${e.col}`, (t) => {
    const file = path.join(INVALID, name);
    // the whole pipeline: exactly one diagnostic, and no internal error (checkFile turns exceptions into LC9001)
    const r = checkFile(nodeHost, file);
    t.is(r.verdict, 'error');
    t.false(
      r.diagnostics.some((x) => x.code === CODES.internal.code),
      brief(r.diagnostics),
    );
    t.is(r.diagnostics.length, 1, brief(r.diagnostics));
    const [d] = r.diagnostics;
    t.is(d.code, e.code, brief(r.diagnostics));
    t.is(d.severity, 'error');
    t.true(d.message.includes(e.says), `message: ${d.message}`);
    const target = path.join(INVALID, e.file ?? name);
    t.is(path.resolve(d.pos.file), target);
    t.deepEqual({ line: d.pos.line, col: d.pos.col }, { line: e.line, col: e.col }, brief(r.diagnostics));
    const srcLine = fs.readFileSync(target, 'utf8').split('\n')[e.line - 1] ?? '';
    t.true(srcLine.slice(e.col - 1).startsWith(e.at), `${target}:${e.line}:${e.col} is ${JSON.stringify(srcLine.slice(e.col - 1))}`);
    t.truthy(d.hint, 'every diagnostic has a hint');
    t.notRegex(d.message + (d.hint ?? ''), /\{\{|\}\}|undefined/, 'no unfilled placeholders');
    if (e.noPointer) t.is(d.pointer, undefined);
    else t.not(d.pointer, undefined, 'the diagnostic has a JSON pointer');

    // the front end alone (load + validate + compile) gives the same diagnostic
    const front = frontEnd(nodeHost, file);
    if (e.afterFrontEnd) {
      t.truthy(front.model);
      t.deepEqual(front.diagnostics, []);
    } else {
      t.is(front.model, undefined);
      t.deepEqual(front.diagnostics, r.diagnostics);
    }
  });
}

test('LC4003 points at the attribute declared "any"', (t) => {
  const text = fs.readFileSync(path.join(INVALID, 'LC4003-too-many-orders.json'), 'utf8');
  const [d] = checkFile(nodeHost, path.join(INVALID, 'LC4003-too-many-orders.json')).diagnostics;
  t.is(d.code, 'LC4003');
  t.deepEqual([d.pos.line, d.pos.col, d.pointer], [locate(text, '"any"').line, locate(text, '"any"').col, '/locks/net/attrs/addr']);
});

// --- codes that need the file system: on the fly ------------------------------------------------------

const withTempDir = <T>(f: (dir: string) => T): T => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockcheck-diag-'));
  try {
    return f(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

test('a missing file gives LC1001 at 1:1, with nodeHost and memoryHost', (t) => {
  withTempDir((dir) => {
    const missing = path.join(dir, 'no-such-spec.json');
    const r = frontEnd(nodeHost, missing);
    t.deepEqual(
      r.diagnostics.map((d) => [d.code, path.resolve(d.pos.file), d.pos.line, d.pos.col]),
      [['LC1001', missing, 1, 1]],
    );
    t.regex(r.diagnostics[0].message, /no such file/);
  });
  const m = frontEnd(memoryHost({}), 'nowhere.json');
  t.deepEqual(
    m.diagnostics.map((d) => [d.code, d.pos.file, d.pos.line, d.pos.col]),
    [['LC1001', 'nowhere.json', 1, 1]],
  );
});

test('a directory given as the spec gives LC1005', (t) => {
  withTempDir((dir) => {
    const r = frontEnd(nodeHost, dir);
    t.deepEqual(
      r.diagnostics.map((d) => [d.code, d.pos.line, d.pos.col]),
      [['LC1005', 1, 1]],
    );
    t.is(checkFile(nodeHost, dir).verdict, 'error');
  });
});

test('invalid UTF-8 bytes give LC1006, in a spec and in an imported model', (t) => {
  withTempDir((dir) => {
    const spec = path.join(dir, 'spec.json');
    fs.writeFileSync(spec, Buffer.from([0x7b, 0x20, 0x22, 0x6e, 0xff, 0xfe, 0x22, 0x3a, 0x20, 0x31, 0x20, 0x7d, 0x0a])); // { "n\xff\xfe": 1 }
    const r = frontEnd(nodeHost, spec);
    t.deepEqual(
      r.diagnostics.map((d) => [d.code, path.resolve(d.pos.file), d.pos.line, d.pos.col]),
      [['LC1006', spec, 1, 1]],
    );

    const importing = path.join(dir, 'importing.json');
    const model = path.join(dir, 'model.json');
    fs.writeFileSync(importing, '{ "name": "x", "imports": ["model.json"], "threads": [{ "name": "t0", "seq": "" }] }\n');
    fs.writeFileSync(model, Buffer.concat([Buffer.from('{ "name": "'), Buffer.from([0xc3, 0x28]), Buffer.from('", "procedures": {} }\n')]));
    const m = frontEnd(nodeHost, importing);
    t.deepEqual(
      m.diagnostics.map((d) => [d.code, path.resolve(d.pos.file)]),
      [['LC1006', model]],
    );
  });
  // a host that hands back bytes directly
  const bytesHost: Host = { ...memoryHost({}), readFile: () => ({ bytes: Uint8Array.from([0x7b, 0x80, 0x7d]) }) };
  t.deepEqual(
    frontEnd(bytesHost, 'x.json').diagnostics.map((d) => d.code),
    ['LC1006'],
  );
});

// --- several problems in one run ----------------------------------------------------------------------

test('a spec with several independent name and semantic problems reports all of them', (t) => {
  const text = [
    '{',
    '  "name": "many-problems",',
    '  "locks": { "A": { "kind": "mutex" } },',
    '  "vars": { "x": { "init": 0, "guard": "G" } },',
    '  "procedures": { "p": { "body": [] } },',
    '  "threads": [',
    '    { "name": "t0", "seq": "L(A) L(Q) U(A)" },',
    '    { "name": "t1", "body": [{ "call": "pp" }] },',
    '    { "name": "t2", "body": [{ "assign": "x", "value": "yy + 1" }] },',
    '    { "name": "t0", "seq": "S(A,9)" }',
    '  ]',
    '}',
  ].join('\n');
  const { model, diagnostics } = frontEnd(memoryHost({ 'many.json': text }), 'many.json');
  t.is(model, undefined);
  const got = diagnostics.map((d) => `${d.code} ${d.pos.line}:${d.pos.col}`).sort();
  const want = [
    ['LC3018', locate(text, '"G"')],
    ['LC3001', locate(text, 'L(Q)', 2)],
    ['LC3003', locate(text, '"pp"')],
    ['LC3002', locate(text, 'yy + 1')],
    ['LC3007', locate(text, '"t0", "seq": "S', 0)],
    ['LC3008', locate(text, 'S(A,9)')],
  ] as const;
  t.deepEqual(got, want.map(([c, p]) => `${c} ${p.line}:${p.col}`).sort(), brief(diagnostics));
});

test('a spec with several schema problems reports all of them', (t) => {
  const text = [
    '{',
    '  "name": "schema-problems",',
    '  "locks": { "A": { "kind": "mutx" } },',
    '  "threads": [',
    '    { "seq": "L(A) U(A)" },',
    '    { "name": "t1", "seq": "L(A) U(A)", "colour": "red" },',
    '    { "name": "t2", "body": [{ "lock": "A", "reed": true }, { "unlock": "A" }] }',
    '  ],',
    '  "expect": { "findings": ["deadlok"] }',
    '}',
  ].join('\n');
  const { diagnostics } = frontEnd(memoryHost({ 's.json': text }), 's.json');
  t.true(
    diagnostics.every((d) => d.code === 'LC2001'),
    brief(diagnostics),
  );
  const got = diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.pointer}`);
  const want = [
    [locate(text, '"mutx"'), '/locks/A/kind'],
    [locate(text, '{ "seq"'), '/threads/0'],
    [locate(text, '"colour"'), '/threads/1/colour'],
    [locate(text, '"reed"'), '/threads/2/body/0/reed'],
    [locate(text, '"deadlok"'), '/expect/findings/0'],
  ] as const;
  t.deepEqual(
    got,
    want.map(([p, ptr]) => `${p.line}:${p.col} ${ptr}`),
    brief(diagnostics),
  );
});

test('each malformed statement gives one diagnostic, at the statement or at the member that is wrong', (t) => {
  const text = [
    '{',
    '  "name": "statements",',
    '  "locks": { "A": { "kind": "mutex" } },',
    '  "threads": [',
    '    { "name": "t0", "body": [',
    '      {},',
    '      "L(A)",',
    '      { "note": "only a note" },',
    '      { "lock": "A", "unlock": "A" },',
    '      { "if": "1", "then": [{ "choose": [[{ "unlock": 7 }]] }], "else": [{ "asert": "1" }] }',
    '    ] }',
    '  ]',
    '}',
  ].join('\n');
  const { diagnostics } = frontEnd(memoryHost({ 's.json': text }), 's.json');
  const got = diagnostics.map((d) => `${d.code} ${d.pos.line}:${d.pos.col} ${d.pointer} ${d.message}`);
  const at = (needle: string, ptr: string, msg: string) => {
    const p = locate(text, needle);
    return `LC2001 ${p.line}:${p.col} ${ptr} ${msg}`;
  };
  t.deepEqual(
    got,
    [
      at('{},', '/threads/0/body/0', 'a statement needs a keyword'),
      at('"L(A)"', '/threads/0/body/1', 'item 1 must be an object, got the string "L(A)"'),
      at('{ "note"', '/threads/0/body/2', 'a statement needs a keyword'),
      at('"unlock": "A"', '/threads/0/body/3/unlock', 'unknown member "unlock"'),
      at('7 }', '/threads/0/body/4/then/0/choose/0/0/unlock', '"unlock" must be a string, got number 7'),
      at('{ "asert"', '/threads/0/body/4/else/0', 'unknown statement "asert"'),
    ],
    got.join('\n'),
  );
  t.regex(diagnostics[5].hint ?? '', /did you mean "assert"\?/);
});

test('problems in several files, and in load and schema stages, are all reported', (t) => {
  const spec = [
    '{',
    '  "name": "spread",',
    '  "imports": ["gone.json", "m.json", "also-gone.json"],',
    '  "threads": [{ "name": "t0", "seq": "" }],',
    '  "extra": 1',
    '}',
  ].join('\n');
  const model = ['{', '  "name": "m",', '  "procedures": { "p": { "body": [{ "lokc": "A" }] } }', '}'].join('\n');
  const { diagnostics } = frontEnd(memoryHost({ 's.json': spec, 'm.json': model }), 's.json');
  const got = diagnostics.map((d) => `${d.pos.file}:${d.pos.line}:${d.pos.col} ${d.code}`).sort();
  const p = (f: string, pos: { line: number; col: number }, code: string) => `${f}:${pos.line}:${pos.col} ${code}`;
  const want = [
    p('s.json', locate(spec, '"gone.json"'), 'LC1003'),
    p('s.json', locate(spec, '"also-gone.json"'), 'LC1003'),
    p('s.json', locate(spec, '"extra"'), 'LC2001'),
    p('m.json', locate(model, '{ "lokc"'), 'LC2001'),
  ].sort();
  t.deepEqual(got, want, brief(diagnostics));
});

// --- the formatted form -------------------------------------------------------------------------------

test('formatDiagnostic gives FILE:LINE:COL: error: message [CODE], the JSON pointer and a hint', (t) => {
  const file = path.join(INVALID, 'LC3001-unknown-lock.json');
  const [d] = frontEnd(nodeHost, file).diagnostics;
  const lines = formatDiagnostic(d).split('\n');
  const m = /^(\S+):(\d+):(\d+): error: (.+) \[(LC\d{4})\]$/.exec(lines[0]);
  t.truthy(m, lines[0]);
  t.is(path.resolve(m![1]), file);
  t.deepEqual([Number(m![2]), Number(m![3]), m![5]], [5, 36, 'LC3001']);
  t.regex(m![4], /unknown lock "B"/);
  t.true(lines.includes('    at /threads/0/seq'), lines.join('\n'));
  const hint = lines.find((l) => l.startsWith('    hint: '));
  t.truthy(hint);
  t.regex(hint!, /declare it under "locks"; did you mean "A"\?/);
});

test('every fixture formats with its position, its pointer (where it has one) and a hint', (t) => {
  for (const [name, e] of Object.entries(FIXTURES)) {
    const [d] = checkFile(nodeHost, path.join(INVALID, name)).diagnostics;
    const s = formatDiagnostic(d);
    const first = s.split('\n')[0];
    t.true(first.startsWith(`${d.pos.file}:${e.line}:${e.col}: error: `), `${name}: ${first}`);
    t.true(first.endsWith(` [${e.code}]`), `${name}: ${first}`);
    t.regex(s, /\n    hint: \S/, name);
    if (e.noPointer) t.false(s.includes('\n    at '), `${name}: ${s}`);
    else t.true(s.includes(`\n    at ${d.pointer === '' ? '/' : d.pointer}\n`), `${name}: ${s}`);
  }
});

test('the root pointer prints as "/", and a diagnostic without a pointer prints no "at" line', (t) => {
  const [root] = frontEnd(nodeHost, path.join(INVALID, 'LC2001-model-file.json')).diagnostics;
  t.is(root.pointer, '');
  t.true(formatDiagnostic(root).split('\n').includes('    at /'));
  const [missing] = frontEnd(memoryHost({}), 'nowhere.json').diagnostics;
  t.is(missing.pointer, undefined);
  t.false(formatDiagnostic(missing).includes('\n    at '));
});
