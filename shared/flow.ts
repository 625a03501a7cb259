import {
  isValidScore,
  MKGU_INDICATORS,
  mkguQuestion,
  type AnswerInput,
  type AnswerSource,
  type Reason,
  type ScoreQuestion,
} from './answer.js';
import type { FlowStep, PultConfig, ReasonChoice } from './config.js';
import type { Language } from './languages.js';
import { STANDARD_VISION, type Action, type Screen, type Vision } from './session.js';

/**
 * The applicant flow as a pure state machine: (state, input, now) → (next state, answer to store).
 * The screen applies the next state only after the core has stored the answer, so nothing is
 * shown as saved that is not on disk. Time is passed in, which keeps the machine testable.
 */

export type { ScoreQuestion };
export type { Screen };

/** A screen of the flow: a question (a federal criterion may be skipped without a response begun), the reasons, the comment. */
type Step =
  | { type: 'language' }
  | { type: 'question'; question: ScoreQuestion; skippable: boolean }
  | { type: 'reasons_if_low'; threshold: number; reasons: readonly ReasonChoice[] }
  | { type: 'comment' };

/** The configured steps as screens: `mkgu` is its five criteria, one per screen. */
export function screensOf(flow: readonly FlowStep[]): Step[] {
  return flow.flatMap((step): Step[] => {
    if (step.type === 'language' || step.type === 'reasons_if_low' || step.type === 'comment') return [step];
    if (step.type === 'mkgu')
      return MKGU_INDICATORS.map((indicator) => ({ type: 'question', question: mkguQuestion(indicator), skippable: true }));
    return [{ type: 'question', question: step.type, skippable: false }];
  });
}

/** The first question of a flow (a new response's first answer): what a press inside the guard is filed under. */
export function firstQuestionOf(flow: readonly FlowStep[]): ScoreQuestion | null {
  const first = screensOf(flow).find((step) => step.type !== 'language');
  return first?.type === 'question' ? first.question : null;
}

/** The screen a new applicant finds: what a box press on «Спасибо!» answers. */
export function firstScreenOf(flow: readonly FlowStep[]): Screen | null {
  const first = screensOf(flow)[0];
  if (first?.type === 'language') return { kind: 'language' };
  return first?.type === 'question' ? { kind: 'question', question: first.question } : null;
}

export interface FlowState {
  /** Index into the flow's screens (`screensOf`) of the screen shown; their count while thanking. */
  stepIndex: number;
  screen: Screen;
  /** Set by the first stored answer of a response; null before it. */
  responseId: string | null;
  language: Language;
  /** «Версия для слабовидящих» as this applicant set it (standard for the next one). */
  vision: Vision;
  lastCsi: number | null;
  /** When the last response was completed: starts the thank-you and the guard interval. */
  completedAtMs: number | null;
  lastInputAtMs: number;
  /** When the screen shown appeared: presses before it settled were aimed at the screen before. */
  shownAtMs: number;
  /** This response was shown the comment screen (a reason opened it): the comment step is not shown again. */
  commented: boolean;
}

/**
 * What the machine is told: what the person did (the session's `Action`, shared/session.ts, the
 * same names) and where it came from — or that time passed, which ends the thank-you screen and
 * abandons an idle response.
 */
type Answering = Extract<Action, { type: 'score' | 'done' }>;
export type FlowInput =
  (Answering & { source: AnswerSource }) | (Exclude<Action, Answering> & { source?: AnswerSource }) | { type: 'tick' };

export interface Transition {
  state: FlowState;
  /** The answer to store before `state` may be shown; null when nothing is stored. */
  record: AnswerInput | null;
}

export interface FlowSetup {
  flow: FlowStep[];
  language: PultConfig['language'];
  timeouts: PultConfig['timeouts'];
}

export interface Flow {
  initial(nowMs: number): FlowState;
  step(state: FlowState, input: FlowInput, nowMs: number): Transition;
  /** From when a press on the screen shown counts as an answer to it. */
  settlesAtMs(state: FlowState): number;
  /**
   * Passes over the screen shown without an answer, settled or not: for an input that cannot
   * answer it (a button box on a question it has no buttons for). Nothing is stored.
   */
  pass(state: FlowState, nowMs: number): FlowState;
  /** The first screen as a new applicant finds it: nothing to reset when nobody touches it. */
  isUntouched(state: FlowState): boolean;
  /** Whether «Пропустить» is offered on the screen shown. */
  canSkip(state: FlowState): boolean;
}

