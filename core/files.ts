import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` to `file` by renaming a finished, flushed temporary file over it: a power cut or
 * a pulled USB stick leaves the old file or the new one, never half of one.
 */
export function replaceFile(file: string, data: string, mode = 0o644): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(temporary, 'w', mode);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
