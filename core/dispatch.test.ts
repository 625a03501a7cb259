import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { invoke } from './dispatch.js';
import { PultService } from './service.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { csiAnswer } from '../tests/support/answers.js';

const tempDir = useTempDirs();

function withService(run: (service: PultService) => Promise<void>) {
  return async () => {
    const service = await PultService.open({ dataDir: tempDir(), config: PultConfigSchema.parse(DEMO_CONFIG) });
    try {
      await run(service);
    } finally {
      await service.close();
    }
  };
}

describe('invoke: the core side of every contract call', () => {
  it(
    'stores a valid answer and reports it in the status',
    withService(async (service) => {
      const result = await invoke(service, 'recordAnswer', csiAnswer(5));
      expect(result).toMatchObject({ ok: true, value: { seq: 1 } });
      expect(await invoke(service, 'getStatus', {})).toMatchObject({ ok: true, value: { answersStored: 1, outboxPending: 1 } });
    }),
  );

  const badCalls: [string, string, unknown, RegExp][] = [
    ['a CSI score of 7', 'recordAnswer', csiAnswer(7), /value: Too big/],
    ['a fractional score', 'recordAnswer', csiAnswer(4.5), /value: .*int/i],
    ['an unknown question', 'recordAnswer', { ...csiAnswer(4), question: 'mood' }, /question/],
    [
      'an oversized comment',
      'recordAnswer',
      {
        question: 'reasons',
        reasons: ['other'],
        comment: 'x'.repeat(501),
        responseId: crypto.randomUUID(),
        locale: 'ru',
        source: 'touch',
      },
      /comment: Too big/,
    ],
    [
      'a repeated reason',
      'recordAnswer',
      { question: 'reasons', reasons: ['other', 'other'], responseId: crypto.randomUUID(), locale: 'ru', source: 'touch' },
      /once/,
    ],
    ['a window id smuggled in', 'recordAnswer', { ...csiAnswer(5), windowId: 'other-window' }, /windowId/],
    ['an unknown language', 'recordAnswer', { ...csiAnswer(5), locale: 'xx' }, /locale/],
    ['no input at all', 'recordAnswer', undefined, /recordAnswer/],
    ['a string instead of an object', 'recordAnswer', '5', /recordAnswer/],
  ];
  it.each(badCalls)('%s gets a typed error naming the problem and writes nothing', async (_name, method, input, message) => {
    await withService(async (service) => {
      const result = await invoke(service, method, input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid_input');
      expect(result.error.message).toMatch(message);
      expect(service.getStatus().answersStored).toBe(0);
    })();
  });

  it(
    'an unknown method is refused by name',
    withService(async (service) => {
      expect(await invoke(service, 'deleteEverything', {})).toEqual({
        ok: false,
        error: { code: 'unknown_method', message: 'unknown method "deleteEverything"' },
      });
    }),
  );

  it(
    'a storage failure comes back as a typed error, not a throw',
    withService(async (service) => {
      await service.close();
      const result = await invoke(service, 'recordAnswer', csiAnswer(5));
      expect(result).toMatchObject({ ok: false, error: { code: 'storage_failure', message: /not stored/ } });
    }),
  );
});
