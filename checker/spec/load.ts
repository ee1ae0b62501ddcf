// Stage "load": read a spec and the model files it imports, keeping source positions for every value.
import { diag, Diagnostic } from '../diagnostics/diagnostic';
import { Host } from './host';
import { JsonSyntaxError, parseJsonWithPositions, PositionedJson } from './json-positions';

export interface SourceDoc {
  /** absolute (or host) path */
  path: string;
  /** path as shown to people */
  display: string;
  role: 'spec' | 'model';
  doc: PositionedJson;
  text: string;
}

export interface Loaded {
  spec: SourceDoc;
  /** imported model files, in dependency order (a model before the files that import it) */
  models: SourceDoc[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readDoc(host: Host, file: string, role: SourceDoc['role'], diags: Diagnostic[]): SourceDoc | undefined {
  const display = host.display(file);
  const at = { file: display, line: 1, col: 1 };
  const r = host.readFile(file);
  if ('error' in r) {
    diags.push(r.isDirectory ? diag('notAFile', at, { path: display }) : diag('fileUnreadable', at, { path: display, reason: r.error }));
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(r.bytes);
  } catch {
    diags.push(diag('invalidUtf8', at));
    return undefined;
  }
  try {
    const doc = parseJsonWithPositions(text);
    if (typeof doc.value !== 'object' || doc.value === null || Array.isArray(doc.value)) {
      diags.push(diag('invalidJson', at, { reason: 'the top level must be an object' }));
      return undefined;
    }
    return { path: file, display, role, doc, text };
  } catch (e) {
    if (e instanceof JsonSyntaxError) {
      diags.push(diag('invalidJson', { file: display, line: e.line, col: e.col }, { reason: e.message }));
      return undefined;
    }
    throw e;
  }
}

export function load(host: Host, file: string): { loaded?: Loaded; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const spec = readDoc(host, file, 'spec', diagnostics);
  if (!spec) return { diagnostics };
  const models: SourceDoc[] = [];
  const done = new Set<string>();

  const visit = (from: SourceDoc, chain: string[]) => {
    const imports = (from.doc.value as { imports?: unknown }).imports;
    if (!Array.isArray(imports)) return;
    imports.forEach((rel, k) => {
      if (typeof rel !== 'string') return; // the schema reports it
      const sp = from.doc.spans.get(`/imports/${k}`)!;
      const at = { file: from.display, line: sp.line, col: sp.col };
      const target = host.resolve(from.path, rel);
      if (chain.includes(target) || target === spec.path) {
        diagnostics.push(diag('importCycle', at, { chain: [...chain, target].map((p) => host.display(p)).join(' -> ') }, `/imports/${k}`));
        return;
      }
      if (done.has(target)) return;
      const sub: Diagnostic[] = [];
      const m = readDoc(host, target, 'model', sub);
      if (!m) {
        const first = sub[0];
        // An unreadable import is reported where it is imported; a broken one where it is broken.
        if (first.code === 'LC1001' || first.code === 'LC1005')
          diagnostics.push(diag('importMissing', at, { path: rel, reason: first.message }, `/imports/${k}`));
        else diagnostics.push(...sub);
        done.add(target);
        return;
      }
      done.add(target);
      visit(m, [...chain, target]);
      models.push(m);
    });
  };
  visit(spec, [spec.path]);
  return { loaded: { spec, models }, diagnostics };
}
