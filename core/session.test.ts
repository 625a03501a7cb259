import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ParsedAnswer } from '../shared/answer.js';
import { PultConfigSchema, DEMO_CONFIG, type PultConfigInput } from '../shared/config.js';
import type { Action, SessionView } from '../shared/session.js';
import { fakeClock } from '../tests/support/fake-clock.js';
import { InvalidInput } from './errors.js';
import { Session, type SessionPress } from './session.js';

/** A session on a fake clock; its store keeps answers in a list (durability is storage's tests' job). */
function sessionWith(config: Partial<PultConfigInput> = {}, options: { failStore?: () => boolean } = {}) {
  const parsed = PultConfigSchema.parse({ ...DEMO_CONFIG, ...config });
  const { clock, advance } = fakeClock();
  const stored: (ParsedAnswer & { pressId: string })[] = [];
  const views: SessionView[] = [];
  let n = 0;
  const session = new Session({
    setup: parsed,
    clock,
    burst: { presses: parsed.misuse.burstPresses, withinMs: parsed.misuse.burstWithinMs },
    bootId: '00000000-0000-7000-8000-b00700000000',
    newId: () => `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    storedBy: (pressId) => {
      const index = stored.findIndex((a) => a.pressId === pressId);
      return index === -1 ? null : { id: `answer-${index + 1}`, seq: index + 1 };
    },
    store: async (answer, pressId) => {
      if (options.failStore?.()) throw new Error('disk gone');
      const earlier = stored.findIndex((a) => a.pressId === pressId);
      if (earlier === -1) stored.push({ ...answer, pressId });
      const seq = earlier === -1 ? stored.length : earlier + 1;
      return { replayed: earlier !== -1, id: `answer-${seq}`, seq };
    },
    onChange: (view) => views.push(view),
  });
  let pressNo = 0;
  /** A touch on the screen shown now (or on `screenId`), with a fresh press id unless given. */
  const touch = (action: Action, extra: Partial<SessionPress> = {}) =>
    session.press({ id: `touch-${++pressNo}`, screenId: session.view().screenId, source: 'touch', action, ...extra });
  const box = (value: number, extra: Partial<SessionPress> = {}) =>
    session.press({ id: `box-${++pressNo}`, screenId: null, source: 'button:box1', action: { type: 'score', value }, ...extra });
  const score = (value: number) => ({ type: 'score', value }) as const;
  return { session, advance, stored, views, touch, box, score };
}

describe('the applicant session in the core', () => {
  it('answers only the screen shown once it settled; the view moves after the answer is stored', async () => {
    const { session, advance, stored, views, touch, score } = sessionWith();
    expect(session.view()).toMatchObject({ screen: { kind: 'question', question: 'csi' }, settled: false });
    expect((await touch(score(5))).outcome).toBe('ignored');
    await advance(400);
    expect(views.at(-1)).toMatchObject({ settled: true, screen: { question: 'csi' } });
    const csiScreen = session.view().screenId;
    const reply = await touch(score(5));
    expect(reply).toMatchObject({ outcome: 'stored', session: { screen: { question: 'nps' }, canSkip: true, settled: false } });
    expect(stored.map((a) => [a.question, 'value' in a ? a.value : null, a.source, a.flags])).toEqual([['csi', 5, 'touch', []]]);
    await advance(400);
    // A press aimed at the CSI screen (a slow second screen) does not answer the NPS now shown.
    expect((await touch(score(9), { screenId: csiScreen })).outcome).toBe('ignored');
    expect((await touch(score(9))).outcome).toBe('stored');
    expect(session.view().screen).toEqual({ kind: 'thanks' });
    expect(new Set(stored.map((a) => a.responseId)).size).toBe(1);
  });

  it('a press sent again with the same id is applied once', async () => {
    const { advance, stored, touch, score } = sessionWith();
    await advance(400);
    const first = await touch(score(4), { id: 'same' });
    const again = await touch(score(4), { id: 'same', screenId: first.session.screenId });
    expect([first.outcome, again.outcome]).toEqual(['stored', 'replayed']);
    expect(again.answer).toEqual(first.answer);
    expect(stored).toHaveLength(1);
  });

  it('two screens and a box pressed at the same moment store one answer', async () => {
    const { session, advance, stored, touch, box, score } = sessionWith();
    await advance(400);
    const screenId = session.view().screenId;
    const outcomes = await Promise.all([touch(score(5), { screenId }), touch(score(2), { screenId }), box(3)]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['stored', 'ignored', 'ignored']);
    expect(stored.map((a) => a.question)).toEqual(['csi']);
  });

  it('presses inside the guard interval are stored as misuse and change nothing; after it a box starts the next response', async () => {
    const { session, advance, stored, box } = sessionWith({
      flow: [{ type: 'csi' }],
      timeouts: { guardMs: 2_000, thanksMs: 3_000, settleMs: 400, idleMs: 20_000 },
    });
    await advance(400);
    expect((await box(5)).outcome).toBe('stored');
    expect(session.view().screen.kind).toBe('thanks');
    expect((await box(5)).outcome).toBe('misuse');
    expect((await box(1)).outcome).toBe('misuse');
    expect(session.view().screen.kind).toBe('thanks');
    await advance(2_000);
    expect((await box(4)).outcome).toBe('stored');
    expect(stored.map((a) => ['value' in a ? a.value : null, a.flags, a.source])).toEqual([
      [5, [], 'button:box1'],
      [5, ['misuse'], 'button:box1'],
      [1, ['misuse'], 'button:box1'],
      [4, [], 'button:box1'],
    ]);
    expect(new Set(stored.map((a) => a.responseId)).size).toBe(4);
  });

  it('an applicant who walks away: the first screen and the default language come back by themselves', async () => {
    const { session, advance, stored, views, touch, score } = sessionWith();
    await advance(400);
    await touch({ type: 'chooseLanguage', language: 'en' });
    await touch(score(5));
    expect(session.view()).toMatchObject({ language: 'en', screen: { question: 'nps' } });
    await advance(19_999);
    expect(session.view().screen).toMatchObject({ question: 'nps' });
    await advance(1);
    expect(views.at(-1)).toMatchObject({ language: 'ru', screen: { question: 'csi' }, canSkip: false });
    expect(stored).toHaveLength(1);
  });

  it('the thank-you screen ends by itself', async () => {
    const { session, advance, touch, score } = sessionWith({ flow: [{ type: 'csi' }] });
    await advance(400);
    await touch(score(3));
    expect(session.view().screen.kind).toBe('thanks');
    await advance(3_000);
    expect(session.view().screen).toMatchObject({ kind: 'question', question: 'csi' });
  });

  it('a burst beyond the configured rate is kept as misuse, not counted', async () => {
    const { advance, stored, box } = sessionWith({
      flow: [{ type: 'csi' }],
      timeouts: { guardMs: 0, thanksMs: 500, settleMs: 0, idleMs: 20_000 },
      misuse: { burstPresses: 3, burstWithinMs: 10_000 },
    });
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push((await box(5)).outcome);
      await advance(100);
    }
    expect(outcomes).toEqual(['stored', 'stored', 'stored', 'misuse', 'misuse']);
    expect(stored.filter((a) => a.flags.length === 0)).toHaveLength(3);
    await advance(10_000);
    expect((await box(5)).outcome).toBe('stored');
  });

  it('refuses a language the console does not offer, and changes nothing', async () => {
    const { session, touch } = sessionWith({ language: { default: 'ru', enabled: ['ru', 'en'] } });
    const before = session.view();
    await expect(touch({ type: 'chooseLanguage', language: 'uz' })).rejects.toThrow(InvalidInput);
    expect(session.view()).toEqual(before);
  });

  it('a failed store leaves the screen where it was; the next press is stored', async () => {
    let failing = true;
    const { session, advance, stored, touch, score } = sessionWith({}, { failStore: () => failing });
    await advance(400);
    await expect(touch(score(5))).rejects.toThrow('disk gone');
    expect(session.view().screen).toMatchObject({ question: 'csi' });
    failing = false;
    expect((await touch(score(5))).outcome).toBe('stored');
    expect(stored).toHaveLength(1);
  });

  it('a box with no buttons for a question passes over it, never guessing an answer', async () => {
    const { session, advance, stored, box } = sessionWith();
    await advance(400);
    const cannotAnswer = (screen: SessionView['screen']) =>
      screen.kind === 'reasons' || (screen.kind === 'question' && screen.question === 'nps');
    expect((await box(2, { cannotAnswer })).session.screen).toEqual({ kind: 'thanks' });
    expect(stored.map((a) => a.question)).toEqual(['csi']);
    expect(session.view().canSkip).toBe(false);
  });

  it('reasons are chosen on the screen and stored with where they came from', async () => {
    const { advance, stored, touch, score } = sessionWith();
    await advance(400);
    await touch(score(2));
    await advance(400);
    expect((await touch({ type: 'toggleReason', reason: 'politeness' })).outcome).toBe('moved');
    await touch({ type: 'toggleReason', reason: 'comfort' });
    await touch({ type: 'toggleReason', reason: 'politeness' });
    const done = await touch({ type: 'done' });
    expect(done).toMatchObject({ outcome: 'stored', session: { screen: { question: 'nps' } } });
    expect(stored[1]).toMatchObject({ question: 'reasons', reasons: ['comfort'], source: 'touch' });
  });
});

describe('an idle console', () => {
  it('sets no timer while nobody touches the first screen (it used to fire every millisecond after the idle time)', async () => {
    const time = fakeClock();
    const session = new Session({
      setup: PultConfigSchema.parse({ ...DEMO_CONFIG, flow: [{ type: 'csi' }], timeouts: { settleMs: 0 } }),
      clock: time.clock,
      burst: { presses: 0, withinMs: 10_000 },
      bootId: '00000000-0000-7000-8000-b00700000000',
      newId: randomUUID,
      storedBy: () => null,
      store: async () => ({ id: randomUUID(), seq: 1, replayed: false }),
      onChange: () => undefined,
    });
    await time.advance(60_000);
    expect(time.pending()).toBe(0);
    session.close();
  });
});
