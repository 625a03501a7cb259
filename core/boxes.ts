import { newId } from './ids.js';
import { boxAnswers, type BoxConfig, type BoxStatus } from '../shared/box.js';
import type { Action, PressReply, Screen } from '../shared/session.js';
import type { SerialBinding } from '../hardware/binding.js';
import { BoxDriver, type BoxTiming } from '../hardware/box.js';
import type { SessionPress } from './session.js';

export interface BoxesOptions {
  boxes: BoxConfig[];
  binding: SerialBinding;
  timing?: Partial<BoxTiming>;
  /** Into the one session, like every other input. */
  press(press: SessionPress): Promise<PressReply>;
  onStatus(): void;
}

/**
 * The console's button boxes: one driver each (hardware/), their presses turned into session
 * presses with the box's answer mapping, and the box's LED blinked only once the answer is stored.
 */
export class Boxes {
  private readonly drivers: { box: BoxConfig; driver: BoxDriver }[];
  /** Presses that could not be stored, per box: counted in the status, never dropped silently. */
  private readonly notStored = new Map<string, number>();

  constructor(private readonly options: BoxesOptions) {
    this.drivers = options.boxes.map((box) => {
      const driver: BoxDriver = new BoxDriver({
        box,
        binding: options.binding,
        timing: options.timing,
        onPress: (button) => void this.pressed(box, driver, button),
        onStatus: () => options.onStatus(),
      });
      return { box, driver };
    });
  }

  start(): void {
    this.drivers.forEach(({ driver }) => driver.start());
  }

  /** The queue opened or closed a rating: boxes with LEDs light them only while it is open. */
  showRatingOpen(open: boolean): void {
    this.drivers.forEach(({ driver }) => driver.showRatingOpen(open));
  }

  statuses(): BoxStatus[] {
    return this.drivers.map(({ box, driver }) => ({ ...driver.status, pressesNotStored: this.notStored.get(box.id) ?? 0 }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.drivers.map(({ driver }) => driver.stop()));
  }

  private async pressed(box: BoxConfig, driver: BoxDriver, button: number): Promise<void> {
    try {
      const reply = await this.options.press({
        id: newId(),
        // A box has no screen of its own: its buttons answer the one shown when the press's turn comes.
        screenId: null,
        source: `button:${box.id}`,
        action: (shown, first) => buttonAction(box, button, shown, first),
        cannotAnswer: box.unanswerable === 'skip' ? (shown) => cannotAnswer(box, shown) : undefined,
      });
      if (reply.outcome === 'stored') driver.acknowledge();
    } catch {
      // Not stored (the screen's retry has no box equivalent): the LED stays dark, the status counts it.
      this.notStored.set(box.id, (this.notStored.get(box.id) ?? 0) + 1);
      this.options.onStatus();
    }
  }
}

/**
 * What button n means on the screen shown. On «Спасибо!» it is a press on the first screen (it
 * starts the next response, or is misuse inside the guard interval). On the language screen it is
 * the n-th language. A question the box has no answer for is never guessed: skipped, or left to
 * the touch screen.
 */
function buttonAction(box: BoxConfig, button: number, shown: Screen, first: Screen | null): Action | null {
  const choosing = choosingAction(box, button, shown);
  if (choosing !== undefined) return choosing;
  const target = shown.kind === 'thanks' ? first : shown;
  if (target?.kind === 'language') return { type: 'score', value: button };
  const values = target?.kind === 'question' ? boxAnswers(box, target.question) : null;
  const value = values?.[button - 1];
  if (value !== undefined) return { type: 'score', value };
  return box.unanswerable === 'skip' && shown.kind !== 'thanks' ? { type: 'skip' } : null;
}

/**
 * The screens that collect before they store, from the box alone (every box has two buttons at least) (the screen shows which button
 * does what, `ConsoleSetup.boxButtons`): on the reasons, buttons 1…n−1 choose the first n−1
 * reasons and the last is «Готово» (with none chosen, the same as «Пропустить»); on the comment,
 * which a box cannot type, the last button is «Пропустить». Undefined: not such a screen.
 */
function choosingAction(box: BoxConfig, button: number, shown: Screen): Action | null | undefined {
  if (shown.kind !== 'reasons' && shown.kind !== 'comment') return undefined;
  const last = button === box.buttons;
  if (shown.kind === 'comment') return last ? { type: 'skip' } : null;
  return last ? { type: 'done' } : { type: 'score', value: button };
}

/** Screens a box has no buttons for: passed over after it answered the one before. */
function cannotAnswer(box: BoxConfig, shown: Screen): boolean {
  return shown.kind === 'question' && boxAnswers(box, shown.question) === null;
}
