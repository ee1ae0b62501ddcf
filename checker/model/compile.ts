// Stages "validate" (names and semantics) and "compile": a loaded, schema-valid spec and its imported models
// go through the compiler's passes, each a module of its own with a typed record in and out:
//   normalise (passes/normalise.ts: declarations gathered, bodies as a tagged AST, shorthand expanded)
//   -> resolve (passes/resolve.ts: params, lock classes and instances, cmp rules, vars, works, recursion)
//   -> layout  (passes/layout.ts: the shared part of the state vector)
//   -> lower   (passes/lower.ts: each thread's IR instructions with their access sets; calls inlined)
//   -> place   (passes/layout.ts: each thread's frame after the shared part)
//   -> liveness (passes/liveness.ts: the locals dead where a step ends, which the machine zeroes there)
//   -> link    (model/link.ts: the IR as the closures the explorer runs).
// The data IR between lower and link is what --dump ir prints. Every pass reports into one Ctx, and the
// passes go on after an error where they can, so that one run names every problem.
import { ClassProblem, inferValueKinds } from './passes/value-kinds';
import { Diagnostic } from '../diagnostics/diagnostic';
import { Loaded } from '../spec/load';
import { CompiledModel, IrModel, LockClass, T_HELD, ThreadProg, WorkEntry } from './ir';
import { assertNever } from '../assert-never';
import { children, Expr, parseExpr } from '../spec/expressions';
import { IrExpr } from './ir-expr';
import { link } from './link';
import { AstStmt } from './passes/ast';
import { Ctx } from './passes/context';
import { fits, layoutShared, LoweredThread, placeThreads } from './passes/layout';
import { arrayParam, lowerFinals, lowerThread, Lowering } from './passes/lower';
import { deadLocalsAt } from './passes/liveness';
import { normalise } from './passes/normalise';
import { resolveExpectations } from './passes/expectations';
import { LockPart, positiveInt, resolve, ResolveOptions } from './passes/resolve';

export type CompileOptions = ResolveOptions & {
  /** zero thread-local slots where they are dead (default on): states that differ only there are one state */
  deadVariables?: boolean;
  /** run the reference interpreter's closures instead of generated code (model/link.ts) */
  interpret?: boolean;
};
export { MAX_ORDERS } from './passes/resolve';
export { MAX_STATE_WIDTH } from './passes/layout';

/**
 * The data IR of a loaded spec (`ir`, expressions as plain objects: what --dump ir prints) and, linked from
 * it, the model the explorer runs (`model`); or the diagnostics that stop it.
 */
