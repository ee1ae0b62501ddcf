// The spec and model source lines an HTML report quotes beside each step. The reporter stays a pure function of
// the result and these lines: the CLI reads the files (through a reader it passes in), tests pass them in memory.
import { CheckResult, Trace } from '../../checker/result';

/** file (as the result names it) -> its lines, 0-based */
export type Sources = Record<string, string[]>;

/** Every file a result points into: findings' locations and call sites, trace steps, blocked threads. */
export function referencedFiles(result: CheckResult): string[] {
  const files = new Set<string>();
  const trace = (t?: Trace) => {
    for (const s of t?.steps ?? []) files.add(s.src.file);
    for (const b of t?.blocked ?? []) files.add(b.src.file);
  };
  for (const r of result.results) {
    files.add(r.file);
    for (const f of r.findings) {
      if (f.location) files.add(f.location.file);
      if (f.calledFrom) files.add(f.calledFrom.file);
      trace(f.trace);
      for (const c of f.chains ?? []) trace(c.trace);
    }
  }
  return [...files].sort();
}

/** Reads the referenced files with `read` (undefined when a file cannot be read: its lines are then left out). */
export function collectSources(result: CheckResult, read: (file: string) => string | undefined): Sources {
  const out: Sources = {};
  for (const f of referencedFiles(result)) {
    const text = read(f);
    if (text !== undefined) out[f] = text.replace(/\r\n?/g, '\n').split('\n');
  }
  return out;
}

/** One source line, or undefined. */
export function sourceLine(sources: Sources, file: string, line: number): string | undefined {
  return sources[file]?.[line - 1];
}
