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

/** Configuration-sized files: a config, a token. Anything larger is not one of ours. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_TOKEN_FILE_BYTES = 4 * 1024;

/**
 * Reads a small file whole, or refuses with a reason a person can act on: a path that names a
 * device, a pipe or a folder (`ln -s /dev/zero pult.config.json` would otherwise be read for
 * ever), or a file larger than `maxBytes`. Opened without blocking, so a FIFO cannot hang us.
 */
export function readSmallFile(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new Error(`${file} is not a regular file`);
    if (stats.size > maxBytes) throw new Error(`${file} is ${stats.size} bytes, more than the ${maxBytes} allowed`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length <= maxBytes; length += read)
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw new Error(`${file} grew past the ${maxBytes} bytes allowed while it was read`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
