import type { Status, StorageNotice } from '../shared/contract.js';
import type { BoxStatus } from '../shared/box.js';
import type { Heartbeat } from '../shared/wire.js';
import type { Storage } from './storage/storage.js';

export interface StatusSources {
  deviceId: () => string;
  counts: () => ReturnType<Storage['status']>;
  boxes: () => BoxStatus[];
  /** A storage notice, as it happens: the shell logs it for IT staff. */
  told?: (notice: StorageNotice) => void;
  /** The status changed (a notice): screens that show it are sent it. */
  changed: () => void;
}

/**
 * What IT staff and monitoring read of a running console (`getStatus`): its counts, every storage
 * notice since the start, the boxes. Notices found while storage opened are held until it is open.
 */
export class ConsoleStatus {
  private readonly notices: StorageNotice[] = [];
  private open = false;

  constructor(private readonly sources: StatusSources) {}

  noticed(notice: StorageNotice): void {
    this.notices.push(notice);
    if (!this.open) return;
    this.sources.told?.(notice);
    this.changed();
  }

  /** Something it reports changed (an answer stored, a box, a notice): screens that show it are sent it. */
  changed(): void {
    this.sources.changed();
  }

  /** Storage is open: the notices held so far are told now. */
  opened(): void {
    this.open = true;
    this.notices.forEach((notice) => this.sources.told?.(notice));
  }

  /** The boxes as the heartbeat tells the fleet of them. */
  fleetBoxes(): NonNullable<Heartbeat['boxes']> {
    return this.sources.boxes().map(({ id, connected, lastPressAtMs, invalidFrames }) => ({
      id,
      connected,
      lastPressAt: lastPressAtMs,
      invalidFrames,
    }));
  }

  read(): Status {
    const { sources } = this;
    return { deviceId: sources.deviceId(), ...sources.counts(), storageNotices: [...this.notices], boxes: sources.boxes() };
  }
}
