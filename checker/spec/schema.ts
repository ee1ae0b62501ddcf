// Stage "validate", part 1: the JSON Schema check (ajv), with ajv's errors turned into one clear message per
// problem. Statements are an anyOf of shapes; when a statement names its keyword ("lock", "if", ...) we check it
// against that one shape, so the user hears about the member that is wrong, not about fourteen alternatives.
// The validators are ajv's, compiled at build time (scripts/build-validators.ts): nothing is compiled here.
import type { ErrorObject, ValidateFunction } from 'ajv';
import specSchema from '../../specs/schema/lockcheck.schema.json';
import { diag, Diagnostic, suggest } from '../diagnostics/diagnostic';
import { escapePointer, nearestSpan } from './json-positions';
import { SourceDoc } from './load';
import * as compiled from './schema-validators.generated';

const STATEMENT_KEYWORDS: Record<string, string> = {
  lock: 'stmtLock',
  trylock: 'stmtTrylock',
  unlock: 'stmtUnlock',
  seq: 'stmtSeq',
  assign: 'stmtAssign',
  if: 'stmtIf',
  choose: 'stmtChoose',
  pick: 'stmtPick',
  for: 'stmtFor',
  foreach: 'stmtForeach',
  call: 'stmtCall',
  return: 'stmtReturn',
  assert: 'stmtAssert',
  assert_held: 'stmtAssertHeld',
  rcu_read_lock: 'stmtRcuReadLock',
  rcu_read_unlock: 'stmtRcuReadUnlock',
  synchronize_rcu: 'stmtSynchronizeRcu',
  srcu_read_lock: 'stmtSrcuReadLock',
  srcu_read_unlock: 'stmtSrcuReadUnlock',
  synchronize_srcu: 'stmtSynchronizeSrcu',
  wait_until: 'stmtWaitUntil',
  call_notifiers: 'stmtCallNotifiers',
  queue_work: 'stmtQueueWork',
  flush_work: 'stmtFlushWork',
  cancel_work_sync: 'stmtCancelWorkSync',
  wait_for_completion: 'stmtWaitForCompletion',
  complete: 'stmtComplete',
  complete_all: 'stmtCompleteAll',
  reinit_completion: 'stmtReinitCompletion',
};

const ONE_OF_MESSAGES: Record<string, [string, string]> = {
  instances: ['"instances" must be a list of names or {"count": N, "prefix": "net"}', 'e.g. ["init_net", "net1"]'],
  attrs: ['an attribute must map instances to integers, or be an expression over the index i', 'e.g. {"addr": {"init_net": 300, "net1": 100}}'],
  cmp: ['a cmp rule is {"first": INSTANCE} or {"by": ATTRIBUTE, "order": "asc"|"desc"}', 'e.g. [{"first": "init_net"}, {"by": "addr", "order": "asc"}]'],
  locals: ['a local is an initial value, or {"init": VALUE, "array": SIZE}', 'e.g. {"len": 0, "nets": {"array": 3}}'],
  thread: ['a thread needs exactly one of "seq" (lock shorthand) or "body" (statements)', 'e.g. {"name": "t0", "seq": "L(A) U(A)"}'],
  return: ['"return" takes an expression or null', 'e.g. {"return": "-EEXIST"}'],
};

