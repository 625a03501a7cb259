import type { ConsoleSetup, kioskMethods } from '../../shared/contract.js';
import type { PultConfig } from '../../shared/config.js';
import type { Session } from '../session.js';
import type { PartHandlers } from './part.js';

/** What the applicant screen needs to draw itself, from the config in force. */
export function consoleSetup(config: PultConfig, deviceId: string): ConsoleSetup {
  const { office, window, language, flow, timeouts, sound, supervisor, boxes } = config;
  const boxButtons = boxes.length > 0 ? Math.min(...boxes.map((box) => box.buttons)) : null;
  return { deviceId, office, window, language, flow, timeouts, sound, supervisorIdleMs: supervisor.idleMs, boxButtons };
}

/** The applicant's screen: its setup, the one session, a press into it. */
export const kioskHandlers = (session: Session, setup: () => ConsoleSetup): PartHandlers<typeof kioskMethods> => ({
  getConsole: () => setup(),
  getSession: () => session.view(),
  press: (press) => session.press(press),
});
