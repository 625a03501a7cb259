import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { invoke } from './dispatch.js';
import { PultService } from './service.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { csiAnswer } from '../tests/support/answers.js';

const tempDir = useTempDirs();
const reasonsWith = (extra: object) => ({
  question: 'reasons',
  reasons: ['other'],
  responseId: crypto.randomUUID(),
  locale: 'ru',
  source: 'touch',
  ...extra,
});

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
    ['a comment with a lone surrogate', 'recordAnswer', reasonsWith({ comment: 'ok \uD800 then' }), /comment: not well-formed/],
    ['a comment with NUL', 'recordAnswer', reasonsWith({ comment: 'cut\u0000here' }), /comment: control characters/],
    ['a ticket with NUL', 'recordAnswer', { ...csiAnswer(5), ticket: 'A-1\u0000' }, /ticket: control characters/],
    ['a ticket with a lone low surrogate', 'recordAnswer', { ...csiAnswer(5), ticket: '\uDC00A-1' }, /ticket: not well-formed/],
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
    'a comment keeps its line breaks and emoji; a ticket is stored as sent',
    withService(async (service) => {
      expect(await invoke(service, 'recordAnswer', reasonsWith({ comment: 'Долго\nждали 😠\tочень' }))).toMatchObject({
        ok: true,
      });
      expect(await invoke(service, 'recordAnswer', { ...csiAnswer(5), ticket: 'А-123' })).toMatchObject({ ok: true });
    }),
  );

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
