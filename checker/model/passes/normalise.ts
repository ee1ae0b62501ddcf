// Pass 1, normalise: gathers the declarations of the spec and every model it imports (one name, one
// declaration), and rewrites each body into the tagged AST (passes/ast.ts): statements get a `kind`, the lock
// shorthand becomes lock, trylock and unlock nodes, and each U(X) that closes a T(X) names it.
import { escapePointer } from '../../spec/json-positions';
import { Loaded, SourceDoc } from '../../spec/load';
import { parseShorthand, ShorthandError } from '../../spec/shorthand';
import { CompletionDecl, LockDecl, NotifierDecl, ProcDecl, SpecFile, Stmt, ThreadDecl, VarDecl, WorkDecl } from '../../spec/types';
import { AstProc, AstStmt, AstThread, Text } from './ast';
import { assertNever, Ctx, Declared } from './context';

export interface Normalised {
  spec: SourceDoc;
  /** the models, then the spec: later files override earlier ones' params */
  docs: SourceDoc[];
  file: SpecFile;
  locks: Map<string, Declared<LockDecl>>;
  vars: Map<string, Declared<VarDecl>>;
  procedures: Map<string, Declared<AstProc>>;
  notifiers: Map<string, Declared<NotifierDecl>>;
  works: Map<string, Declared<WorkDecl>>;
  completions: Map<string, Declared<CompletionDecl>>;
  threads: Declared<AstThread>[];
}

export function normalise(loaded: Loaded, ctx: Ctx): Normalised {
  const docs = [...loaded.models, loaded.spec];
  const collect = <T>(member: 'locks' | 'vars' | 'procedures' | 'notifiers' | 'works' | 'completions', what: string): Map<string, Declared<T>> => {
    const out = new Map<string, Declared<T>>();
    for (const doc of docs) {
      const table = (doc.doc.value as Record<string, Record<string, T> | undefined>)[member];
      if (!table) continue;
      for (const [name, value] of Object.entries(table)) {
        const pointer = `/${member}/${escapePointer(name)}`;
        const prev = out.get(name);
        if (prev) {
          ctx.error(
            'duplicateName',
            ctx.pos(doc, pointer, true),
            { what, name, where: `also declared at ${prev.doc.display}:${ctx.pos(prev.doc, prev.pointer, true).line}` },
            pointer,
          );
          continue;
        }
        out.set(name, { value, doc, pointer });
      }
    }
    return out;
  };
  const file = loaded.spec.doc.value as SpecFile;
  const tries = { next: 0 };
  const procedures = new Map<string, Declared<AstProc>>();
  for (const [name, d] of collect<ProcDecl>('procedures', 'procedure'))
    procedures.set(name, {
      doc: d.doc,
      pointer: d.pointer,
      value: {
        params: d.value.params ?? [],
        byRef: d.value.by_ref ?? [],
        locals: d.value.locals ?? {},
        body: normaliseBody(d.value.body, `${d.pointer}/body`, d.doc, ctx, tries),
      },
    });
  const threads = file.threads.map((t: ThreadDecl, k): Declared<AstThread> => {
    const pointer = `/threads/${k}`;
    const seq = t.seq === undefined ? [] : normaliseSeq(t.seq, `${pointer}/seq`, loaded.spec, ctx, tries);
    const body = normaliseBody(t.body ?? [], `${pointer}/body`, loaded.spec, ctx, tries);
    return { doc: loaded.spec, pointer, value: { name: t.name, count: t.count, locals: t.locals ?? {}, body: [...seq, ...body] } };
  });
  return {
    spec: loaded.spec,
    docs,
    file,
    locks: collect<LockDecl>('locks', 'lock'),
    vars: collect<VarDecl>('vars', 'shared var'),
    procedures,
    notifiers: collect<NotifierDecl>('notifiers', 'notifier chain'),
    works: collect<WorkDecl>('works', 'work item'),
    completions: collect<CompletionDecl>('completions', 'completion'),
    threads,
  };
}

