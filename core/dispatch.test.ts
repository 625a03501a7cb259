import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema, type PultConfigInput } from '../shared/config.js';
import type { SessionView } from '../shared/session.js';
import { PultService } from './service.js';
import { mergeHandlers } from './dispatch.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { QUICK_CONSOLE, tap, touchOn, type Call } from '../tests/support/press.js';

const tempDir = useTempDirs();

function withService(run: (service: PultService, call: Call) => Promise<void>, config: Partial<PultConfigInput> = QUICK_CONSOLE) {
  return async () => {
    const service = await PultService.open({
      dataDir: tempDir(),
      config: PultConfigSchema.parse({ ...DEMO_CONFIG, language: { default: 'ru', enabled: ['ru', 'en'] }, ...config }),
    });
    try {
      await run(service, (method, input) => service.link.invoke(method, input));
    } finally {
      await service.close();
    }
  };
}

const screenOf = async (call: Call) => ((await call('getSession', {})) as { value: SessionView }).value.screenId;

describe('invoke: the core side of every contract call', () => {
  it(
    'a press on the screen shown stores the answer and replies with the next view',
    withService(async (service, call) => {
      const reply = await tap(call, 5);
      expect(reply).toMatchObject({ outcome: 'stored', session: { screen: { kind: 'thanks' } } });
      expect(await call('getStatus', {})).toMatchObject({ ok: true, value: { answersStored: 1, outboxPending: 1 } });
    }),
  );

  const badPresses: [string, (screenId: string) => unknown, RegExp][] = [
    ['a flag chosen by the caller', (s) => ({ ...touchOn(s, { type: 'score', value: 5 }), flags: ['misuse'] }), /flags/],
    ['a source chosen by the caller', (s) => ({ ...touchOn(s, { type: 'score', value: 5 }), source: 'button:box1' }), /source/],
    [
      'a response id chosen by the caller',
      (s) => ({ ...touchOn(s, { type: 'score', value: 5 }), responseId: randomUUID() }),
      /responseId/,
    ],
    ['a question chosen by the caller', (s) => touchOn(s, { type: 'score', value: 5, question: 'nps' } as never), /question/],
    ['a score of 11', (s) => touchOn(s, { type: 'score', value: 11 }), /value: Too big/],
    ['a fractional score', (s) => touchOn(s, { type: 'score', value: 4.5 }), /value: .*int/i],
    ['an unknown action', (s) => touchOn(s, { type: 'answer', value: 5 } as never), /action/],
    ['a press id that is not a UUID', (s) => ({ ...touchOn(s, { type: 'score', value: 5 }), id: 'x' }), /id/],
    ['an unknown language', (s) => touchOn(s, { type: 'chooseLanguage', language: 'xx' } as never), /language/],
    ['a window id smuggled in', (s) => ({ ...touchOn(s, { type: 'score', value: 5 }), windowId: 'other' }), /windowId/],
    ['no input at all', () => undefined, /press/],
    ['a string instead of an object', () => '5', /press/],
  ];
  it.each(badPresses)('%s is refused with a typed error naming it; nothing is stored', async (_name, build, message) => {
    await withService(async (service, call) => {
      const result = await call('press', build(await screenOf(call)));
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message } });
      expect(service.status.read().answersStored).toBe(0);
    })();
  });

  it(
    'a language the console does not offer is refused, not silently ignored',
    withService(async (_service, call) => {
      const result = await call('press', touchOn(await screenOf(call), { type: 'chooseLanguage', language: 'uz' }));
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', message: /"uz" is not enabled/ } });
    }),
  );

  it(
    'fifty presses on one question store one answer',
    withService(async (service, call) => {
      const screenId = await screenOf(call);
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => call('press', touchOn(screenId, { type: 'score', value: 4 }))),
      );
      expect(replies.filter((r) => r.ok && (r.value as { outcome: string }).outcome === 'stored')).toHaveLength(1);
      expect(service.status.read().answersStored).toBe(1);
    }),
  );

  it(
    'an unknown method is refused by name',
    withService(async (_service, call) => {
      expect(await call('deleteEverything', {})).toEqual({
        ok: false,
        error: { code: 'unknown_method', message: 'unknown method "deleteEverything"' },
      });
      expect(await call('recordAnswer', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }),
  );

  it(
    'a storage failure comes back as a typed error, not a throw',
    withService(async (service, call) => {
      const screenId = await screenOf(call);
      await service.close();
      const result = await call('press', touchOn(screenId, { type: 'score', value: 5 }));
      expect(result).toMatchObject({ ok: false, error: { code: 'storage_failure', message: /not stored/ } });
    }),
  );
});

describe('handlers: one per contract method', () => {
  it('putting the core together refuses a method handled twice or not at all', () => {
    const one = { getStatus: () => ({}) as never };
    expect(() => mergeHandlers(one, one)).toThrow(/"getStatus" is handled twice/);
    expect(() => mergeHandlers(one)).toThrow(/no handler for getConsole, getSession, press, getSyncStatus/);
  });
});
