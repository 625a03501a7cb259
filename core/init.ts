import { v7 as uuidv7 } from 'uuid';
import type { StorageNotice } from '../shared/contract.js';
import { ensureWritableDataDir } from './data-dir.js';
import { acquireInstanceLock } from './storage/instance-lock.js';
import { Storage } from './storage/storage.js';

/**
 * `pult init`: the data directory made, its database created or migrated, and the console's device
 * id fixed — at installation (the package's postinst), so IT staff can register the console with
 * the collector before it first starts. The same id the console then uses (`meta.device_id`).
 */
export async function initDataDir(options: {
  dataDir: string;
  timeZone: string;
  onNotice: (notice: StorageNotice) => void;
}): Promise<string> {
  ensureWritableDataDir(options.dataDir);
  const lock = await acquireInstanceLock(options.dataDir);
  try {
    const storage = Storage.open({ ...options, sqlite: {}, wallMs: Date.now });
    try {
      return storage.meta.init('device_id', uuidv7());
    } finally {
      await storage.close();
    }
  } finally {
    await lock.release();
  }
}
