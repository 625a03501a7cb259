import type { Status, StorageNotice } from '../shared/contract.js';
import type { BoxStatus } from '../shared/box.js';
import type { Storage } from './storage/storage.js';

/**
 * What IT staff and monitoring read of a running console (`getStatus`): its counts, every storage
 * notice since the start (also told to the shell's log), the boxes.
 */
export class ConsoleStatus {
  private readonly notices: StorageNotice[] = [];

  constructor(
    private readonly deviceId: string,
    private readonly storage: Storage,
    private readonly boxes: () => BoxStatus[],
  ) {}

  noticed(notice: StorageNotice): void {
    this.notices.push(notice);
  }

  read(): Status {
    return { deviceId: this.deviceId, ...this.storage.status(), storageNotices: [...this.notices], boxes: this.boxes() };
  }
}