export function createFlow(setup: FlowSetup, newResponseId: () => string): Flow {
  const { timeouts } = setup;
  const flow = screensOf(setup.flow);
  const firstQuestion = firstQuestionOf(setup.flow);
  const firstScreen = firstScreenOf(setup.flow);
  if (firstQuestion === null || firstScreen === null) throw new Error('the flow must start with a question');

  const initial = (nowMs: number, completedAtMs: number | null = null, shownAtMs = nowMs): FlowState => ({
    stepIndex: 0,
    screen: firstScreen,
    responseId: null,
    language: setup.language.default,
    vision: STANDARD_VISION,
    lastCsi: null,
    completedAtMs,
    lastInputAtMs: nowMs,
    shownAtMs,
    commented: false,
  });

  const shown = (state: FlowState, stepIndex: number, screen: Screen, nowMs: number): FlowState => ({
    ...state,
    stepIndex,
    screen,
    lastInputAtMs: nowMs,
    shownAtMs: nowMs,
  });

  /** The first screen after `from` that applies to this response, or the thank-you screen. */
  const advance = (state: FlowState, from: number, nowMs: number): FlowState => {
    for (let index = from + 1; index < flow.length; index++) {
      const step = flow[index]!;
      if (step.type === 'comment') {
        if (state.commented) continue;
        return shown({ ...state, commented: true }, index, { kind: 'comment' }, nowMs);
      }
      if (step.type === 'reasons_if_low') {
        if (state.lastCsi !== null && state.lastCsi <= step.threshold)
          return shown(state, index, { kind: 'reasons', selected: [] }, nowMs);
        continue;
      }
      // The language screen is the first (config rule): only a new applicant finds it.
      if (step.type === 'language') continue;
      return shown(state, index, { kind: 'question', question: step.question }, nowMs);
    }
    return {
      ...state,
      stepIndex: flow.length,
      screen: { kind: 'thanks' },
      responseId: null,
      completedAtMs: nowMs,
      lastInputAtMs: nowMs,
      shownAtMs: nowMs,
    };
  };

  const settlesAtMs = (state: FlowState): number => state.shownAtMs + timeouts.settleMs;
  /**
   * A double tap or a bouncing finger lands its second touch on whatever appeared under it. A
   * press before the new screen settled is not an answer to it: it changes and stores nothing.
   */
  const unsettled = (state: FlowState, nowMs: number): boolean => state.screen.kind !== 'thanks' && nowMs < settlesAtMs(state);
  const ignored = (state: FlowState): Transition => ({ state, record: null });

  const inGuard = (state: FlowState, nowMs: number): boolean =>
    state.completedAtMs !== null && nowMs - state.completedAtMs < timeouts.guardMs;

  const isUntouched = (state: FlowState): boolean =>
    state.responseId === null &&
    state.stepIndex === 0 &&
    state.language === setup.language.default &&
    JSON.stringify(state.vision) === JSON.stringify(STANDARD_VISION);

  /** A press inside the guard interval is kept as evidence, flagged, and changes nothing. */
  const misuse = (state: FlowState, value: number, source: AnswerSource): Transition => {
    if (!isValidScore(firstQuestion, value)) return { state, record: null };
    const record: AnswerInput = {
      question: firstQuestion,
      value,
      responseId: newResponseId(),
      locale: state.language,
      source,
      flags: ['misuse'],
    };
    return { state, record };
  };

  const score = (state: FlowState, value: number, source: AnswerSource, nowMs: number): Transition => {
    const { screen } = state;
    if (screen.kind === 'thanks') {
      if (inGuard(state, nowMs)) return misuse(state, value, source);
      // A button box pressed after the guard, while «Спасибо!» still shows, starts the next response
      // (its buttons are the first question, in sight all along: nothing to settle). Languages are
      // not on the box: the press only brings the language screen, to choose from what it shows.
      if (firstScreen.kind === 'language') return { state: initial(nowMs, state.completedAtMs), record: null };
      return score(initial(nowMs, state.completedAtMs, -Infinity), value, source, nowMs);
    }
    if (unsettled(state, nowMs)) {
      // Inside the guard interval the press is still evidence of misuse; otherwise it is ignored.
      return state.responseId === null && inGuard(state, nowMs) ? misuse(state, value, source) : ignored(state);
    }
    if (screen.kind === 'reasons') {
      const reason = reasonsShown(state)[value - 1];
      return reason ? toggle(state, reason.id, nowMs) : { state, record: null };
    }
    if (screen.kind === 'comment') return { state, record: null };
    if (screen.kind === 'language') {
      // A box's button n (or a key n) is the n-th language on the screen.
      const language = setup.language.enabled[value - 1];
      return language ? chooseLanguage(state, language, nowMs) : { state, record: null };
    }
    if (state.responseId === null && inGuard(state, nowMs)) return misuse(state, value, source);
    if (!isValidScore(screen.question, value)) return { state, record: null };
    const responseId = state.responseId ?? newResponseId();
    const record: AnswerInput = { question: screen.question, value, responseId, locale: state.language, source, flags: [] };
    const answered = { ...state, responseId, lastCsi: screen.question === 'csi' ? value : state.lastCsi };
    return { state: advance(answered, state.stepIndex, nowMs), record };
  };

  /** The reasons of the reasons screen shown, in their order (the config's, else ours). */
  const reasonsShown = (state: FlowState): readonly ReasonChoice[] => {
    const step = flow[state.stepIndex];
    return step?.type === 'reasons_if_low' ? step.reasons : [];
  };

  const toggle = (state: FlowState, reason: Reason, nowMs: number): Transition => {
    if (state.screen.kind !== 'reasons' || !reasonsShown(state).some((r) => r.id === reason)) return { state, record: null };
    const { selected } = state.screen;
    const next = selected.includes(reason) ? selected.filter((r) => r !== reason) : [...selected, reason];
    return { state: { ...state, screen: { kind: 'reasons', selected: next }, lastInputAtMs: nowMs }, record: null };
  };

  const submitReasons = (state: FlowState, source: AnswerSource, nowMs: number): Transition => {
    if (state.screen.kind !== 'reasons' || state.responseId === null) return { state, record: null };
    if (state.screen.selected.length === 0) return { state: advance(state, state.stepIndex, nowMs), record: null };
    const record: AnswerInput = {
      question: 'reasons',
      reasons: state.screen.selected,
      responseId: state.responseId,
      locale: state.language,
      source,
      flags: [],
    };
    // A reason that asks for words («Другое»): the comment screen comes next, once per response.
    const opensComment = reasonsShown(state).some(
      (r) => r.comment && state.screen.kind === 'reasons' && state.screen.selected.includes(r.id),
    );
    if (opensComment && !state.commented)
      return { state: shown({ ...state, commented: true }, state.stepIndex, { kind: 'comment' }, nowMs), record };
    return { state: advance(state, state.stepIndex, nowMs), record };
  };

  /** «Готово» on the comment screen: the text is the response's comment; nothing typed is a skip. */
  const submitComment = (state: FlowState, text: string, source: AnswerSource, nowMs: number): Transition => {
    if (state.screen.kind !== 'comment' || state.responseId === null) return { state, record: null };
    const comment = text.trim();
    const next = advance(state, state.stepIndex, nowMs);
    if (comment === '') return { state: next, record: null };
    const record: AnswerInput = {
      question: 'comment',
      comment,
      responseId: state.responseId,
      locale: state.language,
      source,
      flags: [],
    };
    return { state: next, record };
  };

  /** On the language screen the choice goes on to the first question; elsewhere (the header) it only switches. */
  const chooseLanguage = (state: FlowState, language: Language, nowMs: number): Transition => {
    if (!setup.language.enabled.includes(language)) return { state, record: null };
    const chosen = { ...state, language, lastInputAtMs: nowMs };
    return { state: state.screen.kind === 'language' ? advance(chosen, state.stepIndex, nowMs) : chosen, record: null };
  };

  const tick = (state: FlowState, nowMs: number): Transition => {
    if (state.screen.kind === 'thanks') {
      const shownFor = nowMs - (state.completedAtMs ?? nowMs);
      return { state: shownFor >= timeouts.thanksMs ? initial(nowMs, state.completedAtMs) : state, record: null };
    }
    // Walked away mid-way: what was stored stays, the rest is not invented, the language resets.
    if (!isUntouched(state) && nowMs - state.lastInputAtMs >= timeouts.idleMs) return { state: initial(nowMs), record: null };
    return { state, record: null };
  };

  /** Inputs that answer the screen shown; the header's language switch and time are not among them. */
  const answersScreen = (state: FlowState, input: FlowInput): boolean =>
    input.type === 'toggleReason' ||
    input.type === 'done' ||
    input.type === 'skip' ||
    input.type === 'comment' ||
    (input.type === 'chooseLanguage' && state.screen.kind === 'language');

  const step = (state: FlowState, input: FlowInput, nowMs: number): Transition => {
    if (answersScreen(state, input) && unsettled(state, nowMs)) return ignored(state);
    switch (input.type) {
      case 'score':
        return score(state, input.value, input.source, nowMs);
      case 'toggleReason':
        return toggle(state, input.reason, nowMs);
      case 'done':
        return submitReasons(state, input.source, nowMs);
      case 'comment':
        return submitComment(state, input.text, input.source ?? 'touch', nowMs);
      case 'typing':
        return state.screen.kind === 'comment' ? { state: { ...state, lastInputAtMs: nowMs }, record: null } : ignored(state);
      case 'skip':
        if (!canSkip(state)) return { state, record: null };
        return { state: advance(state, state.stepIndex, nowMs), record: null };
      case 'chooseLanguage':
        return chooseLanguage(state, input.language, nowMs);
      case 'setVision':
        return { state: { ...state, vision: { ...state.vision, ...input.vision }, lastInputAtMs: nowMs }, record: null };
      case 'tick':
        return tick(state, nowMs);
    }
  };

  const pass = (state: FlowState, nowMs: number): FlowState =>
    state.screen.kind === 'thanks' || state.responseId === null ? state : advance(state, state.stepIndex, nowMs);

  /** «Пропустить»: once a response is under way, or on a federal criterion (nothing is stored for it). */
  const canSkip = (state: FlowState): boolean => {
    if (state.screen.kind === 'thanks') return false;
    const shown = flow[state.stepIndex];
    return state.responseId !== null || (shown?.type === 'question' && shown.skippable);
  };

  return { initial: (nowMs) => initial(nowMs), step, settlesAtMs, pass, isUntouched, canSkip };
}
