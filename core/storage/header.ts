import fs from 'node:fs';

/**
 * The first 100 bytes of an SQLite file (https://sqlite.org/fileformat2.html#the_database_header):
 * what Pult checks after every write to notice a file damaged in place, and what salvage writes
 * back when only the header of a damaged file is broken.
 */
export const HEADER_BYTES = 100;
const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** Page sizes SQLite allows, the default (4096, every Pult database) first. */
const PAGE_SIZES = [4096, 1024, 2048, 8192, 16384, 32768, 65536, 512];

/**
 * What is wrong with the header of an open database, or null. Only the fields SQLite never
 * changes in a file's life are checked (magic, page size, format versions, reserved space): the
 * rest (counters, sizes, the encoding of a file not yet checkpointed) change legitimately. A file
 * still shorter than a header is a fresh WAL database whose pages are all in its WAL — a file that
 * had a header and lost it is caught by its size shrinking.
 */
export function headerProblem(header: Buffer, pageSize: number): string | null {
  if (header.length < HEADER_BYTES) return null;
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) return 'the database header is overwritten (no "SQLite format 3")';
  const size = header.readUInt16BE(16);
  if ((size === 1 ? 65536 : size) !== pageSize) return `the database header names page size ${size}, not ${pageSize}`;
  if (![1, 2].includes(header[18]!) || ![1, 2].includes(header[19]!)) return 'the database header names an unknown file format';
  if (header[20] !== 0 || header[21] !== 64 || header[22] !== 32 || header[23] !== 32)
    return 'the database header names page layouts this file never had';
  return null;
}

/**
 * A header for a file of `fileBytes` in pages of `pageSize`, UTF-8, no freelist, schema format 4:
 * what every Pult database has. `wal` marks it a WAL database, so that a WAL copied beside it is read.
 * The schema itself is not in the header: it follows it on page 1 (sqlite_master), where an
 * overwritten header leaves it intact.
 */
export function freshHeader(pageSize: number, fileBytes: number, wal: boolean): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt16BE(pageSize === 65536 ? 1 : pageSize, 16);
  header[18] = header[19] = wal ? 2 : 1;
  header[20] = 0; // reserved bytes per page
  header[21] = 64;
  header[22] = 32;
  header[23] = 32;
  header.writeUInt32BE(1, 24); // change counter
  header.writeUInt32BE(Math.floor(fileBytes / pageSize), 28); // pages (valid: 92 equals 24)
  header.writeUInt32BE(1, 40); // schema cookie
  header.writeUInt32BE(4, 44); // schema format
  header.writeUInt32BE(1, 56); // UTF-8
  header.writeUInt32BE(1, 92); // version-valid-for = change counter
  header.writeUInt32BE(3_045_000, 96);
  return header;
}

/** The header of an open file as it is on disk now (fewer bytes when the file is shorter). */
export function readHeader(fd: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  const read = fs.readSync(fd, header, 0, HEADER_BYTES, 0);
  return header.subarray(0, read);
}

/**
 * One copy of a damaged file (beside it, `.header-rebuilt`) with its header rebuilt, rewritten for
 * each page size SQLite allows, the likely one first: the caller tries to read each and stops at
 * the first that reads. The damaged file itself is never changed.
 */
export function* rebuiltHeaderCopies(file: string): Generator<string> {
  const bytes = fs.statSync(file).size;
  const copy = `${file}.header-rebuilt`;
  const wal = fs.existsSync(`${file}-wal`);
  for (const pageSize of PAGE_SIZES) {
    if (bytes < pageSize || bytes % pageSize !== 0) continue;
    fs.copyFileSync(file, copy);
    if (wal) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    else fs.rmSync(`${copy}-wal`, { force: true });
    fs.rmSync(`${copy}-shm`, { force: true });
    const fd = fs.openSync(copy, 'r+');
    try {
      fs.writeSync(fd, freshHeader(pageSize, bytes, wal), 0, HEADER_BYTES, 0);
    } finally {
      fs.closeSync(fd);
    }
    yield copy;
  }
}
