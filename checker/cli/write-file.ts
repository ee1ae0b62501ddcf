// Writing the CLI's output files (--report, --output) whole or not at all: the bytes go to a temporary file
// beside the target, are flushed, and the temporary file is renamed over the target (atomic on POSIX). A
// reader never sees a partial report; a failure leaves the old file, if any, as it was.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export function writeFileAtomic(file: string, data: string): void {
  const target = path.resolve(file);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
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