const text = (src: number | string, pointer: string, at = 0): Text => ({ src, pointer, at });

function normaliseBody(body: Stmt[], pointer: string, doc: SourceDoc, ctx: Ctx, tries: { next: number }): AstStmt[] {
  return body.flatMap((s, k) => normaliseStmt(s, `${pointer}/${k}`, doc, ctx, tries));
}

function normaliseStmt(s: Stmt, p: string, doc: SourceDoc, ctx: Ctx, tries: { next: number }): AstStmt[] {
  const where = { pointer: p };
  const body = (b: Stmt[] | undefined, ptr: string) => normaliseBody(b ?? [], ptr, doc, ctx, tries);
  if ('lock' in s) {
    const t = `${s.read ? 'read_lock' : 'lock'} ${s.lock}${s.subclass ? ` (subclass ${s.subclass})` : ''}${s.nest_lock ? ` (nest_lock ${s.nest_lock})` : ''}`;
    return [
      {
        kind: 'lock',
        where,
        lock: text(s.lock, `${p}/lock`),
        read: !!s.read,
        subclass: s.subclass ?? 0,
        nest: s.nest_lock === undefined ? undefined : text(s.nest_lock, `${p}/nest_lock`),
        shorthand: false,
        text: t,
      },
    ];
  }
  if ('trylock' in s)
    return [
      {
        kind: 'trylock',
        where,
        lock: text(s.trylock, `${p}/trylock`),
        into: s.into === undefined ? undefined : { name: s.into, pointer: `${p}/into` },
        shorthand: false,
        text: `trylock ${s.trylock}`,
      },
    ];
  if ('unlock' in s) return [{ kind: 'unlock', where, lock: text(s.unlock, `${p}/unlock`), shorthand: false, text: `unlock ${s.unlock}` }];
  if ('seq' in s) return normaliseSeq(s.seq, `${p}/seq`, doc, ctx, tries);
  if ('assign' in s) return [{ kind: 'assign', where, target: text(s.assign, `${p}/assign`), value: text(s.value, `${p}/value`) }];
  if ('if' in s) return [{ kind: 'if', where, cond: text(s.if, `${p}/if`), then: body(s.then, `${p}/then`), else: body(s.else, `${p}/else`) }];
  if ('choose' in s) return [{ kind: 'choose', where, branches: s.choose.map((b, k) => body(b, `${p}/choose/${k}`)) }];
  if ('pick' in s) return [{ kind: 'pick', where, target: text(s.pick, `${p}/pick`), from: text(s.from, `${p}/from`) }];
  if ('for' in s)
    return [{ kind: 'for', where, variable: text(s.for, `${p}/for`), from: text(s.from, `${p}/from`), to: text(s.to, `${p}/to`), body: body(s.do, `${p}/do`) }];
  if ('foreach' in s) return [{ kind: 'foreach', where, variable: text(s.foreach, `${p}/foreach`), in: text(s.in, `${p}/in`), body: body(s.do, `${p}/do`) }];
  if ('call' in s)
    return [
      {
        kind: 'call',
        where,
        proc: s.call,
        args: (s.args ?? []).map((a, k) => text(a, `${p}/args/${k}`)),
        into: s.into === undefined ? undefined : text(s.into, `${p}/into`),
        hasArgs: s.args !== undefined,
      },
    ];
  if ('return' in s) return [{ kind: 'return', where, value: s.return === null ? undefined : text(s.return, `${p}/return`) }];
  if ('assert' in s) return [{ kind: 'assert', where, cond: text(s.assert, `${p}/assert`), message: s.message }];
  if ('rcu_read_lock' in s) return [{ kind: 'rcu_read_lock', where }];
  if ('rcu_read_unlock' in s) return [{ kind: 'rcu_read_unlock', where }];
  if ('synchronize_rcu' in s) return [{ kind: 'synchronize_rcu', where }];
  if ('srcu_read_lock' in s) return [{ kind: 'srcu_read_lock', where, srcu: text(s.srcu_read_lock, `${p}/srcu_read_lock`) }];
  if ('srcu_read_unlock' in s) return [{ kind: 'srcu_read_unlock', where, srcu: text(s.srcu_read_unlock, `${p}/srcu_read_unlock`) }];
  if ('synchronize_srcu' in s) return [{ kind: 'synchronize_srcu', where, srcu: text(s.synchronize_srcu, `${p}/synchronize_srcu`) }];
  if ('wait_until' in s) return [{ kind: 'wait_until', where, cond: text(s.wait_until, `${p}/wait_until`) }];
  if ('call_notifiers' in s) return [{ kind: 'call_notifiers', where, chain: s.call_notifiers, args: (s.args ?? []).map((a, k) => text(a, `${p}/args/${k}`)) }];
  if ('queue_work' in s) return [{ kind: 'queue_work', where, work: text(s.queue_work, `${p}/queue_work`) }];
  if ('flush_work' in s) return [{ kind: 'flush_work', where, work: text(s.flush_work, `${p}/flush_work`), into: intoOf(s.into, p) }];
  if ('cancel_work_sync' in s) return [{ kind: 'cancel_work_sync', where, work: text(s.cancel_work_sync, `${p}/cancel_work_sync`), into: intoOf(s.into, p) }];
  if ('wait_for_completion' in s) return [{ kind: 'wait_for_completion', where, completion: text(s.wait_for_completion, `${p}/wait_for_completion`) }];
  if ('complete' in s) return [{ kind: 'complete', where, completion: text(s.complete, `${p}/complete`) }];
  if ('complete_all' in s) return [{ kind: 'complete_all', where, completion: text(s.complete_all, `${p}/complete_all`) }];
  if ('reinit_completion' in s) return [{ kind: 'reinit_completion', where, completion: text(s.reinit_completion, `${p}/reinit_completion`) }];
  if ('assert_held' in s) return [{ kind: 'assert_held', where, lock: text(s.assert_held, `${p}/assert_held`) }];
  return assertNever(s); // the schema admits no other statement
}

