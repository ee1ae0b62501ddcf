// Stage "load": read a spec and the model files it imports, keeping source positions for every value.
// What it reads is untrusted: only regular files under a size limit (host.ts), imports only inside the spec's
// project root or a folder the user allows, and no diagnostic quotes a file that is not valid JSON.
import * as path from 'path';
import { diag, Diagnostic, SourcePos } from '../diagnostics/diagnostic';
import { Host, MAX_SPEC_BYTES, ReadError } from './host';
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

export interface LoadOptions {
  /** folders (absolute paths) that imports may also come from, besides the spec's project root (--allow-import) */
  allowImport?: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The diagnostic for a file that was not read; `shown` names it (the display path, or the import as written). */
function readFailure(r: ReadError, shown: string, at: SourcePos, pointer?: string): Diagnostic {
  switch (r.kind) {
    case 'directory':
      return diag('notAFile', at, { path: shown }, pointer);
    case 'not-regular':
      return diag('notRegularFile', at, { path: shown, what: r.what ?? 'not a regular file' }, pointer);
    case 'too-large':
      return diag('fileTooLarge', at, { path: shown, max: MAX_SPEC_BYTES / 2 ** 20 }, pointer);
    default:
      return diag('fileUnreadable', at, { path: shown, reason: r.error }, pointer);
  }
}

function readDoc(host: Host, file: string, role: SourceDoc['role'], diags: Diagnostic[]): SourceDoc | undefined {
  const r = host.readFile(file);
  if ('error' in r) {
    const display = host.display(file);
    diags.push(readFailure(r, display, { file: display, line: 1, col: 1 }));
    return undefined;
  }
  return parseDoc(host, file, role, r.bytes, diags);
}

/** The file's bytes as a JSON object with positions. Its errors never quote the text: it may not be a spec at all. */
function parseDoc(host: Host, file: string, role: SourceDoc['role'], bytes: Uint8Array, diags: Diagnostic[]): SourceDoc | undefined {
  const display = host.display(file);
  const at = { file: display, line: 1, col: 1 };
  // the node host refuses a big file before reading it; any host's bytes are held to the same limit here
  if (bytes.length > MAX_SPEC_BYTES) {
    diags.push(diag('fileTooLarge', at, { path: display, max: MAX_SPEC_BYTES / 2 ** 20 }));
    return undefined;
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
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

/** Whether `file` lies in `dir` (both canonical absolute paths). */
function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * Where a spec's imports may come from: its project root and the allowed folders, symlinks resolved (so that a
 * link inside the root cannot lead outside it). A host without a project root puts no limit on imports.
 */
function importPolicy(host: Host, spec: string, options: LoadOptions) {
  if (!host.projectRoot) return undefined;
  const real = (f: string) => host.realPath?.(f) ?? f;
  const root = real(host.projectRoot(spec));
  const allowed = [root, ...(options.allowImport ?? []).map(real)];
  return { root, allows: (target: string) => allowed.some((dir) => inside(real(target), dir)) };
}

export function load(host: Host, file: string, options: LoadOptions = {}): { loaded?: Loaded; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const spec = readDoc(host, file, 'spec', diagnostics);
  if (!spec) return { diagnostics };
  const policy = importPolicy(host, file, options);
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
      if (policy && !policy.allows(target)) {
        diagnostics.push(diag('importOutsideRoot', at, { path: rel, root: host.display(policy.root) }, `/imports/${k}`));
        return;
      }
      if (chain.includes(target) || target === spec.path) {
        diagnostics.push(diag('importCycle', at, { chain: [...chain, target].map((p) => host.display(p)).join(' -> ') }, `/imports/${k}`));
        return;
      }
      if (done.has(target)) return;
      const r = host.readFile(target);
      done.add(target);
      // An import that cannot be read is reported where it is imported; a broken one where it is broken.
      if ('error' in r) {
        const display = host.display(target);
        const why = readFailure(r, display, { file: display, line: 1, col: 1 });
        diagnostics.push(
          why.code === 'LC1001' || why.code === 'LC1005'
            ? diag('importMissing', at, { path: rel, reason: why.message }, `/imports/${k}`)
            : readFailure(r, rel, at, `/imports/${k}`),
        );
        return;
      }
      const m = parseDoc(host, target, 'model', r.bytes, diagnostics);
      if (!m) return;
      visit(m, [...chain, target]);
      models.push(m);
    });
  };
  visit(spec, [spec.path]);
  return { loaded: { spec, models }, diagnostics };
}
