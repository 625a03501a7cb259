import { describe, expect, it } from 'vitest';
import { AnswerInputSchema } from './answer.js';
import { describeIssues } from './config.js';
import { WireAnswerSchema } from './wire.js';
import { csiAnswer } from '../tests/support/answers.js';

/** Every answer the session stores is parsed with this schema first (core/session.ts). */
const reasonsWith = (extra: object) => ({
  question: 'reasons',
  reasons: ['other'],
  responseId: crypto.randomUUID(),
  locale: 'ru',
  source: 'touch',
  ...extra,
});

describe('an answer, as the core stores it', () => {
  const bad: [string, unknown, RegExp][] = [
    ['a CSI score of 7', csiAnswer(7), /value: Too big/],
    ['a fractional score', csiAnswer(4.5), /value: .*int/i],
    ['an unknown question', { ...csiAnswer(4), question: 'mood' }, /question/],
    ['an oversized comment', reasonsWith({ comment: 'x'.repeat(501) }), /comment: Too big/],
    ['a repeated reason', reasonsWith({ reasons: ['other', 'other'] }), /once/],
    ['a comment with a lone surrogate', reasonsWith({ comment: 'ok \uD800 then' }), /comment: not well-formed/],
    ['a comment with NUL', reasonsWith({ comment: 'cut\u0000here' }), /comment: control characters/],
    ['a ticket with NUL', { ...csiAnswer(5), ticket: 'A-1\u0000' }, /ticket: control characters/],
    ['a ticket with a lone low surrogate', { ...csiAnswer(5), ticket: '\uDC00A-1' }, /ticket: not well-formed/],
    ['a source that is not touch, keyboard or a box', csiAnswer(5, { source: 'remote' }), /source/],
    ['an unknown language', { ...csiAnswer(5), locale: 'xx' }, /locale/],
    ['a federal criterion rated 6', { ...csiAnswer(5), question: 'mkgu_11', value: 6 }, /value: Too big/],
    ['a federal criterion the form does not have', { ...csiAnswer(5), question: 'mkgu_14' }, /question/],
  ];
  it.each(bad)('%s is refused, naming the field', (_name, input, message) => {
    const parsed = AnswerInputSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeIssues(parsed.error).join('; ')).toMatch(message);
  });

  it('a comment keeps its line breaks and emoji; a ticket is kept as sent; a box names itself', () => {
    expect(AnswerInputSchema.parse(reasonsWith({ comment: 'Долго\nждали 😠\tочень' }))).toMatchObject({
      comment: 'Долго\nждали 😠\tочень',
    });
    expect(AnswerInputSchema.parse({ ...csiAnswer(5), ticket: 'А-123' })).toMatchObject({ ticket: 'А-123' });
    expect(AnswerInputSchema.parse(csiAnswer(5, { source: 'button:box-1' }))).toMatchObject({ source: 'button:box-1' });
  });

  it("a federal criterion is an answer of its own on the collector's wire too, with the same range", () => {
    const stamp = {
      id: crypto.randomUUID(),
      seq: 1,
      flags: [],
      createdAt: 1_700_000_000_000,
      monoMs: 1,
      bootId: crypto.randomUUID(),
    };
    const base = { ...csiAnswer(1), ...stamp };
    expect(WireAnswerSchema.safeParse({ ...base, question: 'mkgu_9', value: 1 }).success).toBe(true);
    expect(WireAnswerSchema.safeParse({ ...base, question: 'mkgu_13', value: 5 }).success).toBe(true);
    expect(WireAnswerSchema.safeParse({ ...base, question: 'mkgu_13', value: 0 }).success).toBe(false);
  });
});
