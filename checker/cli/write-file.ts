// Writing the CLI's output files (--report, --output). What a path names decides how:
// - a regular file, or a path where nothing is yet: the bytes go to a temporary file beside the target, are
//   flushed, and the temporary file is renamed over the target (atomic on POSIX). A reader never sees a partial
//   report; a failure leaves the old file, if any, as it was.
// - `-`, /dev/stdout, /dev/stderr: the process's own stream, whatever it is (a terminal, a pipe, a file the shell
//   redirected to: following /dev/stdout to that file and renaming over it would cut the shell's redirection).
// - a character device (/dev/null, a terminal): opened and written as a stream, never replaced (as root, a
//   rename would put a regular file in place of /dev/null).
// - a symlink: resolved, and its target written by these same rules; the link stays a link.
// - anything else (a directory, a FIFO, a socket, a block device): refused. A FIFO could block the run forever.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export type OutputTarget =
  | { kind: 'stdout' }
  | { kind: 'stderr' }
  | { kind: 'stream'; path: string }
  | { kind: 'file'; path: string; mode?: number }
  | { kind: 'refused'; reason: string };

const STDOUT = new Set(['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);
const STDERR = new Set(['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2']);

/** "a directory", "a FIFO", ...: what a path is that no output may go to. */
function refusedKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** A dangling symlink's final target (a path where nothing is): readlink hop by hop, as the kernel would. */
function danglingTarget(link: string): string {
  let p = link;
  for (let hops = 0; hops < 40; hops++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return p;
    }
    if (!st.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), fs.readlinkSync(p));
  }
  throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
}

/** Where an output named `file` goes, or why it may not go there (nothing is written or created). */
export function outputTarget(file: string): OutputTarget {
  if (file === '-') return { kind: 'stdout' };
  const abs = path.resolve(file);
  if (STDOUT.has(abs)) return { kind: 'stdout' };
  if (STDERR.has(abs)) return { kind: 'stderr' };
  try {
    let target = abs;
    let st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      try {
        target = fs.realpathSync(abs);
        st = fs.statSync(target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        target = danglingTarget(abs); // the link's target is created, through the link
        st = undefined;
      }
    }
    if (st === undefined && !fs.statSync(path.dirname(target), { throwIfNoEntry: false })?.isDirectory())
      return { kind: 'refused', reason: `there is no folder ${path.dirname(target)}` };
    if (st === undefined || st.isFile()) return { kind: 'file', path: target, mode: st ? st.mode & 0o777 : undefined };
    if (st.isCharacterDevice()) return { kind: 'stream', path: target };
    return { kind: 'refused', reason: `it is ${refusedKind(st)}` };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { kind: 'refused', reason: err.code ?? err.message };
  }
}

/** `keepMode`: the permissions of the file being replaced, which it keeps (a new file gets 0644 less the umask). */
export function writeFileAtomic(file: string, data: string, keepMode?: number): void {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    if (keepMode !== undefined) fs.fchmodSync(fd, keepMode);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes to a character device as a stream: no O_CREAT (it exists), checked again once open. Blocking writes:
 * a terminal that is slow to take a big report must not fail with EAGAIN.
 */
function writeStream(file: string, data: string): void {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) throw new Error('it is no longer a character device');
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes one output by the rules above; throws with the reason when it may not or cannot. */
export function writeOutput(file: string, data: string, io: { out: (s: string) => void; err: (s: string) => void }): void {
  const t = outputTarget(file);
  switch (t.kind) {
    case 'stdout':
      return io.out(data);
    case 'stderr':
      return io.err(data);
    case 'stream':
      return writeStream(t.path, data);
    case 'file':
      return writeFileAtomic(t.path, data, t.mode);
    case 'refused':
      throw new Error(t.reason);
  }
}
