// The pipeline: load -> validate -> compile -> explore -> analyse, one spec at a time. Pure apart from the
// host (files) and the clock; never prints, never exits. An unexpected exception becomes one LC9001 diagnostic.
import { diag, Diagnostic } from './diagnostics/diagnostic';
import { analyse } from './analyse/findings';
import { matchExpectation } from './analyse/expect';
import { explore, ExploreOptions } from './explore/explore';
import { compile, CompileOptions } from './model/compile';
import { SpecResult } from './result';
import { Host } from './spec/host';
import { load } from './spec/load';
import { validateSchema } from './spec/schema';
import { CompiledModel } from './model/ir';

export interface CheckOptions extends CompileOptions, ExploreOptions {}

export function errorResult(file: string, diagnostics: Diagnostic[], name?: string): SpecResult {
  return { file, name, verdict: 'error', findings: [], matches: false, unexpected: [], missing: [], diagnostics };
}

/** load + validate + compile: the front end, for tests and for --dump. */
export function frontEnd(host: Host, file: string, options: CompileOptions = {}): { model?: CompiledModel; diagnostics: Diagnostic[] } {
  const { loaded, diagnostics } = load(host, file);
  if (!loaded) return { diagnostics };
  const schemaDiags = [...loaded.models, loaded.spec].flatMap(validateSchema);
  const all = [...diagnostics, ...schemaDiags];
  if (all.length > 0) return { diagnostics: all };
  return compile(loaded, options);
}

export function checkFile(host: Host, file: string, options: CheckOptions = {}): SpecResult {
  const display = host.display(file);
  try {
    const { model, diagnostics } = frontEnd(host, file, options);
    if (!model) return errorResult(display, diagnostics);
    const x = explore(model, options);
    const findings = analyse(model, x);
    const complete = x.stopped === undefined;
    const match = matchExpectation(findings, model.expect, complete);
    const seconds = Math.round(x.seconds * 1000) / 1000;
    const stats = {
      states: x.store.count,
      transitions: x.transitions,
      depth: x.depth,
      seconds,
      statesPerSecond: x.seconds > 0 ? Math.round(x.store.count / x.seconds) : x.store.count,
      bytesPerState: Math.round(x.store.bytesPerState() * 10) / 10,
      threads: model.threads.length,
      stateSlots: model.width,
      deadlockStates: x.deadlockStates,
    };
    const at = { file: display, line: 1, col: 1 };
    const incomplete =
      x.stopped === 'max-states'
        ? diag('maxStates', at, { states: x.store.count }).message
        : x.stopped === 'max-seconds'
          ? diag('maxSeconds', at, { seconds }).message
          : x.stopped === 'interrupted'
            ? diag('interrupted', at, { states: x.store.count }).message
            : undefined;
    const verdict = !complete ? 'incomplete' : findings.length > 0 ? 'findings' : 'ok';
    return { file: display, name: model.name, verdict, findings, expected: model.expect, ...match, stats, incomplete, diagnostics: [] };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return errorResult(display, [diag('internal', { file: display, line: 1, col: 1 }, { reason })]);
  }
}
