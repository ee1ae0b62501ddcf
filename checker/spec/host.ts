// The host: file access behind a small interface (as TypeScript's CompilerHost), so stages run in memory in tests.
import * as fs from 'fs';
import * as path from 'path';

/** Why a file was not read: each gets its own diagnostic. */
export type ReadFailure = 'missing' | 'directory' | 'not-regular' | 'too-large' | 'unreadable';

export interface ReadError {
  error: string;
  kind?: ReadFailure;
  /** for 'not-regular': what the path is ("a FIFO", "a character device", ...) */
  what?: string;
}

export interface Host {
  /** Returns the file's bytes, or an error string. */
  readFile(file: string): { bytes: Uint8Array } | ReadError;
  resolve(from: string, rel: string): string;
  /** Path as shown in diagnostics and reports (relative to the working directory). */
  display(file: string): string;
  /** The folder a spec's imports must stay in (see projectRoot()); a host without one lets imports go anywhere. */
  projectRoot?(spec: string): string;
  /** The file a path names once symlinks are followed (the path itself when it does not exist). */
  realPath?(file: string): string;
}

/** Specs and model files are at most this big (4 MiB: a spec of 100,000 statements is about 3.5 MiB and takes seconds to load, validate and compile): a bigger one is refused before it is read whole. */
export const MAX_SPEC_BYTES = 4 * 2 ** 20;

/** "a FIFO", "a character device", ...: what a path is when it is not a regular file. */
function whatItIs(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

type ReadResult = { bytes: Uint8Array } | ReadError;

function refuse(st: fs.Stats, maxBytes: number): ReadResult | undefined {
  if (st.isDirectory()) return { error: 'is a directory', kind: 'directory' };
  if (!st.isFile()) return { error: `is ${whatItIs(st)}, not a regular file`, kind: 'not-regular', what: whatItIs(st) };
  if (st.size > maxBytes) return { error: `is larger than ${maxBytes / 2 ** 20} MiB`, kind: 'too-large' };
  return undefined;
}

/**
 * Reads a regular file of at most maxBytes. A FIFO, a device or a socket is refused from its stat, without
 * opening it (opening a FIFO blocks until a writer comes; /dev/zero never ends). The file is then opened
 * non-blocking and checked again on the open descriptor, in case the path changed in between, and read with a
 * cap: a file that grows, or one of /proc that reports size 0, still stops at maxBytes + 1.
 */
export function readRegularFile(file: string, maxBytes = MAX_SPEC_BYTES): ReadResult {
  let fd: number | undefined;
  try {
    const before = refuse(fs.statSync(file), maxBytes);
    if (before) return before;
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
    const after = refuse(fs.fstatSync(fd), maxBytes);
    if (after) return after;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(2 ** 20, maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { error: `is larger than ${maxBytes / 2 ** 20} MiB`, kind: 'too-large' };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { error: 'no such file', kind: 'missing' };
    return { error: err.code ?? String(err.message), kind: 'unreadable' };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** What marks the root of a project: imports stay inside the nearest folder above a spec that holds one. */
export const PROJECT_MARKERS = ['package.json', '.git', 'lockcheck.json'];

/** The nearest folder at or above the spec's own that holds a PROJECT_MARKERS entry; else the spec's folder. */
export function projectRoot(spec: string): string {
  const own = path.dirname(path.resolve(spec));
  for (let dir = own; ; dir = path.dirname(dir)) {
    if (PROJECT_MARKERS.some((m) => fs.existsSync(path.join(dir, m)))) return dir;
    if (path.dirname(dir) === dir) return own;
  }
}

export const nodeHost: Host = {
  readFile: (file) => readRegularFile(file),
  resolve(from, rel) {
    return path.resolve(path.dirname(from), rel);
  },
  display(file) {
    const rel = path.relative(process.cwd(), file);
    if (rel === '') return '.'; // the working directory itself (given as a spec: a directory)
    return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
  },
  projectRoot,
  realPath(file) {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file); // missing: reading it reports that
    }
  },
};

/** An in-memory host for tests: paths are plain keys, imports resolve like POSIX paths. */
export function memoryHost(files: Record<string, string>): Host {
  return {
    readFile(file) {
      if (file in files) return { bytes: Buffer.from(files[file], 'utf8') };
      return { error: 'no such file', kind: 'missing' };
    },
    resolve(from, rel) {
      return path.posix.normalize(path.posix.join(path.posix.dirname(from), rel));
    },
    display(file) {
      return file;
    },
  };
}
