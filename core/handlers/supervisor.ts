import type { supervisorMethods } from '../../shared/supervisor.js';
import type { SupervisorDesk } from '../supervisor/desk.js';
import type { PartHandlers } from './part.js';

/** The supervisor screen: every call but the PIN's carries the token of a live PIN session. */
export const supervisorHandlers = (desk: SupervisorDesk): PartHandlers<typeof supervisorMethods> => ({
  openSupervisor: (input, caller) => desk.openSupervisor(input.pin, caller),
  closeSupervisor: (input) => desk.closeSupervisor(input.token),
  getStats: (input) => desk.getStats(input.token, input.period),
  getOperators: (input) => desk.getOperators(input.token, input.period, input.criterion),
  getHealth: (input) => desk.getHealth(input.token),
  listExportFolders: (input) => desk.listExportFolders(input.token),
  exportPeriod: (input) => desk.exportPeriod(input),
  getSettings: (input) => desk.getSettings(input.token),
  changeSettings: (input) => desk.changeSettings(input.token, input.change),
});
