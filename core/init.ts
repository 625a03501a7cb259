import type { StorageNotice } from '../shared/contract.js';
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
  const storage = await Storage.open({ ...options, sqlite: {}, wallMs: Date.now });
  try {
    return storage.deviceId();
  } finally {
    await storage.close();
  }
}
