// The diagnostics catalog: every message lockcheck can give about a spec, with a stable code.
// LC1xxx load, LC2xxx schema, LC3xxx names and semantics, LC4xxx compile, LC5xxx bounds, LC6xxx results read
// back (lockcheck merge, --baseline) and paths replayed (--replay), LC9xxx internal.
// Codes are never renumbered; test/unit/diagnostics.test.ts checks each is unique and used.

export interface DiagnosticTemplate {
  code: string;
  /** Message with {{placeholders}}. */
  message: string;
  hint?: string;
}

export const CODES = {
  fileUnreadable: { code: 'LC1001', message: 'cannot read {{path}}: {{reason}}', hint: 'check the path; specs are JSON files' },
  invalidJson: { code: 'LC1002', message: 'invalid JSON: {{reason}}', hint: 'a JSON object is expected; check commas, quotes and brackets' },
  importMissing: { code: 'LC1003', message: 'cannot import {{path}}: {{reason}}', hint: 'imports are paths relative to the importing file' },
  importCycle: { code: 'LC1004', message: 'import cycle: {{chain}}', hint: 'a model file may not import itself, directly or through others' },
  notAFile: { code: 'LC1005', message: '{{path}} is a directory, not a spec file', hint: 'give a .json file or a glob such as "specs/**/*.json"' },
  invalidUtf8: { code: 'LC1006', message: 'the file is not valid UTF-8', hint: 'save the spec as UTF-8 text' },
  notRegularFile: {
    code: 'LC1007',
    message: '{{path}} is {{what}}, not a regular file',
    hint: 'specs and the model files they import are regular files; devices, FIFOs and sockets are not read',
  },
  fileTooLarge: { code: 'LC1008', message: '{{path}} is larger than {{max}} MiB', hint: 'specs and model files are at most {{max}} MiB; split the model' },
  importOutsideRoot: {
    code: 'LC1009',
    message: 'cannot import {{path}}: it is outside the project root {{root}}',
    hint: 'imports stay inside the nearest folder above the spec holding package.json, .git or lockcheck.json; --allow-import DIR allows another folder',
  },

  schema: { code: 'LC2001', message: '{{message}}', hint: '{{hint}}' },
  notLockcheckFile: {
    code: 'LC2002',
    message: 'not a lockcheck {{what}}: a JSON object without "{{needs}}" and with members lockcheck does not know',
    hint: 'a spec has "name" and "threads", a model file "name" and "procedures" (specs/schema/); the members of a file that is not one are not listed',
  },

  unknownLock: { code: 'LC3001', message: 'unknown lock "{{name}}"', hint: 'declare it under "locks"{{suggest}}' },
  unknownVariable: {
    code: 'LC3002',
    message: 'unknown name "{{name}}"',
    hint: 'declare it as a local, a shared var, a param, or use a lock instance name{{suggest}}',
  },
  unknownProcedure: { code: 'LC3003', message: 'unknown procedure "{{name}}"', hint: 'define it under "procedures" here or in an imported model{{suggest}}' },
  argumentCount: { code: 'LC3004', message: '"{{name}}" takes {{expected}} argument(s), {{actual}} given', hint: 'match the procedure\'s "params"' },
  expressionSyntax: {
    code: 'LC3005',
    message: 'expression error: {{reason}}',
    hint: 'expressions use C-like operators: == != < <= > >= && || ! ~ & | + - * / % ?: and calls such as cmp(a, b)',
  },
  recursion: {
    code: 'LC3006',
    message: 'procedures call each other recursively: {{chain}}',
    hint: 'procedures are inlined, so recursion is not allowed; use a bounded loop',
  },
  duplicateName: { code: 'LC3007', message: 'duplicate {{what}} "{{name}}"', hint: 'names must be unique; {{where}}' },
  shorthandSyntax: {
    code: 'LC3008',
    message: 'lock shorthand: {{reason}}',
    hint: 'steps are L(X) R(X) T(X) U(X) N(X,Y) S(X,k), separated by spaces; X is a lock or CLASS[INSTANCE]',
  },
  unknownInstance: { code: 'LC3009', message: 'lock class "{{lock}}" has no instance "{{name}}"', hint: 'its instances are: {{instances}}' },
  readOnExclusive: { code: 'LC3010', message: '{{kind}} "{{lock}}" has no read side', hint: 'read acquisition needs a lock of kind rwlock or rwsem' },
  unknownAttribute: { code: 'LC3011', message: 'unknown attribute "{{name}}"', hint: 'declare it under the lock\'s "attrs"' },
  cmpReference: { code: 'LC3012', message: 'cmp rule: {{reason}}', hint: 'rules are {"first": INSTANCE} or {"by": ATTRIBUTE, "order": "asc"|"desc"}' },
  instanceNeeded: { code: 'LC3013', message: 'lock "{{lock}}" has instances; say which one', hint: 'write {{lock}}[INSTANCE]' },
  notAssignable: {
    code: 'LC3014',
    message: 'cannot assign to "{{name}}": it is a {{what}}',
    hint: 'assign to a local (declared under "locals") or a shared var',
  },
  returnOutside: { code: 'LC3015', message: '"return" outside a procedure', hint: 'threads end at the end of their body' },
  functionArity: {
    code: 'LC3020',
    message: 'function {{name}}() takes {{expected}} argument(s)',
    hint: 'functions: cmp(a, b), size(s), has(s, x), add(s, x), del(s, x), all(CLASS), min(a, b), max(a, b)',
  },
  unknownFunction: { code: 'LC3016', message: 'unknown function "{{name}}"', hint: 'functions: {{functions}}' },
  notAnArray: { code: 'LC3017', message: '"{{name}}" is {{what}}', hint: '{{hint}}' },
  guardUnknown: { code: 'LC3018', message: 'shared var "{{name}}" has guard "{{guard}}", which is not a lock', hint: 'name a declared lock, or "none"' },
  badCount: { code: 'LC3019', message: '{{what}} must be a positive integer, got {{value}}', hint: 'use a number or a param that holds one' },
  emptyThreads: { code: 'LC3021', message: 'the spec declares no threads', hint: 'add at least one thread under "threads"' },
  byRefUnknown: { code: 'LC3023', message: '"by_ref" names "{{name}}", which is not a param of {{proc}}', hint: 'list only names that appear in "params"' },

  unknownNotifier: { code: 'LC3024', message: 'unknown notifier chain "{{name}}"', hint: 'declare it under "notifiers"{{suggest}}' },
  unknownWork: { code: 'LC3025', message: 'unknown work item "{{name}}"', hint: 'declare it under "works"{{suggest}}' },
  whenUnknownParam: {
    code: 'LC3030',
    message: 'expect.findings: "when" names "{{name}}", which is not a param',
    hint: 'name a param the spec or its models declare under "params"{{suggest}}',
  },
  expectFieldUnknown: {
    code: 'LC3031',
    message: 'expect.findings: a {{kind}} finding has no fact "{{field}}"',
    hint: '{{kind}} findings can be named by: {{fields}}{{suggest}}',
  },
  unknownCompletion: { code: 'LC3027', message: 'unknown completion "{{name}}"', hint: 'declare it under "completions"{{suggest}}' },
  indexWrongClass: {
    code: 'LC3028',
    message: '"{{name}}" has one element per instance of {{expected}}; {{index}} is {{actual}}',
    hint: 'index it with an instance of {{expected}} (its position within {{expected}}), or declare "array" as the class or a count',
  },
  classUndecided: {
    code: 'LC3029',
    message: '{{what}}: cannot tell which lock class {{operand}} holds an instance of',
    hint: 'an instance is a position within its class, so {{need}} needs the class: {{fix}}',
  },
  srcuMisuse: {
    code: 'LC3026',
    message: '{{what}}',
    hint: 'srcu_read_lock/srcu_read_unlock/synchronize_srcu take a lock of kind "srcu"; other statements take the other kinds',
  },
  tooManyOrders: {
    code: 'LC4003',
    message: 'attributes declared "any" give {{count}} orders to try, more than {{max}}',
    hint: 'give fixed values to some instances, or fewer instances',
  },
  stateTooWide: {
    code: 'LC4004',
    message: 'a state of this spec takes {{width}} integers, more than {{max}} ({{part}})',
    hint: 'use fewer or smaller shared arrays, lock instances or threads; a model checker needs small states',
  },
  tooMuchCode: {
    code: 'LC4005',
    message: '{{where}} makes {{what}} more than {{max}} instructions',
    hint: 'procedures are inlined at every call, so calls that each call the next several times multiply the code: call once, in a loop',
  },
  callsTooDeep: {
    code: 'LC4006',
    message: 'calls nest more than {{max}} deep here ({{chain}})',
    hint: 'procedures are inlined at every call; flatten the chain',
  },
  tooManySetMembers: {
    code: 'LC4002',
    message: 'sets hold at most 31 lock instances; this spec declares {{count}}',
    hint: 'split the model, or avoid set expressions',
  },

  resultNotJson: {
    code: 'LC6001',
    message: 'not JSON: {{reason}}',
    hint: 'lockcheck merge and --baseline read what lockcheck check --format json writes',
  },
  resultShape: {
    code: 'LC6002',
    message: 'not a lockcheck --format json result: {{what}}',
    hint: 'make one with lockcheck check --format json (merge: with --shard i/n)',
  },
  shardMismatch: {
    code: 'LC6003',
    message: '{{what}}',
    hint: 'merge the --format json results of every shard of one split: one spec, unchanged, with the same options and shard count',
  },
  maxStates: { code: 'LC5001', message: 'stopped after {{states}} states (--max-states)', hint: 'raise --max-states, or shrink the model' },
  maxSeconds: { code: 'LC5002', message: 'stopped after {{seconds}} s (--max-seconds)', hint: 'raise --max-seconds, or shrink the model' },
  maxMemory: {
    code: 'LC5004',
    message: 'stopped after {{states}} states: memory passed {{mb}} MiB (--max-memory)',
    hint: 'raise --max-memory, or shrink the model',
  },
  interrupted: { code: 'LC5003', message: 'interrupted after {{states}} states', hint: 'the search was stopped by a signal' },

  badPath: {
    code: 'LC6004',
    message: 'cannot replay the path: {{reason}}',
    hint: 'give a trace\'s path: line as lockcheck printed it for this spec with the same --param and --without (README: "Replaying a trace")',
  },

  internal: { code: 'LC9001', message: 'internal error, please report: {{reason}}', hint: 'this is a bug in lockcheck, not in your spec' },
} as const satisfies Record<string, DiagnosticTemplate>;

export type CodeName = keyof typeof CODES;
