import crypto from 'node:crypto';
import type { OpenReply } from '../../shared/supervisor.js';
import type { Clock } from '../clock.js';
import { NotAllowed } from '../errors.js';
import type { PinGate } from './pin.js';

/** Who opened a PIN session: the console's own screen (it pauses ratings) or a browser on the LAN. */
export interface Caller {
  onConsole: boolean;
  /** "console", or the LAN address: written into the audit log beside each change. */
  who: string;
}

interface Opened {
  caller: Caller;
  lastUsedMs: number;
}

export interface AccessDeps {
  gate: PinGate;
  clock: Clock;
  /** The screen goes back after this long without a touch; the token ends after this long without a call. */
  idleMs: () => number;
  /** True while a PIN session opened on the console is open: the applicant session takes no ratings. */
  onPausing(pausing: boolean): void;
}

/** A screen that calls nothing for this many idle times has gone (closed tab, crash): its token ends. */
const EXPIRY_IN_IDLE_TIMES = 2;

/**
 * PIN sessions: the PIN (through PinGate, with its lockout) buys a random token; every supervisor
 * method needs a live one. A token ends when closed or unused for twice the idle time (the screen
 * itself returns after one), so a crashed supervisor screen never leaves the console paused.
 */
export class SupervisorAccess {
  private readonly open = new Map<string, Opened>();
  private cancelTimer: () => void = () => undefined;
  private pausing = false;

  constructor(private readonly deps: AccessDeps) {}

  async openWith(
    pin: string,
    caller: Caller,
  ): Promise<{ token: string; pausesRatings: boolean } | Exclude<OpenReply, { status: 'open' }>> {
    const checked = await this.deps.gate.check(pin);
    if (!checked.ok) {
      if (checked.reason === 'wrong') return { status: 'wrong', attemptsLeft: checked.attemptsLeft };
      if (checked.reason === 'locked') return { status: 'locked', untilMs: checked.lockedUntilMs };
      return { status: 'no_pin' };
    }
    const token = crypto.randomBytes(32).toString('base64url');
    this.open.set(token, { caller, lastUsedMs: this.deps.clock.monoMs() });
    this.changed();
    return { token, pausesRatings: caller.onConsole };
  }

  /** The caller of a live token (and it lives on); refuses an unknown or ended one. */
  check(token: string): Caller {
    const opened = this.open.get(token);
    const live = opened !== undefined && !this.ended(opened);
    if (live) opened.lastUsedMs = this.deps.clock.monoMs();
    this.changed();
    if (!live) throw new NotAllowed('no supervisor session: enter the PIN (the session ends after the idle time)');
    return opened.caller;
  }

  close(token: string): boolean {
    const closed = this.open.delete(token);
    this.changed();
    return closed;
  }

  /** Ends every session (the console is stopping). */
  closeAll(): void {
    this.open.clear();
    this.cancelTimer();
  }

  private ended(opened: Opened): boolean {
    return this.deps.clock.monoMs() - opened.lastUsedMs >= this.deps.idleMs() * EXPIRY_IN_IDLE_TIMES;
  }

  /** After any change of the open sessions: drops those that ended, sets the next expiry, tells whether ratings pause. */
  private changed(): void {
    for (const [token, opened] of this.open) if (this.ended(opened)) this.open.delete(token);
    this.schedule();
    const pausing = [...this.open.values()].some((opened) => opened.caller.onConsole);
    if (pausing === this.pausing) return;
    this.pausing = pausing;
    this.deps.onPausing(pausing);
  }

  /** One timer, for the moment the oldest token ends. */
  private schedule(): void {
    this.cancelTimer();
    if (this.open.size === 0) return;
    const limit = this.deps.idleMs() * EXPIRY_IN_IDLE_TIMES;
    const oldest = Math.min(...[...this.open.values()].map((opened) => opened.lastUsedMs));
    this.cancelTimer = this.deps.clock.setTimer(oldest + limit - this.deps.clock.monoMs(), () => this.changed());
  }
}
