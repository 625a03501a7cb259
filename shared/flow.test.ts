import { describe, expect, it } from 'vitest';
import { PultConfigSchema, type PultConfigInput } from './config.js';
import { createFlow, type FlowInput, type FlowState, type Transition } from './flow.js';

const setup = (overrides: Partial<PultConfigInput> = {}) =>
  PultConfigSchema.parse({
    office: { id: 'o', name: 'Office' },
    window: { id: 'w', label: '5' },
    language: { default: 'ru', enabled: ['ru', 'en'] },
    flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3 }, { type: 'nps' }],
    timeouts: { idleMs: 20_000, thanksMs: 3_000, guardMs: 2_000, settleMs: 0 },
    ...overrides,
  });

function machine(overrides: Partial<PultConfigInput> = {}) {
  let n = 0;
  const flow = createFlow(setup(overrides), () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`);
  let state: FlowState = flow.initial(0);
  const records: Transition['record'][] = [];
  const send = (input: FlowInput, now: number) => {
    const t = flow.step(state, input, now);
    state = t.state;
    if (t.record) records.push(t.record);
    return t;
  };
  return {
    send,
    get state() {
      return state;
    },
    records,
  };
}

const tap = (value: number): FlowInput => ({ type: 'score', value, source: 'touch' });

describe('applicant flow', () => {
  it('a high CSI skips the reasons and goes to NPS, then thanks', () => {
    const m = machine();
    m.send(tap(5), 1000);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
    m.send(tap(9), 2000);
    expect(m.state.screen.kind).toBe('thanks');
    expect(m.records.map((r) => r && r.question)).toEqual(['csi', 'nps']);
    expect(m.records[0]!.responseId).toBe(m.records[1]!.responseId);
  });

  it('a low CSI asks what went wrong; chosen reasons are stored as one follow-up answer', () => {
    const m = machine();
    m.send(tap(2), 1000);
    expect(m.state.screen).toEqual({ kind: 'reasons', selected: [] });
    m.send({ type: 'toggleReason', reason: 'waiting_time' }, 1100);
    m.send({ type: 'toggleReason', reason: 'politeness' }, 1200);
    m.send({ type: 'toggleReason', reason: 'waiting_time' }, 1300);
    m.send({ type: 'toggleReason', reason: 'comfort' }, 1400);
    m.send({ type: 'done', source: 'touch' }, 1500);
    expect(m.records[1]).toMatchObject({ question: 'reasons', reasons: ['politeness', 'comfort'] });
    expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
  });

  it('skipping the reasons stores nothing for them', () => {
    const m = machine();
    m.send(tap(3), 1000);
    m.send({ type: 'toggleReason', reason: 'other' }, 1100);
    m.send({ type: 'skip' }, 1200);
    expect(m.records).toHaveLength(1);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
  });

  it('the threshold decides which scores are "low"', () => {
    const m = machine({ flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 1 }] });
    m.send(tap(2), 1000);
    expect(m.state.screen.kind).toBe('thanks');
  });

  it('after «Спасибо!» for thanksMs the first screen returns with the default language', () => {
    const m = machine({ flow: [{ type: 'csi' }] });
    m.send({ type: 'chooseLanguage', language: 'en' }, 500);
    m.send(tap(4), 1000);
    m.send({ type: 'tick' }, 3999);
    expect(m.state.screen.kind).toBe('thanks');
    m.send({ type: 'tick' }, 4000);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'csi' });
    expect(m.state.language).toBe('ru');
  });

  it('idle mid-flow returns to the start; what was stored stays, nothing is invented', () => {
    const m = machine();
    m.send({ type: 'chooseLanguage', language: 'en' }, 0);
    m.send(tap(5), 1000);
    m.send({ type: 'tick' }, 20_999);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
    m.send({ type: 'tick' }, 21_000);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'csi' });
    expect(m.state.language).toBe('ru');
    expect(m.state.responseId).toBeNull();
    expect(m.records).toHaveLength(1);
  });

  it("«версия для слабовидящих» is the applicant's own: kept through the response, standard for the next one", () => {
    const large = { size: 3, scheme: 'white-on-black', images: false, sound: true } as const;
    const m = machine();
    m.send({ type: 'setVision', vision: large }, 0);
    m.send(tap(5), 1000);
    expect(m.state.vision).toEqual(large);
    m.send(tap(9), 2000);
    expect(m.state.screen).toEqual({ kind: 'thanks' });
    expect(m.state.vision).toEqual(large);
    m.send({ type: 'tick' }, 5000);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'csi' });
    expect(m.state.vision).toEqual({ size: 1, scheme: 'standard', images: true, sound: false });
    // Chosen and walked away from before any answer: reset too, as the language is.
    m.send({ type: 'setVision', vision: large }, 10_000);
    m.send({ type: 'tick' }, 30_000);
    expect(m.state.vision).toEqual({ size: 1, scheme: 'standard', images: true, sound: false });
    expect(m.records).toHaveLength(2);
  });

  it('each vision touch changes only what it names: a size and then a scheme chosen quickly both stay', () => {
    const m = machine();
    m.send({ type: 'setVision', vision: { size: 3 } }, 0);
    m.send({ type: 'setVision', vision: { scheme: 'blue' } }, 10);
    m.send({ type: 'setVision', vision: { sound: true } }, 20);
    expect(m.state.vision).toEqual({ size: 3, scheme: 'blue', images: true, sound: true });
  });

  it('a language chosen on the first screen also resets when nobody answers', () => {
    const m = machine();
    m.send({ type: 'chooseLanguage', language: 'en' }, 0);
    m.send({ type: 'tick' }, 20_000);
    expect(m.state.language).toBe('ru');
  });

  it('presses inside the guard interval are recorded as misuse and start nothing', () => {
    const m = machine({ flow: [{ type: 'csi' }], timeouts: { idleMs: 20_000, thanksMs: 3_000, guardMs: 2_000, settleMs: 0 } });
    m.send(tap(5), 1000);
    m.send(tap(5), 1500); // on the thank-you screen
    m.send({ type: 'score', value: 1, source: 'keyboard' }, 2999); // still inside the guard
    expect(m.state.screen).toEqual({ kind: 'thanks' });
    expect(m.state.responseId).toBeNull();
    expect(m.records.slice(1).map((r) => r!.flags)).toEqual([['misuse'], ['misuse']]);
    expect(new Set(m.records.map((r) => r!.responseId)).size).toBe(3);
    m.send({ type: 'tick' }, 4000); // thank-you over
    m.send(tap(3), 4100); // a real answer
    expect(m.records.at(-1)!.flags).toEqual([]);
    expect(m.state.screen.kind).toBe('thanks');
  });

  it('a key after the guard but during «Спасибо!» starts the next response', () => {
    const m = machine();
    m.send(tap(5), 1000);
    m.send(tap(10), 1100);
    m.send({ type: 'score', value: 4, source: 'keyboard' }, 3200);
    expect(m.records.at(-1)).toMatchObject({ question: 'csi', value: 4, flags: [], source: 'keyboard' });
    expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
  });

  it('values outside the question are ignored: key 7 on CSI, 0 on CSI', () => {
    const m = machine();
    m.send(tap(7), 1000);
    m.send(tap(0), 1000);
    expect(m.records).toHaveLength(0);
    m.send(tap(5), 1000);
    m.send(tap(0), 1000);
    expect(m.records.at(-1)).toMatchObject({ question: 'nps', value: 0 });
  });

  it('a language that is not enabled is refused', () => {
    const m = machine({ language: { default: 'ru', enabled: ['ru'] } });
    m.send({ type: 'chooseLanguage', language: 'en' }, 0);
    expect(m.state.language).toBe('ru');
  });

  describe('a press never answers a question the applicant has not seen', () => {
    const settling = () => machine({ timeouts: { idleMs: 20_000, thanksMs: 3_000, guardMs: 2_000, settleMs: 400 } });

    it('a double tap on «5» stores CSI 5 only: the second touch lands on NPS before it settled', () => {
      const m = settling();
      m.send(tap(5), 1_000);
      expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
      m.send(tap(9), 1_150);
      m.send({ type: 'score', value: 9, source: 'keyboard' }, 1_399);
      expect(m.records.map((r) => r?.question)).toEqual(['csi']);
      expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
      m.send(tap(9), 1_400);
      expect(m.records.map((r) => [r?.question, r && 'value' in r && r.value])).toEqual([
        ['csi', 5],
        ['nps', 9],
      ]);
    });

    it('reasons cannot be chosen, submitted or skipped before their screen settled', () => {
      const m = settling();
      m.send(tap(2), 1_000);
      m.send({ type: 'toggleReason', reason: 'comfort' }, 1_100);
      m.send({ type: 'skip' }, 1_200);
      m.send({ type: 'done', source: 'touch' }, 1_300);
      expect(m.state.screen).toEqual({ kind: 'reasons', selected: [] });
      m.send({ type: 'toggleReason', reason: 'comfort' }, 1_400);
      expect(m.state.screen).toEqual({ kind: 'reasons', selected: ['comfort'] });
    });

    it('the first screen settles after loading and after «Спасибо!», but the language switch always works', () => {
      const m = settling();
      m.send({ type: 'chooseLanguage', language: 'en' }, 100);
      expect(m.state.language).toBe('en');
      m.send(tap(4), 300);
      expect(m.records).toEqual([]);
      m.send(tap(4), 400);
      expect(m.records).toHaveLength(1);
    });

    it('a button box pressed after the guard while «Спасибо!» shows still starts the next response', () => {
      const m = settling();
      m.send(tap(5), 1_000);
      m.send(tap(10), 2_000);
      expect(m.state.screen.kind).toBe('thanks');
      m.send({ type: 'score', value: 4, source: 'keyboard' }, 4_100);
      expect(m.records.at(-1)).toMatchObject({ question: 'csi', value: 4, flags: [] });
    });
  });

  describe('the federal five criteria (flow step mkgu)', () => {
    it('one criterion per screen, 9 to 13, each stored under its indicator in the same response; a skipped one stores nothing', () => {
      const m = machine({ flow: [{ type: 'csi' }, { type: 'mkgu' }] });
      const flow = createFlow(setup({ flow: [{ type: 'csi' }, { type: 'mkgu' }] }), () => 'x');
      m.send(tap(4), 1000);
      const shown: string[] = [];
      for (const [i, value] of [5, null, 3, 4, 1].entries()) {
        const screen = m.state.screen;
        if (screen.kind === 'question') shown.push(screen.question);
        expect(flow.canSkip(m.state)).toBe(true);
        m.send(value === null ? { type: 'skip' } : tap(value), 2000 + i * 100);
      }
      expect(shown).toEqual(['mkgu_9', 'mkgu_10', 'mkgu_11', 'mkgu_12', 'mkgu_13']);
      expect(m.state.screen.kind).toBe('thanks');
      expect(m.records.map((r) => r && [r.question, 'value' in r ? r.value : null])).toEqual([
        ['csi', 4],
        ['mkgu_9', 5],
        ['mkgu_11', 3],
        ['mkgu_12', 4],
        ['mkgu_13', 1],
      ]);
      expect(new Set(m.records.map((r) => r!.responseId)).size).toBe(1);
    });

    it('a flow of the criteria alone: a criterion can be skipped before anything is stored; five skips end the response empty', () => {
      const m = machine({ flow: [{ type: 'mkgu' }] });
      expect(m.state.screen).toEqual({ kind: 'question', question: 'mkgu_9' });
      for (let i = 0; i < 5; i++) m.send({ type: 'skip' }, 1000 + i * 100);
      expect(m.state.screen.kind).toBe('thanks');
      expect(m.records).toEqual([]);
      // A score outside 1–5 is no answer to a criterion.
      const again = machine({ flow: [{ type: 'mkgu' }] });
      again.send(tap(0), 1000);
      again.send(tap(6), 1100);
      expect(again.records).toEqual([]);
      again.send(tap(5), 1200);
      expect(again.records).toMatchObject([{ question: 'mkgu_9', value: 5 }]);
    });
  });
});

describe('the comment step and the configured reasons', () => {
  const withComment = { flow: [{ type: 'csi' as const }, { type: 'comment' as const }] };

  it('the comment is its own answer of the response; empty text or «Пропустить» stores nothing', () => {
    const m = machine(withComment);
    m.send(tap(4), 1000);
    expect(m.state.screen).toEqual({ kind: 'comment' });
    m.send({ type: 'comment', text: '  Душно в зале  ', source: 'touch' }, 2000);
    expect(m.records[1]).toMatchObject({ question: 'comment', comment: 'Душно в зале', responseId: m.records[0]!.responseId });
    expect(m.state.screen.kind).toBe('thanks');

    const skipped = machine(withComment);
    skipped.send(tap(4), 1000);
    skipped.send({ type: 'comment', text: '   ', source: 'touch' }, 2000);
    expect([skipped.records.length, skipped.state.screen.kind]).toEqual([1, 'thanks']);
    const skippedToo = machine(withComment);
    skippedToo.send(tap(4), 1000);
    skippedToo.send({ type: 'skip' }, 2000);
    expect([skippedToo.records.length, skippedToo.state.screen.kind]).toEqual([1, 'thanks']);
  });

  it('typing keeps the comment screen from its idle return; not typing for idleMs returns to the start', () => {
    const m = machine(withComment);
    m.send(tap(4), 1000);
    m.send({ type: 'typing' }, 15_000);
    m.send({ type: 'tick' }, 30_000);
    expect(m.state.screen).toEqual({ kind: 'comment' });
    m.send({ type: 'tick' }, 35_001);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'csi' });
    // A comment (or a key) aimed at a screen that is not the comment's stores nothing.
    m.send({ type: 'comment', text: 'x', source: 'touch' }, 36_000);
    expect(m.records).toHaveLength(1);
  });

  it('the office’s reasons in its order, keys 1–n choose them; a reason that asks for words opens the comment once', () => {
    const reasons = [
      { id: 'parking', label: { ru: 'Парковка', en: 'Parking' } },
      { id: 'waiting_time' },
      { id: 'other', comment: true },
    ];
    const m = machine({
      flow: [{ type: 'csi' }, { type: 'reasons_if_low', threshold: 3, reasons }, { type: 'nps' }, { type: 'comment' }],
    });
    m.send(tap(2), 1000);
    m.send({ type: 'score', value: 1, source: 'keyboard' }, 1100);
    m.send({ type: 'score', value: 3, source: 'keyboard' }, 1200);
    m.send({ type: 'score', value: 4, source: 'keyboard' }, 1250); // no fourth reason: nothing
    m.send({ type: 'toggleReason', reason: 'politeness' }, 1300); // ours, but not offered here: nothing
    expect(m.state.screen).toEqual({ kind: 'reasons', selected: ['parking', 'other'] });
    m.send({ type: 'done', source: 'touch' }, 1400);
    expect(m.records[1]).toMatchObject({ question: 'reasons', reasons: ['parking', 'other'] });
    expect(m.state.screen).toEqual({ kind: 'comment' });
    m.send({ type: 'comment', text: 'Нет пандуса', source: 'touch' }, 1500);
    expect(m.state.screen).toEqual({ kind: 'question', question: 'nps' });
    // The flow's own comment step is not shown a second time to this response.
    m.send(tap(8), 1600);
    expect(m.state.screen.kind).toBe('thanks');
    expect(m.records.map((r) => r?.question)).toEqual(['csi', 'reasons', 'comment', 'nps']);
  });
});

describe('the language screen (flow step language)', () => {
  const withLanguage = (settleMs = 0) =>
    machine({
      language: { default: 'ru', enabled: ['ru', 'uz', 'ky'] },
      flow: [{ type: 'language' }, { type: 'csi' }, { type: 'nps' }],
      timeouts: { idleMs: 20_000, thanksMs: 3_000, guardMs: 2_000, settleMs },
    });

  it('every applicant finds it first; the language chosen there goes on to the first question and is stored with the answers', () => {
    const m = withLanguage();
    expect(m.state.screen).toEqual({ kind: 'language' });
    m.send({ type: 'chooseLanguage', language: 'ky' }, 1_000);
    expect(m.state).toMatchObject({ screen: { kind: 'question', question: 'csi' }, language: 'ky' });
    m.send(tap(5), 2_000);
    m.send(tap(9), 3_000);
    expect(m.records.map((r) => [r?.question, r?.locale])).toEqual([
      ['csi', 'ky'],
      ['nps', 'ky'],
    ]);
    m.send({ type: 'tick' }, 6_000);
    expect(m.state).toMatchObject({ screen: { kind: 'language' }, language: 'ru' });
  });

  it('button (or key) n chooses the n-th language; a number with no language changes nothing; nothing is stored', () => {
    const m = withLanguage();
    m.send({ type: 'score', value: 4, source: 'keyboard' }, 1_000);
    expect(m.state.screen).toEqual({ kind: 'language' });
    m.send({ type: 'score', value: 2, source: 'button:box1' }, 1_100);
    expect(m.state).toMatchObject({ screen: { kind: 'question', question: 'csi' }, language: 'uz' });
    expect(m.records).toEqual([]);
  });

  it('a press on «Спасибо!» brings the language screen and chooses nothing: languages are not on the box', () => {
    const m = withLanguage(400);
    m.send({ type: 'chooseLanguage', language: 'uz' }, 1_000);
    m.send(tap(5), 2_000);
    m.send(tap(9), 3_000);
    m.send({ type: 'score', value: 3, source: 'button:box1' }, 5_500);
    expect(m.state).toMatchObject({ screen: { kind: 'language' }, language: 'ru' });
    // The same finger landing again before the language screen settled chooses nothing either.
    m.send({ type: 'score', value: 3, source: 'button:box1' }, 5_600);
    m.send({ type: 'chooseLanguage', language: 'ky' }, 5_700);
    expect(m.state.screen).toEqual({ kind: 'language' });
    m.send({ type: 'score', value: 3, source: 'button:box1' }, 5_900);
    expect(m.state).toMatchObject({ screen: { kind: 'question', question: 'csi' }, language: 'ky' });
    expect(m.records.map((r) => r?.question)).toEqual(['csi', 'nps']);
  });

  it('an applicant who chose a language and walked away leaves the screen to the next in the default language', () => {
    const m = withLanguage();
    m.send({ type: 'chooseLanguage', language: 'uz' }, 1_000);
    m.send({ type: 'tick' }, 21_000);
    expect(m.state).toMatchObject({ screen: { kind: 'language' }, language: 'ru' });
  });
});
