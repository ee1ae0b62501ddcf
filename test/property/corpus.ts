// The bundled specs and models as an in-memory file system, the seeds that mutations start from, and a host
// that serves raw bytes (so a spec can be invalid UTF-8, or 10 MB).
import * as fs from 'fs';
import * as path from 'path';
import { Host } from '../../checker/spec/host';

export const ROOT = path.join(__dirname, '..', '..');

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? walk(rel) : e.name.endsWith('.json') ? [rel] : [];
  });
}

/** Every JSON file under specs/ and models/, by path relative to the repository (POSIX separators). */
export const CORPUS: Record<string, string> = Object.fromEntries(
  [...walk('specs'), ...walk('models')].sort().map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]),
);

/** The specs that mutations start from: every bundled spec, the bad-spec fixtures and the schema itself. */
export const SEEDS = Object.keys(CORPUS).filter((f) => f.startsWith('specs/'));

/** Files as bytes or text; paths are keys, imports resolve like POSIX paths; anything else is missing. */
export function bytesHost(files: Record<string, string | Uint8Array>): Host {
  return {
    readFile(file) {
      if (!Object.prototype.hasOwnProperty.call(files, file)) return { error: 'no such file' };
      const f = files[file];
      return { bytes: typeof f === 'string' ? Buffer.from(f, 'utf8') : f };
    },
    resolve(from, rel) {
      return path.posix.normalize(path.posix.join(path.posix.dirname(from), rel));
    },
    display(file) {
      return file;
    },
  };
}

export function lineCount(text: string | Uint8Array): number {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  let n = 1;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