const VALIDATORS = compiled as unknown as Record<string, ValidateFunction | undefined>;
/** The validator of a spec, a model file, or one statement shape (a name under the schema's $defs). */
function validator(name: string): ValidateFunction {
  const v = Object.prototype.hasOwnProperty.call(VALIDATORS, name) ? VALIDATORS[name] : undefined;
  if (!v) throw new Error(`no compiled validator "${name}": run \`npm run build\``);
  return v;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let v: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (typeof v === 'number' && !Number.isInteger(v)) return `the non-integer ${v}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

interface Problem {
  pointer: string;
  /** point at a member's key rather than its value */
  atKey?: boolean;
  message: string;
  hint: string;
}

function memberName(pointer: string): string {
  const last = pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
  return /^[0-9]+$/.test(last) ? `item ${last}` : `"${last}"`;
}

// Which anyOf/oneOf an error belongs to. ajv compiles recursive $refs (statement -> body -> statement) as separate
// functions whose errors have schemaPaths relative to the referenced schema ("#/anyOf", "#/required"), so
// schemaPaths cannot tell where an error comes from; the schema objects themselves (ajv's verbose
// parentSchema is the very object of the imported JSON) can.
const SCHEMA = specSchema as unknown as {
  $defs: Record<string, { properties?: Record<string, { items?: object; additionalProperties?: object }>; additionalProperties?: object }>;
};
const ALTERNATIVE_NAMES = new Map<unknown, string>([
  [SCHEMA.$defs.lock.properties!.instances, 'instances'],
  [SCHEMA.$defs.lock.properties!.attrs.additionalProperties, 'attrs'],
  [SCHEMA.$defs.lock.properties!.cmp.items, 'cmp'],
  [SCHEMA.$defs.locals.additionalProperties, 'locals'],
  [SCHEMA.$defs.thread, 'thread'],
  [SCHEMA.$defs.stmtReturn.properties!.return, 'return'],
]);

function resolveRef(ref: string): unknown {
  // Every $ref in the two schemas points into lockcheck.schema.json ("#/$defs/x" or "lockcheck.schema.json#/$defs/x").
  let v: unknown = specSchema;
  for (const raw of ref
    .slice(ref.indexOf('#') + 1)
    .split('/')
    .filter((t) => t !== '')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

const reachableCache = new WeakMap<object, Set<unknown>>();
/** Every schema object reachable from the alternatives of an anyOf/oneOf, through $refs. */
function reachable(alternatives: object): Set<unknown> {
  let seen = reachableCache.get(alternatives);
  if (seen) return seen;
  const found = new Set<unknown>();
  const visit = (s: unknown) => {
    if (s === null || typeof s !== 'object' || found.has(s)) return;
    found.add(s);
    for (const [k, v] of Object.entries(s)) {
      if (k === '$ref' && typeof v === 'string') visit(resolveRef(v));
      else if (k !== '$defs' && k !== 'enum' && k !== 'const' && k !== 'default') visit(v);
    }
  };
  visit(alternatives);
  seen = found;
  reachableCache.set(alternatives, seen);
  return seen;
}

const isAtOrBelow = (p: string, q: string) => p === q || p.startsWith(q + '/');

function explain(errors: ErrorObject[], root: unknown, base: string, problems: Problem[]): void {
  // Sub-errors of anyOf/oneOf are replaced by one message about the alternative; drop them here. An error at the
  // same place from the schema that holds the anyOf (e.g. "must be an object") is a sibling, not a sub-error.
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const isBelowAlternative = (e: ErrorObject) =>
    alternatives.some(
      (a) =>
        a !== e &&
        isAtOrBelow(e.instancePath, a.instancePath) &&
        !(e.instancePath === a.instancePath && e.parentSchema === a.parentSchema) &&
        reachable(a.schema as object).has(e.parentSchema),
    );
  for (const e of errors) {
    if (isBelowAlternative(e)) continue;
    if (e.keyword === 'minProperties' && e.parentSchema === SCHEMA.$defs.statement) continue; // the anyOf says "needs a keyword"
    if (e.keyword === 'if') continue; // the branch that applied ("then"/"else") says what is wrong
    const pointer = base + e.instancePath;
    const value = valueAt(root, pointer);
    switch (e.keyword) {
      case 'anyOf': {
        if (e.parentSchema !== SCHEMA.$defs.statement) break;
        if (value === null || typeof value !== 'object' || Array.isArray(value)) continue; // its 'type' error says so
        const keys = Object.keys(value);
        // own keys only: a member named "toString" or "constructor" is an unknown statement, not a keyword
        const kw = keys.find((k) => Object.prototype.hasOwnProperty.call(STATEMENT_KEYWORDS, k));
        if (!kw) {
          const unknown = keys.find((k) => k !== 'note');
          problems.push({
            pointer,
            message: unknown ? `unknown statement "${unknown}"` : 'a statement needs a keyword',
            hint: `statements are: ${Object.keys(STATEMENT_KEYWORDS).join(', ')}${unknown ? suggest(unknown, Object.keys(STATEMENT_KEYWORDS)) : ''}`,
          });
        } else {
          const v = validator(STATEMENT_KEYWORDS[kw]);
          if (!v(value)) explain(v.errors ?? [], root, pointer, problems);
        }
        continue;
      }
      case 'oneOf': {
        const key = ALTERNATIVE_NAMES.get(e.parentSchema);
        const [message, hint] = key ? ONE_OF_MESSAGES[key] : ['value matches none of the allowed forms', 'see specs/schema/lockcheck.schema.json'];
        problems.push({ pointer, message, hint });
        continue;
      }
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        problems.push({ pointer, message: `missing required member "${missing}"`, hint: `add "${missing}" here` });
        continue;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
        problems.push({
          pointer: `${pointer}/${escapePointer(extra)}`,
          atKey: true,
          message: `unknown member "${extra}"`,
          hint: `allowed here: ${allowed.join(', ')}${suggest(extra, allowed)}`,
        });
        continue;
      }
      case 'type': {
        const want = (e.params as { type: string | string[] }).type;
        const wants = (Array.isArray(want) ? want : String(want).split(',')).map((w) =>
          w === 'integer' ? 'an integer' : w === 'object' ? 'an object' : w === 'array' ? 'an array' : `a ${w}`,
        );
        problems.push({
          pointer,
          message: `${memberName(pointer)} must be ${wants.join(' or ')}, got ${typeName(value)}`,
          hint: 'see specs/schema/lockcheck.schema.json',
        });
        continue;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((a) => JSON.stringify(a));
        problems.push({
          pointer,
          message: `${memberName(pointer)} must be one of ${allowed.join(', ')}, got ${typeName(value)}`,
          hint:
            typeof value === 'string'
              ? `allowed: ${allowed.join(', ')}${suggest(
                  value,
                  allowed.map((a) => JSON.parse(a) as string),
                )}`
              : `allowed: ${allowed.join(', ')}`,
        });
        continue;
      }
      case 'pattern':
        problems.push({
          pointer,
          message: `${typeName(value)} is not a valid name`,
          hint: 'names are identifiers: letters, digits and _, not starting with a digit',
        });
        continue;
      case 'propertyNames':
        continue; // reported by the nested 'pattern' error with the name itself
      default: {
        const schemaHint = e.keyword === 'uniqueItems' ? 'remove the duplicate' : 'see specs/schema/lockcheck.schema.json';
        problems.push({ pointer, message: `${memberName(pointer)} ${e.message ?? 'is invalid'}`, hint: schemaHint });
      }
    }
  }
}

// Every top-level member a lockcheck file may have (a spec's are a superset of a model file's).
const LOCKCHECK_MEMBERS = new Set(Object.keys((specSchema as { properties: object }).properties));

/**
 * Whether a JSON object is meant for lockcheck: it has "threads" or "procedures", or only members lockcheck
 * knows. Any other file (a package.json, a secret given as an import) gets one diagnostic that names none of
 * its members: the schema's messages would list them.
 */
function isLockcheckFile(value: object): boolean {
  const keys = Object.keys(value);
  return keys.includes('threads') || keys.includes('procedures') || keys.every((k) => LOCKCHECK_MEMBERS.has(k));
}

export function validateSchema(src: SourceDoc): Diagnostic[] {
  if (!isLockcheckFile(src.doc.value as object)) {
    const sp = src.doc.spans.get('')!;
    const [what, needs] = src.role === 'spec' ? ['spec', 'threads'] : ['model file', 'procedures'];
    return [diag('notLockcheckFile', { file: src.display, line: sp.line, col: sp.col }, { what, needs })];
  }
  const v = validator(src.role);
  if (v(src.doc.value)) return [];
  const problems: Problem[] = [];
  // propertyNames errors carry the bad name in params; report them at the key.
  for (const e of v.errors ?? []) {
    if (e.keyword === 'propertyNames') {
      const name = (e.params as { propertyName: string }).propertyName;
      problems.push({
        pointer: `${e.instancePath}/${escapePointer(name)}`,
        atKey: true,
        message: `"${name}" is not a valid name`,
        hint: 'names are identifiers: letters, digits and _, not starting with a digit',
      });
    }
  }
  explain(
    (v.errors ?? []).filter((e) => !(e.keyword === 'pattern' && e.propertyName !== undefined)),
    src.doc.value,
    '',
    problems,
  );
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const p of problems) {
    const key = `${p.pointer}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const sp = (p.atKey && src.doc.spans.get(`${p.pointer}#key`)) || nearestSpan(src.doc, p.pointer);
    out.push(diag('schema', { file: src.display, line: sp.line, col: sp.col }, { message: p.message, hint: p.hint }, p.pointer));
  }
  return out.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
}
