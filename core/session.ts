import { AnswerInputSchema, type AnswerSource, type ParsedAnswer } from '../shared/answer.js';
import { createFlow, firstScreenOf, type Flow, type FlowInput, type FlowSetup, type FlowState } from '../shared/flow.js';
import type { Action, PressOutcome, PressReply, Screen, SessionView } from '../shared/session.js';
import type { Clock } from './clock.js';
import { InvalidInput } from './errors.js';
import { serialQueue } from './serial.js';
import type { Appended } from './storage/ledger.js';

/** A press as the session takes it, from any input: a screen, a key, a button box. */
export interface SessionPress {
  /** Made where the press was made; the same id twice is applied once. */
  id: string;
  /** The screen the person saw; null for a box, whose buttons answer whatever is shown. */
  screenId: string | null;
  /** Decided by the shell that received the press (touch, keyboard) or the core (`button:<box>`). */
  source: AnswerSource;
  /**
   * What was done — or, for a box, how to read its button on the screen shown when the press's
   * turn comes (inside the session's serial step, so no screen can change in between); null: the
   * button means nothing there.
   */
  action: Action | ((shown: Screen, first: Screen | null) => Action | null);
  /** Screens this input cannot answer: passed over after it answered (a box with no NPS buttons). */
  cannotAnswer?: (screen: Screen) => boolean;
}

export interface BurstLimit {
  /** More answers than this within `withinMs` are presses nobody reads the screen for: kept as misuse. 0: no limit. */
  presses: number;
  withinMs: number;
}

export interface SessionDeps {
  /** Replaced by `reconfigure`. */
  setup: FlowSetup;
  clock: Clock;
  burst: BurstLimit;
  /** This run of the console (the answers' boot id too): a screen that sees it change knows the console restarted. */
  bootId: string;
  newId(): string;
  /** The answer a press stored before (possibly before a restart), or null. */
  storedBy(pressId: string): { id: string; seq: number } | null;
  /** Stores the answer durably (resolves after COMMIT); `replayed` when this press was stored before. */
  store(answer: ParsedAnswer, pressId: string): Promise<Appended>;
  /** Every change of the view, in order: screens repaint from it. */
  onChange(view: SessionView): void;
  /** The electronic queue's ticket open for rating, and whether ratings wait for one (`queue.mode: required`). */
  queue?: () => { required: boolean; ticket: SessionView['ticket'] };
}

type Applied = Pick<PressReply, 'outcome' | 'answer'>;

/** Press ids remembered in memory (stored presses are also remembered on disk, see the presses table). */
const RECENT_PRESSES = 512;

/**
 * The ONE applicant session of this console. Every input is a press into it; it asks the flow
 * machine (shared/flow.ts) what the press means now, stores the answer, and only after COMMIT
 * moves on and publishes the new view. Presses and timers run one at a time, in arrival order, so
 * two screens and a box pressed at once see one session and store one answer.
 */
export class Session {
  private flow: Flow;
  private state: FlowState;
  private screenId: string;
  private version = 0;
  private settled = false;
  /** Presses and timers, one at a time. */
  private readonly serially = serialQueue();
  private readonly recent = new Map<string, Applied>();
  /** When the last counted answers were stored (monotonic), for the burst limit. */
  private storedAt: number[] = [];
  private cancelTimer: () => void = () => undefined;
  private closed = false;
  private paused = false;

  constructor(private readonly deps: SessionDeps) {
    this.flow = createFlow(deps.setup, deps.newId);
    this.state = this.flow.initial(this.now());
    this.screenId = deps.newId();
    this.settled = this.isSettled();
    this.schedule();
  }

  view(): SessionView {
    const { state } = this;
    return {
      bootId: this.deps.bootId,
      version: this.version,
      screenId: this.screenId,
      screen: state.screen,
      language: state.language,
      vision: state.vision,
      canSkip: this.flow.canSkip(state),
      settled: this.settled,
      paused: this.paused,
      ...this.ticketView(),
    };
  }

  private ticketView(): Pick<SessionView, 'ticket' | 'waitingForTicket'> {
    const queue = this.deps.queue?.();
    return { ticket: queue?.ticket ?? null, waitingForTicket: queue ? queue.required && queue.ticket === null : false };
  }

  /**
   * The queue moved on: a new ticket is a new applicant (the screen starts afresh); a rating that
   * opened or closed is redrawn.
   */
  queueChanged(newApplicant: boolean): Promise<void> {
    return this.serially(async () => {
      if (this.closed) return;
      // A response left half-done belongs to the applicant before: the next starts afresh. A language
      // chosen while waiting for the call stays: it is the next applicant's own choice.
      if (newApplicant && !this.paused && this.state.responseId !== null) return this.restart();
      this.publish();
    });
  }

  /**
   * The supervisor screen opened (or closed) on the console: while paused every press is ignored
   * and every screen says so. Closing starts afresh for the next applicant; the one before is gone.
   */
  setPaused(paused: boolean): Promise<void> {
    return this.serially(async () => {
      if (paused === this.paused) return;
      this.paused = paused;
      if (!paused) return this.restart();
      this.cancelTimer();
      this.publish();
    });
  }

  /** The supervisor changed the flow, languages or timeouts: the next applicant starts with them. */
  reconfigure(setup: FlowSetup): Promise<void> {
    return this.serially(async () => {
      this.deps.setup = setup;
      this.flow = createFlow(setup, this.deps.newId);
      if (!this.paused) this.restart();
    });
  }

  private restart(): void {
    this.state = this.flow.initial(this.now());
    this.screenId = this.deps.newId();
    this.settled = this.isSettled();
    this.publish();
  }

