// What every compiler pass shares: the diagnostics it reports and how it turns a JSON pointer (and, for
// expression and shorthand strings, an offset inside the string) into a file:line:col.
import { CodeName } from '../../diagnostics/codes';
import { diag, Diagnostic, SourcePos } from '../../diagnostics/diagnostic';
import { nearestSpan, positionInString } from '../../spec/json-positions';
import { SourceDoc } from '../../spec/load';

/** A declaration and where it was written. */
export interface Declared<T> {
  value: T;
  doc: SourceDoc;
  pointer: string;
}

export class Ctx {
  diagnostics: Diagnostic[] = [];
  pos(doc: SourceDoc, pointer: string, key = false): SourcePos {
    const sp = (key && doc.doc.spans.get(`${pointer}#key`)) || nearestSpan(doc.doc, pointer);
    return { file: doc.display, line: sp.line, col: sp.col };
  }
  posIn(doc: SourceDoc, pointer: string, at: number): SourcePos {
    const p = positionInString(doc.doc, pointer, at);
    return { file: doc.display, ...p };
  }
  error(name: CodeName, pos: SourcePos, args: Record<string, string | number> = {}, pointer?: string) {
    this.diagnostics.push(diag(name, pos, args, pointer));
  }
  get failed(): boolean {
    return this.diagnostics.length > 0;
  }
  /** Runs f and drops the diagnostics it reports (for a second copy of something already checked once). */
  quietly<T>(f: () => T): T {
    const n = this.diagnostics.length;
    const r = f();
    this.diagnostics.length = n;
    return r;
  }
  /** The diagnostics, each once (an inlined procedure reports its errors at every call site). */
  distinct(): Diagnostic[] {
    const seen = new Set<string>();
    return this.diagnostics.filter((d) => {
      const k = `${d.pos.file}:${d.pos.line}:${d.pos.col}:${d.code}:${d.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}

export { assertNever } from '../../assert-never';
