import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A real, small disk: a tmpfs of `size` mounted on a fresh directory. Mounting needs root (CI runs
 * as root); elsewhere the tests that need a full disk say so and are skipped.
 */
export const canMountTmpfs = (): boolean => process.getuid?.() === 0 && process.platform === 'linux';

export interface Tmpfs {
  dir: string;
  /** Writes a filler file until the disk has no byte left; returns its path. */
  fill(): string;
  unmount(): void;
}

export function mountTmpfs(size: string): Tmpfs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`mount tmpfs on ${dir}: ${mounted.stderr}`);
  return {
    dir,
    fill() {
      const filler = path.join(dir, 'filler');
      const fd = fs.openSync(filler, 'w');
      try {
        for (let chunk = 64 * 1024; chunk >= 1; chunk = Math.floor(chunk / 2)) {
          const bytes = Buffer.alloc(chunk);
          for (;;) {
            try {
              fs.writeSync(fd, bytes);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        fs.closeSync(fd);
      }
      return filler;
    },
    unmount() {
      spawnSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