const intoOf = (into: string | undefined, p: string) => (into === undefined ? undefined : { name: into, pointer: `${p}/into` });

/**
 * The shorthand as lock, trylock and unlock nodes. Each U(X) closes the latest open acquisition of X as
 * written; when that was a T(X), the U runs only if the trylock succeeded, even when X is held from before.
 */
function normaliseSeq(src: string, pointer: string, doc: SourceDoc, ctx: Ctx, tries: { next: number }): AstStmt[] {
  let steps;
  try {
    steps = parseShorthand(src);
  } catch (e) {
    if (!(e instanceof ShorthandError)) throw e;
    ctx.error('shorthandSyntax', ctx.posIn(doc, pointer, e.at), { reason: e.message }, pointer);
    return [];
  }
  const open = new Map<string, (number | undefined)[]>();
  return steps.map((st): AstStmt => {
    const key = st.lock.replace(/\s+/g, ''); // T(X) and its U(X) pair up by the lock as written
    const shown = `${st.op}(${key}${st.nest ? ',' + st.nest.replace(/\s+/g, '') : st.subclass !== undefined ? ',' + st.subclass : ''})`;
    const where = { pointer, at: st.at };
    const lock = text(st.lock, pointer, st.lockAt);
    const stack = open.get(key) ?? [];
    open.set(key, stack);
    switch (st.op) {
      case 'U':
        return { kind: 'unlock', where, lock, closesTry: stack.pop(), shorthand: true, text: shown };
      case 'T': {
        const tryId = tries.next++;
        stack.push(tryId);
        return { kind: 'trylock', where, lock, tryId, shorthand: true, text: shown };
      }
      case 'L':
      case 'R':
      case 'S':
      case 'N':
        stack.push(undefined);
        return {
          kind: 'lock',
          where,
          lock,
          read: st.op === 'R',
          subclass: st.subclass ?? 0,
          nest: st.op === 'N' ? text(st.nest!, pointer, st.nestAt) : undefined,
          shorthand: true,
          text: shown,
        };
    }
  });
}
