import { v7 as uuidv7 } from 'uuid';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ConsoleSetup, PultApi } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import type { LinkWatch } from './api/http-client.js';
import type { Action, Press, PressReply, SessionView } from '../shared/session.js';
import { isNewerView } from '../shared/vocabulary.js';

/** How long a press may take before the applicant is told it did not work and may tap again. */
export const PRESS_TIMEOUT_MS = 8_000;
/** A press whose request never reached the core is sent again (same id: applied once) this often. */
const RESEND_AFTER_MS = 400;

/** How long a press may wait for its reply before «Сохраняем…» appears: shorter waits show no flicker. */
export const SAVING_NOTICE_AFTER_MS = 300;

/** How often a console that cannot reach its core asks again. */
export const RETRY_MS = 1_000;

export interface ConsoleStoreState {
  /**
   * `starting`: the core has not answered yet (it is starting); `restarting`: the link to it
   * dropped after it had answered (a crash, an update, systemd restarting it). Both are asked
   * again by themselves: the screen comes back without anyone reloading it. `unavailable`: the
   * core answered with an error of its own.
   */
  phase: 'loading' | 'ready' | 'starting' | 'restarting' | 'unavailable';
  setup: ConsoleSetup | null;
  /** The core's applicant session, as last published: the screen draws exactly this. */
  session: SessionView | null;
  /**
   * True while a press has waited SAVING_NOTICE_AFTER_MS or longer for its reply («Сохраняем…»).
   * Set by a timer, never by the press itself: a press changes nothing on the screen until the
   * core answers, so its reply is drawn in the first frame after the touch (renderer/touch-taps.ts).
   */
  saving: boolean;
  /** The screen on which the last press failed: the applicant is asked to tap again until it changes. */
  failedOn: string | null;
  init(): Promise<void>;
  press(source: Press['source'], action: Action): Promise<void>;
}

export type ConsoleStore = StoreApi<ConsoleStoreState>;

const timedOut = (method: string): Result<never> => ({
  ok: false,
  error: { code: 'unavailable', message: `${method}: no answer within ${PRESS_TIMEOUT_MS} ms` },
});

/** Resolves with the call's result, or with a typed `unavailable` error once `ms` have passed. */
function withTimeout<T>(call: Promise<Result<T>>, ms: number, method: string): Promise<Result<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Result<T>>((resolve) => (timer = setTimeout(() => resolve(timedOut(method)), ms)));
  return Promise.race([call.catch(() => timedOut(method)), timeout]).finally(() => clearTimeout(timer));
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The applicant screen's state: a VIEW of the core's session plus "is my press through yet". No
 * rule that decides what is stored lives here. Nothing depends on secure-context-only browser APIs:
 * the console is also opened over plain HTTP on the office LAN, where `crypto.randomUUID` does not
 * exist (uuid uses `getRandomValues`, which does).
 */
export function createConsoleStore(api: PultApi, now: () => number = Date.now, link?: LinkWatch): ConsoleStore {
  let pending = 0;
  let savingTimer: ReturnType<typeof setTimeout> | undefined;
  let loading = false;
  let subscribed = false;

  return createStore<ConsoleStoreState>()((set, get) => {
    /** Keeps the newest view; a new screen takes the failure message of the last one away. */
    const show = (next: SessionView) => {
      const { session, failedOn } = get();
      if (!isNewerView(session, next)) return;
      set({ session: next, failedOn: failedOn === next.screenId ? failedOn : null });
    };

    /**
     * Sends the press until it gets a reply or the time is up. A request that never reached the
     * core is sent again with the same id; a reply that was lost after the core applied it is
     * answered `replayed` the second time, so nothing is stored twice.
     */
    const send = async (press: Press): Promise<Result<PressReply>> => {
      const deadline = now() + PRESS_TIMEOUT_MS;
      for (;;) {
        const result = await withTimeout(api.press(press), Math.max(0, deadline - now()), 'press');
        const retry = !result.ok && result.error.code === 'unavailable' && deadline - now() > RESEND_AFTER_MS;
        if (!retry) return result;
        await pause(RESEND_AFTER_MS);
      }
    };

    /** Reads the settings and the session until the core answers both (or fails on its own). */
    const load = async () => {
      if (loading) return;
      loading = true;
      try {
        for (;;) {
          const [setup, session] = await Promise.all([
            withTimeout(api.getConsole({}), PRESS_TIMEOUT_MS, 'getConsole'),
            withTimeout(api.getSession({}), PRESS_TIMEOUT_MS, 'getSession'),
          ]);
          if (setup.ok && session.ok) {
            set({ phase: 'ready', setup: setup.value });
            show(session.value);
            subscribe();
            return;
          }
          const unreached = [setup, session].some((reply) => !reply.ok && reply.error.code === 'unavailable');
          if (!unreached) return set({ phase: 'unavailable' });
          if (get().phase !== 'restarting') set({ phase: 'starting' });
          await pause(RETRY_MS);
        }
      } finally {
        loading = false;
      }
    };

    const subscribe = () => {
      if (subscribed) return;
      subscribed = true;
      api.on('session', show);
      // The supervisor changed a setting (window label, languages, questions): redraw with it.
      api.on('console', (next) => set({ setup: next }));
    };

    return {
      phase: 'loading',
      setup: null,
      session: null,
      saving: false,
      failedOn: null,

      async init() {
        link?.((up) => {
          if (!up && get().phase === 'ready') set({ phase: 'restarting' });
          // A core that came back may be a new one: its settings and session are read again.
          if (up && get().phase === 'restarting') void load();
        });
        await load();
      },

      async press(source, action) {
        const { session } = get();
        if (!session) return;
        pending++;
        if (pending === 1) savingTimer = setTimeout(() => set({ saving: true }), SAVING_NOTICE_AFTER_MS);
        let result: Result<PressReply>;
        try {
          result = await send({ id: uuidv7(), screenId: session.screenId, source, action });
        } finally {
          pending--;
          if (pending === 0) {
            clearTimeout(savingTimer);
            if (get().saving) set({ saving: false });
          }
        }
        if (result.ok) {
          show(result.value.session);
          if (get().failedOn !== null) set({ failedOn: null });
        } else set({ failedOn: get().session?.screenId ?? null });
      },
    };
  });
}
