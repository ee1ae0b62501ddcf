// The host: file access behind a small interface (as TypeScript's CompilerHost), so stages run in memory in tests.
import * as fs from 'fs';
import * as path from 'path';

export interface Host {
  /** Returns the file's bytes, or an error string. */
  readFile(file: string): { bytes: Uint8Array } | { error: string; isDirectory?: boolean };
  resolve(from: string, rel: string): string;
  /** Path as shown in diagnostics and reports (relative to the working directory). */
  display(file: string): string;
}

export const nodeHost: Host = {
  readFile(file) {
    try {
      const st = fs.statSync(file);
      if (st.isDirectory()) return { error: 'is a directory', isDirectory: true };
      return { bytes: fs.readFileSync(file) };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      return { error: err.code === 'ENOENT' ? 'no such file' : (err.code ?? String(err.message)) };
    }
  },
  resolve(from, rel) {
    return path.resolve(path.dirname(from), rel);
  },
  display(file) {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
  },
};

/** An in-memory host for tests: paths are plain keys, imports resolve like POSIX paths. */
export function memoryHost(files: Record<string, string>): Host {
  return {
    readFile(file) {
      if (file in files) return { bytes: Buffer.from(files[file], 'utf8') };
      return { error: 'no such file' };
    },
    resolve(from, rel) {
      return path.posix.normalize(path.posix.join(path.posix.dirname(from), rel));
    },
    display(file) {
      return file;
    },
  };
}
