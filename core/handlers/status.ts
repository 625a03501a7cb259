import type { statusMethods } from '../../shared/contract.js';
import type { ConsoleStatus } from '../console-status.js';
import type { SyncPart } from '../sync.js';
import type { PartHandlers } from './part.js';

/** What IT staff and monitoring read: the console's counts, and where its answers stand on their way. */
export const statusHandlers = (status: ConsoleStatus, sync: SyncPart): PartHandlers<typeof statusMethods> => ({
  getStatus: () => status.read(),
  getSyncStatus: () => sync.status(),
});