  /** Applies one press; the reply carries the view after it, so the screen repaints at once. */
  press(press: SessionPress): Promise<PressReply> {
    return this.serially(async () => {
      const known = this.recent.get(press.id);
      const applied = known ? { outcome: 'replayed' as const, answer: known.answer } : await this.apply(press);
      if (!known) this.remember(press.id, applied);
      return { ...applied, session: this.view() };
    });
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
  }

  private now(): number {
    return this.deps.clock.monoMs();
  }

  private async apply(press: SessionPress): Promise<Applied> {
    // A press sent again after the console restarted between COMMIT and reply finds its answer on
    // disk before it is refused or moves a screen. A press that goes on to be stored needs no look-up
    // here: the ledger makes it inside the answer's transaction (one indexed read fewer per tap).
    const unstored = (outcome: PressOutcome): Applied => {
      const earlier = this.deps.storedBy(press.id);
      return earlier ? { outcome: 'replayed', answer: earlier } : { outcome, answer: null };
    };
    if (this.paused || (press.screenId !== null && press.screenId !== this.screenId)) return unstored('ignored');
    // Ratings wait for a ticket: nothing a press does is stored (a language or the view may be chosen), and the screen says why.
    const adjusting =
      typeof press.action !== 'function' && (press.action.type === 'chooseLanguage' || press.action.type === 'setVision');
    if (this.ticketView().waitingForTicket && !adjusting) return unstored('ignored');
    const action =
      typeof press.action === 'function' ? press.action(this.state.screen, firstScreenOf(this.deps.setup.flow)) : press.action;
    if (!action) return unstored('ignored');
    if (action.type === 'chooseLanguage' && !this.deps.setup.language.enabled.includes(action.language))
      throw new InvalidInput(`language "${action.language}" is not enabled on this console`);
    const at = this.now();
    const { state, record } = this.flow.step(this.state, flowInput(action, press.source), at);
    if (!record) {
      if (state === this.state) return unstored('ignored');
      const moved = unstored('moved');
      if (moved.outcome === 'moved') this.show(state);
      return moved;
    }
    const counts = !record.flags?.includes('misuse') && !this.overBurst(at);
    const answer = counts ? record : { ...record, responseId: this.deps.newId(), flags: ['misuse' as const] };
    const { replayed, id, seq } = await this.deps.store(AnswerInputSchema.parse(answer), press.id);
    const stored = { id, seq };
    if (replayed) return { outcome: 'replayed', answer: stored };
    if (!counts) return { outcome: 'misuse', answer: stored };
    this.storedAt.push(at);
    this.show(this.passUnanswerable(state, press, at));
    return { outcome: 'stored', answer: stored };
  }

  /** A box that answered the question passes over what it has no buttons for; never guesses an answer. */
  private passUnanswerable(state: FlowState, press: SessionPress, at: number): FlowState {
    let next = state;
    while (press.cannotAnswer && next.screen.kind !== 'thanks' && press.cannotAnswer(next.screen)) {
      const passed = this.flow.pass(next, at);
      if (passed === next) break;
      next = passed;
    }
    return next;
  }

  private overBurst(at: number): boolean {
    const { presses, withinMs } = this.deps.burst;
    if (presses === 0) return false;
    this.storedAt = this.storedAt.filter((t) => at - t < withinMs);
    return this.storedAt.length >= presses;
  }

  /** Publishes `state`; a new screen gets a new id (presses aimed at the old one no longer apply). */
  private show(state: FlowState): void {
    const previous = this.state;
    this.state = state;
    if (state.shownAtMs !== previous.shownAtMs || state.screen.kind !== previous.screen.kind) this.screenId = this.deps.newId();
    this.settled = this.isSettled();
    this.publish();
  }

  private publish(): void {
    this.version++;
    this.schedule();
    this.deps.onChange(this.view());
  }

  private isSettled(): boolean {
    return this.state.screen.kind === 'thanks' || this.now() >= this.flow.settlesAtMs(this.state);
  }

  /** One timer, for the next moment the view changes by itself: settled, thank-you over, walked away. */
  private schedule(): void {
    this.cancelTimer();
    if (this.closed || this.paused) return;
    const { state } = this;
    const { thanksMs, idleMs } = this.deps.setup.timeouts;
    const due = [
      this.settled ? Infinity : this.flow.settlesAtMs(state),
      // An untouched first screen has nothing to reset: no idle timer (it would fire again and again).
      state.screen.kind === 'thanks'
        ? (state.completedAtMs ?? 0) + thanksMs
        : this.flow.isUntouched(state)
          ? Infinity
          : state.lastInputAtMs + idleMs,
    ];
    const at = Math.min(...due);
    if (at === Infinity) return;
    this.cancelTimer = this.deps.clock.setTimer(at - this.now(), () => void this.serially(async () => this.onTime()));
  }

  private onTime(): void {
    if (this.closed) return;
    const { state } = this.flow.step(this.state, { type: 'tick' }, this.now());
    if (state !== this.state) return this.show(state);
    if (this.isSettled() !== this.settled) {
      this.settled = !this.settled;
      return this.publish();
    }
    this.schedule();
  }

  private remember(id: string, applied: Applied): void {
    this.recent.set(id, applied);
    if (this.recent.size > RECENT_PRESSES) this.recent.delete(this.recent.keys().next().value!);
  }
}

/** The flow machine takes the person's action by its own name, with where it came from. */
const flowInput = (action: Action, source: AnswerSource): FlowInput => ({ ...action, source });
