import { afterEach, describe, expect, it, vi } from 'vitest';
import { PultConfigSchema, DEMO_CONFIG } from '../shared/config.js';
import type { EventName, PultApi } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import { STANDARD_VISION, type Press, type PressReply, type SessionView } from '../shared/session.js';
import { createConsoleStore, PRESS_TIMEOUT_MS, RETRY_MS, SAVING_NOTICE_AFTER_MS } from './store.js';

const view = (version: number, extra: Partial<SessionView> = {}): SessionView => ({
  bootId: 'boot-1',
  version,
  screenId: `screen-${version}`,
  vision: STANDARD_VISION,
  screen: { kind: 'question', question: 'csi' },
  language: 'ru',
  canSkip: false,
  settled: true,
  ticket: null,
  waitingForTicket: false,
  paused: false,
  ...extra,
});
const unused = async () => ({ ok: false as const, error: { code: 'internal' as const, message: 'unused' } });

/** The core as the screen sees it: a session to read, presses answered by `reply`, events pushed by the test. */
function fakeApi(reply: (press: Press) => Promise<Result<PressReply>>) {
  const config = PultConfigSchema.parse(DEMO_CONFIG);
  const listeners = new Map<EventName, (payload: never) => void>();
  const api: PultApi = {
    getConsole: async () => ({ ok: true, value: { deviceId: 'd', ...config, supervisorIdleMs: 60_000, boxButtons: null } }),
    getSession: async () => ({ ok: true, value: view(1) }),
    press: vi.fn((press) => reply(press as Press)),
    getStatus: unused,
    getSyncStatus: unused,
    openSupervisor: unused,
    closeSupervisor: unused,
    getStats: unused,
    getOperators: unused,
    getHealth: unused,
    listExportFolders: unused,
    exportPeriod: unused,
    getSettings: unused,
    changeSettings: unused,
    on: (event, listener) => {
      listeners.set(event, listener as (payload: never) => void);
      return () => listeners.delete(event);
    },
  };
  const push = (next: SessionView) => listeners.get('session')?.(next as never);
  return { api, push };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('console store: a view of the core session', () => {
  it('shows the session, sends a press aimed at the screen shown, and shows the view the reply carries', async () => {
    const { api } = fakeApi(async () => ({
      ok: true,
      value: { outcome: 'stored', answer: { id: 'a', seq: 1 }, session: view(2, { screen: { kind: 'thanks' } }) },
    }));
    const console = createConsoleStore(api);
    await console.getState().init();
    expect(console.getState()).toMatchObject({ phase: 'ready', session: { screenId: 'screen-1' } });
    await console.getState().press('touch', { type: 'score', value: 5 });
    expect(api.press).toHaveBeenCalledWith(
      expect.objectContaining({ screenId: 'screen-1', source: 'touch', action: { type: 'score', value: 5 } }),
    );
    expect(console.getState().session).toMatchObject({ version: 2, screen: { kind: 'thanks' } });
  });

  it('keeps the newest view when an event overtakes a reply; a restarted core always replaces', async () => {
    const { api, push } = fakeApi(async () => ({
      ok: true,
      value: { outcome: 'stored', answer: { id: 'a', seq: 1 }, session: view(2) },
    }));
    const console = createConsoleStore(api);
    await console.getState().init();
    push(view(3, { settled: true }));
    await console.getState().press('touch', { type: 'score', value: 5 });
    expect(console.getState().session?.version).toBe(3);
    push(view(1, { bootId: 'boot-2' }));
    expect(console.getState().session).toMatchObject({ bootId: 'boot-2', version: 1 });
  });

  it('says a press failed on the screen it failed on, until another screen shows', async () => {
    const { api, push } = fakeApi(async () => ({ ok: false, error: { code: 'storage_failure', message: 'disk full' } }));
    const console = createConsoleStore(api);
    await console.getState().init();
    await console.getState().press('touch', { type: 'score', value: 5 });
    expect(console.getState()).toMatchObject({ failedOn: 'screen-1', session: { screenId: 'screen-1' } });
    push(view(2));
    expect(console.getState().failedOn).toBeNull();
  });

  it('a press that did not reach the core is sent again with the same id', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const { api } = fakeApi(async () =>
      ++calls < 3
        ? { ok: false, error: { code: 'unavailable', message: 'connection refused' } }
        : { ok: true, value: { outcome: 'stored', answer: { id: 'a', seq: 1 }, session: view(2) } },
    );
    const console = createConsoleStore(api);
    await console.getState().init();
    const pressed = console.getState().press('touch', { type: 'score', value: 4 });
    await vi.advanceTimersByTimeAsync(1_000);
    await pressed;
    const ids = vi.mocked(api.press).mock.calls.map(([press]) => (press as Press).id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(console.getState()).toMatchObject({ failedOn: null, session: { version: 2 } });
  });

  it('a press answered sooner than SAVING_NOTICE_AFTER_MS never shows «saving»', async () => {
    vi.useFakeTimers();
    const { api } = fakeApi(async () => {
      await new Promise((resolve) => setTimeout(resolve, SAVING_NOTICE_AFTER_MS - 50));
      return { ok: true, value: { outcome: 'stored', answer: { id: 'a', seq: 1 }, session: view(2) } };
    });
    const console = createConsoleStore(api);
    await console.getState().init();
    const seen: boolean[] = [];
    console.subscribe((state) => seen.push(state.saving));
    const pressed = console.getState().press('touch', { type: 'score', value: 5 });
    await vi.advanceTimersByTimeAsync(SAVING_NOTICE_AFTER_MS * 2);
    await pressed;
    expect(seen).not.toContain(true);
    expect(console.getState().session).toMatchObject({ version: 2 });
  });

  it('a press with no reply within the timeout is reported as failed; «saving» shows meanwhile', async () => {
    vi.useFakeTimers();
    const { api } = fakeApi(() => new Promise(() => {}));
    const console = createConsoleStore(api);
    await console.getState().init();
    const pressed = console.getState().press('touch', { type: 'score', value: 5 });
    expect(console.getState().saving).toBe(false); // nothing on the screen changes at the press itself
    await vi.advanceTimersByTimeAsync(SAVING_NOTICE_AFTER_MS);
    expect(console.getState().saving).toBe(true);
    await vi.advanceTimersByTimeAsync(PRESS_TIMEOUT_MS);
    await pressed;
    expect(console.getState()).toMatchObject({ saving: false, failedOn: 'screen-1' });
  });

  it('says «starting» while the core cannot be reached, and shows its screen once it answers, by itself', async () => {
    vi.useFakeTimers();
    const { api } = fakeApi(unused);
    let up = false;
    const console = createConsoleStore({
      ...api,
      getSession: async () =>
        up ? { ok: true, value: view(1) } : { ok: false, error: { code: 'unavailable', message: 'down' } },
    });
    void console.getState().init();
    await vi.advanceTimersByTimeAsync(RETRY_MS * 3);
    expect(console.getState()).toMatchObject({ phase: 'starting', session: null });
    up = true;
    await vi.advanceTimersByTimeAsync(RETRY_MS);
    expect(console.getState()).toMatchObject({ phase: 'ready', session: { version: 1 } });
  });

  it("says «restarting» when the link drops, and reads the new core's settings and session when it is back", async () => {
    const { api } = fakeApi(unused);
    let linkListener: (up: boolean) => void = () => undefined;
    const link = (listener: (up: boolean) => void) => ((linkListener = listener), () => undefined);
    let boot = 'boot-1';
    let label = '5';
    const console = createConsoleStore(
      {
        ...api,
        getSession: async () => ({ ok: true, value: view(1, { bootId: boot }) }),
        getConsole: async () => {
          const setup = await api.getConsole({});
          return setup.ok ? { ok: true, value: { ...setup.value, window: { ...setup.value.window, label } } } : setup;
        },
      },
      Date.now,
      link,
    );
    await console.getState().init();
    linkListener(false);
    expect(console.getState().phase).toBe('restarting');
    boot = 'boot-2';
    label = '7';
    linkListener(true);
    await vi.waitFor(() => expect(console.getState().phase).toBe('ready'));
    expect(console.getState()).toMatchObject({ session: { bootId: 'boot-2' }, setup: { window: { label: '7' } } });
  });

  it('shows the out-of-order message when the core answers with an error of its own, and does not ask again', async () => {
    const { api } = fakeApi(unused);
    const getSession = vi.fn(async () => ({ ok: false as const, error: { code: 'internal' as const, message: 'broken' } }));
    const console = createConsoleStore({ ...api, getSession });
    await console.getState().init();
    expect(console.getState().phase).toBe('unavailable');
    expect(getSession).toHaveBeenCalledTimes(1);
  });
});
