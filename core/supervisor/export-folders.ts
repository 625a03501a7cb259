import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExportFolder } from '../../shared/supervisor.js';

/** The data directory's own export folder: always offered. */
export const exportsDirOf = (dataDir: string): string => path.join(dataDir, 'exports');

const subfolders = (dir: string): string[] => {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(dir, entry.name));
  } catch {
    return [];
  }
};

/**
 * Mounted USB sticks and cards: Linux desktops mount them under /media/<user>/<label> or
 * /run/media/<user>/<label>; Windows gives them a drive letter (C: is the system's, not offered).
 */
function removableMounts(platform: NodeJS.Platform): string[] {
  if (platform === 'win32')
    return 'DEFGHIJKLMNOPQRSTUVWXYZ'
      .split('')
      .map((letter) => `${letter}:\\`)
      .filter((drive) => fs.existsSync(drive));
  const user = os.userInfo().username;
  return [
    ...subfolders(path.join('/media', user)),
    ...subfolders(path.join('/run/media', user)),
    ...subfolders('/media').filter((dir) => path.basename(dir) !== user),
  ];
}

const isFolder = (dir: string): boolean => fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;

/**
 * The folders an export may be written to; the supervisor picks one, nothing else is accepted.
 * A configured folder is offered while it exists (it may be on a stick that is not plugged in).
 */
export function exportFolders(dataDir: string, configured: readonly string[], platform = process.platform): ExportFolder[] {
  return [
    { path: exportsDirOf(dataDir), kind: 'data' as const },
    ...configured
      .map((folder) => path.resolve(folder))
      .filter(isFolder)
      .map((folder) => ({ path: folder, kind: 'configured' as const })),
    ...removableMounts(platform).map((folder) => ({ path: folder, kind: 'removable' as const })),
  ];
}
