import type { ConsoleSetup, kioskMethods } from '../../shared/contract.js';
import type { Session } from '../session.js';
import type { PartHandlers } from './part.js';

/** The applicant's screen: its setup, the one session, a press into it. */
export const kioskHandlers = (session: Session, setup: () => ConsoleSetup): PartHandlers<typeof kioskMethods> => ({
  getConsole: () => setup(),
  getSession: () => session.view(),
  press: (press) => session.press({ id: press.id, screenId: press.screenId, source: press.via, action: press.action }),
});
