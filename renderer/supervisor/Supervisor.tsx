// First: zod is told not to probe eval before any schema of this chunk is built (the CSP forbids it).
import '../zod-jitless.js';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PultApi } from '../../shared/contract.js';
import { Dashboard } from './Dashboard.js';
import { PinPad, type Opened } from './PinPad.js';
import { StaffLanguageContext, type StaffLanguage } from './text.js';
import './supervisor.css';

export interface SupervisorProps {
  api: PultApi;
  /** On the console (reached by the corner gesture; leaving returns to the applicant) or at /admin on the LAN. */
  where: 'console' | 'remote';
  /** Without a touch for this long the screen leaves (the PIN pad too). */
  idleMs: number;
  language: StaffLanguage;
  onLeave(): void;
}

/** Calls `onIdle` after `ms` without a touch, a click or a key anywhere on the page. */
function useIdle(ms: number, onIdle: () => void): void {
  const latest = useRef(onIdle);
  latest.current = onIdle;
  useEffect(() => {
    let timer = window.setTimeout(() => latest.current(), ms);
    const touched = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => latest.current(), ms);
    };
    const events = ['pointerdown', 'keydown', 'wheel', 'scroll'] as const;
    events.forEach((name) => window.addEventListener(name, touched, { capture: true, passive: true }));
    return () => {
      window.clearTimeout(timer);
      events.forEach((name) => window.removeEventListener(name, touched, { capture: true }));
    };
  }, [ms]);
}

/**
 * The supervisor screen: the PIN pad, then the dashboard of the PIN session. Leaving (the close
 * button, or `idleMs` without a touch) ends the session in the core, which takes ratings again;
 * on the console it goes back to the applicant screen, at /admin back to the PIN pad.
 */
export default function Supervisor(props: SupervisorProps) {
  const { api, where, onLeave } = props;
  const [language, setLanguage] = useState<StaffLanguage>(props.language);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [ended, setEnded] = useState(false);

  const leave = useCallback(() => {
    if (opened) void api.closeSupervisor({ token: opened.token });
    setOpened(null);
    if (where === 'console') onLeave();
  }, [api, opened, where, onLeave]);
  useIdle(opened?.idleMs ?? props.idleMs, leave);
  const open = (next: Opened) => {
    setEnded(false);
    setOpened(next);
  };

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return (
    <StaffLanguageContext.Provider value={language}>
      {opened ? (
        <Dashboard
          api={api}
          opened={opened}
          where={where}
          onLanguage={setLanguage}
          onClose={leave}
          onEnded={() => {
            setOpened(null);
            setEnded(true);
          }}
        />
      ) : (
        <PinPad api={api} onOpened={open} onCancel={where === 'console' ? onLeave : undefined} ended={ended} />
      )}
    </StaffLanguageContext.Provider>
  );
}
