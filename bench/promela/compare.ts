// One differential comparison: lockcheck (in process) and SPIN (on the Promela twin) on one shorthand spec.
// They agree when lockcheck reports a `deadlock` finding exactly when pan reports an invalid end state.
import { checkFile } from '../../checker/pipeline';
import { memoryHost } from '../../checker/spec/host';
import { ShorthandLike, toPromela } from './shorthand-to-promela';
import { runSpin } from './spin';

export interface Comparison {
  lockcheck: 'deadlock' | 'ok';
  spin: 'deadlock' | 'ok';
  agree: boolean;
  lockcheckStates: number;
  spinStates: number;
  /** the finding kinds lockcheck gave, for reports */
  kinds: string[];
  promela: string;
}

export class CompareError extends Error {}

export async function compareWithSpin(spec: ShorthandLike, opts: { maxStates?: number } = {}): Promise<Comparison> {
  const r = checkFile(memoryHost({ 'spec.json': JSON.stringify(spec, null, 2) }), 'spec.json', { maxStates: opts.maxStates ?? 2_000_000 });
  if (r.verdict === 'error')
    throw new CompareError(`lockcheck rejects the spec: ${r.diagnostics.map((d) => `${d.pos.line}:${d.pos.col} ${d.message}`).join('; ')}`);
  if (r.verdict === 'incomplete') throw new CompareError(`lockcheck stopped early: ${r.incomplete}`);
  const twin = toPromela(spec);
  const s = await runSpin(twin.text, { depth: 2 * twin.steps + 100 });
  const lockcheck = r.findings.some((f) => f.kind === 'deadlock') ? 'deadlock' : 'ok';
  return {
    lockcheck,
    spin: s.verdict,
    agree: lockcheck === s.verdict,
    lockcheckStates: r.stats?.states ?? 0,
    spinStates: s.states,
    kinds: [...new Set(r.findings.map((f) => f.kind))].sort(),
    promela: twin.text,
  };
}