export function compile(loaded: Loaded, options: CompileOptions = {}): { model?: CompiledModel; ir?: IrModel; diagnostics: Diagnostic[] } {
  const ctx = new Ctx();
  const stopped = () => ({ diagnostics: ctx.distinct() });

  const normalised = normalise(loaded, ctx);
  const lockParts: LockPart[] = [];
  const sym = resolve(normalised, ctx, options, (parts) => {
    lockParts.push(...parts);
    return fits(
      ctx,
      parts,
      parts.reduce((n, p) => n + p.slots, 0),
    );
  });
  if (!sym) return stopped();
  const spec = loaded.spec;
  // how many copies of each thread, and so how many threads with the workers (flushed entries need it);
  // a bad count is reported where the thread is lowered, in the order it always was
  const countOf = (t: (typeof normalised.threads)[number]) =>
    t.value.count === undefined ? 1 : positiveInt(sym, ctx, t.value.count, spec, `${t.pointer}/count`, 'a thread count');
  const counts = normalised.threads.map((t) => ctx.quietly(() => countOf(t)));
  const workerCount = [...sym.works.values()].reduce((n, w) => n + (w.cls ? w.cls.instances.length : 1), 0);
  const threadCount = counts.reduce<number>((n, c) => n + (c ?? 0), 0) + workerCount;
  const layout = layoutShared(sym, lockParts, ctx, threadCount);
  if (!layout) return stopped();

  // --- lower: the spec's threads, a worker per work item, and a check of each procedure nobody calls ----------
  const lw: Lowering = { sym, layout, ctx, calledProcs: new Set(), instructions: 0, threads: threadCount };
  const lowered: LoweredThread[] = [];
  if (normalised.threads.length === 0) ctx.error('emptyThreads', ctx.pos(spec, '/threads'), {}, '/threads');
  const threadNames = new Set<string>();
  for (const decl of normalised.threads) {
    const { value: t, pointer } = decl;
    if (threadNames.has(t.name))
      ctx.error('duplicateName', ctx.pos(spec, `${pointer}/name`), { what: 'thread', name: t.name, where: 'give each thread its own name' }, `${pointer}/name`);
    threadNames.add(t.name);
    const count = countOf(decl);
    if (count === undefined) continue;
    const code = lowerThread(lw, t, pointer, spec);
    for (let i = 0; i < count; i++)
      lowered.push({
        name: t.count === undefined ? t.name : `${t.name}[${i}]`,
        decl: t.name,
        worker: false,
        code: code.code,
        initLocals: code.init(i),
        localNames: code.localNames,
        usesSync: code.usesSync,
      });
  }
  // A worker per work item (per instance for "per" items): idle until queued, then runs the procedure.
  const works: WorkEntry[] = [];
  const workOf = new Map<number, { entry: number; item: number }>();
  for (const w of layout.works.values()) {
    const targets = w.cls ? w.cls.instances.map((i) => sym.instances[i].short) : [undefined];
    const entry: WorkEntry = { name: w.name, items: targets.map((i) => (i === undefined ? w.name : `${w.name}[${i}]`)), workers: [] };
    if (w.flushed) entry.flushed = { entry: works.length, name: w.name, items: w.items, pending: w.pending, ...w.flushed, threads: threadCount };
    works.push(entry);
    targets.forEach((inst, k) => {
      const { pointer, doc } = w.decl;
      const call: AstStmt = {
        kind: 'call',
        where: { pointer },
        proc: w.decl.value.proc,
        args: inst === undefined ? [] : [{ src: inst, pointer: `${pointer}/args/0`, at: 0 }],
        hasArgs: true,
      };
      const run = w.flushed && { item: k, running: w.flushed.running + k, waits: w.flushed.waits };
      const code = lowerThread(lw, { name: w.name, locals: {}, body: [call] }, pointer, doc, { pending: w.pending + k, run });
      workOf.set(lowered.length, { entry: works.length - 1, item: k });
      entry.workers.push(lowered.length);
      lowered.push({
        name: inst === undefined ? `kworker/${w.name}` : `kworker/${w.name}[${inst}]`,
        decl: `kworker/${w.name}`,
        worker: true,
        code: code.code,
        initLocals: code.init(0),
        localNames: code.localNames,
        usesSync: code.usesSync,
      });
    });
  }
  // The spec's own procedures are checked even when no thread calls them (their code is dropped, their
  // diagnostics stay). Imported models are checked where they are used: their procedures may rely on
  // declarations that only the specs using them provide.
  // (Not after inlining passed a bound: the rest of that chain would say so again at every procedure.)
  for (const [name, d] of lw.overBound ? [] : normalised.procedures) {
    if (lw.calledProcs.has(name) || sym.recursive.has(name) || d.doc !== spec) continue;
    const params = d.value.params;
    const locals = Object.fromEntries(params.map((p) => [p, arrayParam(sym, name, p) ? { array: 1 } : 0]));
    const at = `${d.pointer}/body/0`;
    const call: AstStmt = {
      kind: 'call',
      where: { pointer: at },
      proc: name,
      args: params.map((p, k) => ({ src: p, pointer: `${at}/args/${k}`, at: 0 })),
      hasArgs: true,
    };
    lowerThread(lw, { name: `(check ${name})`, locals, body: [call] }, d.pointer, d.doc);
  }

  const expect = resolveExpectations(normalised.file.expect?.findings, sym.params, ctx, spec);
  const placed = placeThreads(layout, lowered, sym.maxHeld, ctx, spec);
  const finals = lowerFinals(lw);
  if (!placed || ctx.failed) return stopped();
  for (const [t, work] of workOf) placed.threads[t].work = work;
  if (options.deadVariables !== false) markDeadLocals(placed.threads, sym.maxHeld);
  const ir: IrModel = {
    name: normalised.file.name,
    file: spec.display,
    classes: sym.classes,
    instances: sym.instances,
    globals: layout.globals,
    threads: placed.threads,
    maxHeld: sym.maxHeld,
    width: placed.width,
    locksBase: layout.locksBase,
    expect,
    params: sym.params,
    sizeParams: sizeParams(
      [
        ...normalised.threads.map((t) => t.value.count),
        ...[...normalised.locks.values()].map((d) => (Array.isArray(d.value.instances) ? undefined : d.value.instances?.count)),
      ],
      sym.params,
    ),
    anyAttrs: sym.anyAttrs,
    works,
    finals,
  };
  for (const p of inferValueKinds(ir)) reportClassProblem(ctx, p, sym.classes);
  if (ctx.failed) return stopped();
  return { ir, model: link(ir, { interpret: options.interpret }), diagnostics: [] };
}

/** Each thread's dead locals per instruction, computed once per code (copies of a thread share it). */
function markDeadLocals(threads: ThreadProg<IrExpr>[], maxHeld: number) {
  const first = T_HELD + maxHeld;
  const byCode = new Map<unknown, ThreadProg<IrExpr>[]>();
  for (const t of threads) byCode.set(t.code, [...(byCode.get(t.code) ?? []), t]);
  for (const copies of byCode.values()) {
    const t = copies[0];
    const count = t.snapOffset >= 0 ? t.snapOffset - first : t.initLocals.length;
    const nonzero = new Set<number>();
    for (const c of copies) c.initLocals.forEach((v, k) => v !== 0 && k < count && nonzero.add(k));
    const dead = deadLocalsAt(t.code, { first, count }, [...nonzero]);
    for (const c of copies) c.deadLocals = dead;
  }
}

/** An instance whose class cannot be told where it matters, or an array indexed by another class's instance. */
function reportClassProblem(ctx: Ctx, p: ClassProblem, classes: LockClass[]) {
  switch (p.kind) {
    case 'undecided':
      return ctx.error('classUndecided', p.src, {
        what: p.what,
        operand: p.operand,
        need: p.need === 'attr' ? 'an attribute' : 'cmp()',
        fix:
          p.need === 'attr'
            ? 'lock it as CLASS[x] or pick it from all(CLASS) somewhere, or give the attribute to one class only'
            : 'lock an operand as CLASS[x] or pick it from all(CLASS) somewhere',
      });
    case 'wrongIndex':
      return ctx.error('indexWrongClass', p.src, {
        name: p.array,
        expected: classes[p.expected].name,
        index: p.index,
        actual: `an instance of ${classes[p.actual].name}`,
      });
    default:
      return assertNever(p);
  }
}

/** The params the given counts name (a count is a number or an expression over params), in declaration order. */
function sizeParams(counts: (number | string | undefined)[], params: Record<string, number>): string[] {
  const named = new Set<string>();
  const visit = (e: Expr): void => {
    if (e.t === 'name') named.add(e.name);
    for (const c of children(e)) visit(c);
  };
  // (the counts parsed when they were resolved: a model is built only when they did)
  for (const c of counts) if (c !== undefined) visit(parseExpr(c));
  return Object.keys(params).filter((p) => named.has(p));
}
