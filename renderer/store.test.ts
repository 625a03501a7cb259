import { describe, expect, it, vi } from 'vitest';
import { PultConfigSchema, DEMO_CONFIG } from '../shared/config.js';
import type { PultApi } from '../shared/contract.js';
import type { Result } from '../shared/result.js';
import { createConsoleStore, SAVE_TIMEOUT_MS } from './store.js';

function fakeApi(recordResult: () => Promise<Result<{ id: string; seq: number }>>): PultApi {
  const config = PultConfigSchema.parse({ ...DEMO_CONFIG, timeouts: { settleMs: 0 } });
  return {
    getConsole: async () => ({ ok: true, value: { deviceId: 'd', ...config } }),
    recordAnswer: vi.fn(recordResult),
    getStatus: async () => ({ ok: false, error: { code: 'internal', message: 'unused' } }),
    getSyncStatus: async () => ({ ok: false, error: { code: 'internal', message: 'unused' } }),
    on: () => () => {},
  };
}

describe('console store', () => {
  it('moves to the next screen only after the answer is stored', async () => {
    let store!: (r: Result<{ id: string; seq: number }>) => void;
    const api = fakeApi(() => new Promise((resolve) => (store = resolve)));
    const console = createConsoleStore(api, () => 1000);
    await console.getState().init();
    const pending = console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    expect(console.getState()).toMatchObject({ saving: true, flow: { screen: { kind: 'question', question: 'csi' } } });
    store({ ok: true, value: { id: 'x', seq: 1 } });
    await pending;
    expect(console.getState()).toMatchObject({ saving: false, flow: { screen: { kind: 'question', question: 'nps' } } });
  });

  it('stays on the question and says so when storing failed', async () => {
    const api = fakeApi(async () => ({ ok: false, error: { code: 'storage_failure', message: 'disk full' } }));
    const console = createConsoleStore(api, () => 1000);
    await console.getState().init();
    await console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    expect(console.getState()).toMatchObject({
      saveFailed: true,
      flow: { screen: { kind: 'question', question: 'csi' }, responseId: expect.any(String) },
    });
  });

  it('ignores presses while an answer is on its way to disk (no double answers)', async () => {
    let store!: (r: Result<{ id: string; seq: number }>) => void;
    const api = fakeApi(() => new Promise((resolve) => (store = resolve)));
    const console = createConsoleStore(api, () => 1000);
    await console.getState().init();
    const first = console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    await console.getState().dispatch({ type: 'score', value: 4, source: 'touch' });
    store({ ok: true, value: { id: 'x', seq: 1 } });
    await first;
    expect(api.recordAnswer).toHaveBeenCalledTimes(1);
  });

  it('shows the out-of-order message when the core cannot be reached', async () => {
    const api = {
      ...fakeApi(async () => ({ ok: true, value: { id: 'x', seq: 1 } })),
      getConsole: async () => ({ ok: false as const, error: { code: 'unavailable' as const, message: 'down' } }),
    };
    const console = createConsoleStore(api);
    await console.getState().init();
    expect(console.getState().phase).toBe('unavailable');
  });

  it('a save that hangs is reported after the timeout, and the idle reset still works', async () => {
    vi.useFakeTimers();
    try {
      const api = fakeApi(() => new Promise(() => {}));
      let clock = 1000;
      const console = createConsoleStore(api, () => clock);
      await console.getState().init();
      const pending = console.getState().dispatch({ type: 'score', value: 2, source: 'touch' });
      expect(console.getState().saving).toBe(true);
      await vi.advanceTimersByTimeAsync(SAVE_TIMEOUT_MS);
      await pending;
      expect(console.getState()).toMatchObject({ saving: false, saveFailed: true, flow: { screen: { question: 'csi' } } });
      clock += 25_000;
      await console.getState().dispatch({ type: 'tick' });
      expect(console.getState().saveFailed).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a tick during a save keeps the idle reset working; the late answer does not drag the screen back', async () => {
    let store!: (r: Result<{ id: string; seq: number }>) => void;
    const api = fakeApi(() => new Promise((resolve) => (store = resolve)));
    let clock = 1000;
    const console = createConsoleStore(api, () => clock);
    await console.getState().init();
    const first = console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    store({ ok: true, value: { id: 'x', seq: 1 } });
    await first;
    expect(console.getState().flow).toMatchObject({ screen: { question: 'nps' } });
    clock += 1_000;
    const pending = console.getState().dispatch({ type: 'score', value: 9, source: 'touch' });
    await console.getState().dispatch({ type: 'score', value: 8, source: 'touch' });
    expect(api.recordAnswer).toHaveBeenCalledTimes(2);
    clock += 25_000;
    await console.getState().dispatch({ type: 'tick' });
    expect(console.getState().flow).toMatchObject({ screen: { question: 'csi' }, responseId: null });
    store({ ok: true, value: { id: 'y', seq: 2 } });
    await pending;
    expect(console.getState().flow).toMatchObject({ screen: { question: 'csi' }, responseId: null });
  });

  it('a failure thrown anywhere on the way is shown, never swallowed', async () => {
    const api = fakeApi(() => Promise.reject(new TypeError('crypto.randomUUID is not a function')));
    const console = createConsoleStore(api, () => 1000);
    await console.getState().init();
    await console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    expect(console.getState()).toMatchObject({ saveFailed: true, saving: false });
  });

  it('a retry after a failed save keeps the response id, so a late first save and the retry are one answer', async () => {
    let attempt = 0;
    const api = fakeApi(async () =>
      ++attempt === 1
        ? { ok: false, error: { code: 'unavailable', message: 'timed out' } }
        : { ok: true, value: { id: 'x', seq: 1 } },
    );
    const console = createConsoleStore(api, () => 1000);
    await console.getState().init();
    await console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    await console.getState().dispatch({ type: 'score', value: 5, source: 'touch' });
    const calls = vi.mocked(api.recordAnswer).mock.calls.map(([input]) => input.responseId);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toBe(calls[0]);
    expect(console.getState().flow).toMatchObject({ screen: { question: 'nps' }, responseId: calls[0] });
  });

  it('presses on «Спасибо!» inside the guard are each kept as misuse, even while one is still being saved', async () => {
    const pending: ((r: Result<{ id: string; seq: number }>) => void)[] = [];
    const api = fakeApi(() => new Promise((resolve) => pending.push(resolve)));
    let clock = 1000;
    const console = createConsoleStore(api, () => clock);
    await console.getState().init();
    for (const value of [5, 9]) {
      const step = console.getState().dispatch({ type: 'score', value, source: 'touch' });
      pending.shift()!({ ok: true, value: { id: 'x', seq: 1 } });
      await step;
      clock += 500;
    }
    expect(console.getState().flow?.screen.kind).toBe('thanks');
    for (const value of [1, 2, 3]) void console.getState().dispatch({ type: 'score', value, source: 'keyboard' });
    const misuse = vi
      .mocked(api.recordAnswer)
      .mock.calls.slice(2)
      .map(([input]) => [input.flags, input.question !== 'reasons' && input.value]);
    expect(misuse).toEqual([
      [['misuse'], 1],
      [['misuse'], 2],
      [['misuse'], 3],
    ]);
  });
});
