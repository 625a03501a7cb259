import fs from 'node:fs';
import type { Transform } from 'node:stream';
import type { BindingInterface } from '@serialport/bindings-interface';
import { SerialPortStream } from '@serialport/stream';
import type { BoxConfig, BoxLink, BoxProblem } from '../shared/box.js';
import { listPorts, pickPort } from './ports.js';
import { dialectOf, type BoxDialect, type BoxSignal } from './protocol.js';

export interface BoxTiming {
  /** Backoff between attempts to open a port that is there but will not open (0.5 s → 10 s). */
  firstRetryMs: number;
  maxRetryMs: number;
  /** How often an absent device is looked for: it is opened as soon as it returns. */
  lookEveryMs: number;
  /** Pult boxes are pinged this often; one that answers nothing for `silentAfterMs` is reopened. */
  pingEveryMs: number;
  silentAfterMs: number;
}

export const DEFAULT_TIMING: BoxTiming = {
  firstRetryMs: 500,
  maxRetryMs: 10_000,
  lookEveryMs: 500,
  pingEveryMs: 2_000,
  silentAfterMs: 6_500,
};

export interface BoxDriverOptions {
  box: BoxConfig;
  /** The serial binding (the OS's, or @serialport/binding-mock in tests): injected, never imported here. */
  binding: BindingInterface;
  timing?: Partial<BoxTiming>;
  now?: () => number;
  /** A press of button n, after debouncing and dropping a repeated line. */
  onPress(button: number): void;
  onStatus(status: BoxLink): void;
}

type Ended = BoxProblem;
const problem = (kind: BoxProblem['kind'], detail: string | null = null): BoxProblem => ({ kind, detail });

/**
 * One button box: finds its port, opens it, reads presses, and when the device goes away — the
 * port closes, a write fails, or a Pult box stops answering pings (Windows often never reports
 * the close) — reports it disconnected and opens it again when it is back, under the same or a
 * new path. Runs until `stop()`.
 */
export class BoxDriver {
  private readonly dialect: BoxDialect;
  private readonly timing: BoxTiming;
  private readonly now: () => number;
  private state: BoxLink;
  private port: SerialPortStream | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Ends the connection being served (stop() uses it). */
  private hangUp: ((why: Ended) => void) | null = null;
  private running: Promise<void> = Promise.resolve();
  private lastSeq: string | undefined;
  private readonly lastSeenAt = new Map<number, number>();

  constructor(private readonly options: BoxDriverOptions) {
    this.dialect = dialectOf(options.box.profile);
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.now = options.now ?? Date.now;
    this.state = {
      id: options.box.id,
      connected: false,
      port: null,
      firmware: null,
      lastPressAtMs: null,
      invalidFrames: 0,
      problem: null,
    };
  }

  get status(): BoxLink {
    return this.state;
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.hangUp?.(problem('stopped'));
    await this.running;
  }

  /** Whether the LEDs should be lit (null: the console does not drive them — no queue). */
  private lit: boolean | null = null;

  /**
   * Lights every button's LED (a rating is open) or puts them out (Pult boxes): said now and again
   * each time the box connects, so a box plugged in mid-visit shows the right state.
   */
  showRatingOpen(open: boolean): void {
    if (this.lit === open) return;
    this.lit = open;
    this.sendLights();
  }

  private sendLights(): void {
    const { light, allOff } = this.dialect;
    if (this.lit === null || !light || !allOff) return;
    this.send(allOff);
    if (this.lit) for (let led = 1; led <= this.options.box.buttons; led++) this.send(light(led));
  }

  /** The answer of the last press is on disk: the box may blink it (Pult boxes). */
  acknowledge(): void {
    if (this.dialect.ack) this.send(this.dialect.ack);
  }

  private async run(): Promise<void> {
    let retryMs = this.timing.firstRetryMs;
    while (!this.stopped) {
      const found = await this.find();
      if ('problem' in found) {
        this.update({ connected: false, problem: found.problem });
        retryMs = this.timing.firstRetryMs;
        await this.sleep(this.timing.lookEveryMs);
        continue;
      }
      let port: SerialPortStream;
      try {
        port = await this.open(found.path);
      } catch (error) {
        this.update({ connected: false, port: found.path, problem: problem('open_failed', messageOf(error)) });
        await this.sleep(retryMs);
        retryMs = Math.min(retryMs * 2, this.timing.maxRetryMs);
        continue;
      }
      retryMs = this.timing.firstRetryMs;
      const ended = await this.serve(port, found.path);
      this.update({ connected: false, problem: ended });
    }
    this.update({ connected: false, problem: problem('stopped') });
  }

  private async find(): Promise<{ path: string } | { problem: BoxProblem }> {
    const { port } = this.options.box;
    try {
      if ('path' in port)
        return (await this.exists(port.path)) ? { path: port.path } : { problem: problem('not_found', port.path) };
      const picked = pickPort(await listPorts(this.options.binding), port.match);
      if ('path' in picked) return picked;
      return {
        problem: picked.problem === 'ambiguous' ? problem('ambiguous', String(picked.count)) : problem('not_found'),
      };
    } catch (error) {
      return { problem: problem('listing_failed', messageOf(error)) };
    }
  }

  /** A device file (a pty link included), or a port the binding lists (a mock, a Windows COM port). */
  private async exists(path: string): Promise<boolean> {
    return fs.existsSync(path) || (await this.options.binding.list()).some((port) => port.path === path);
  }

  private open(path: string): Promise<SerialPortStream> {
    const { profile } = this.options.box;
    return new Promise((resolve, reject) => {
      const port = new SerialPortStream({
        binding: this.options.binding,
        path,
        baudRate: profile.baudRate,
        parity: profile.parity,
        dataBits: 8,
        stopBits: 1,
        autoOpen: false,
      });
      port.open((error) => (error ? reject(error) : resolve(port)));
    });
  }

  /** Reads from an open port until it ends; resolves with why it ended. */
  private serve(port: SerialPortStream, path: string): Promise<Ended> {
    this.port = port;
    const pinged = this.dialect.ping !== null;
    let heardAt = this.now();
    this.update({ connected: !pinged, port: path, problem: pinged ? problem('no_answer_yet') : null });
    return new Promise<Ended>((resolve) => {
      const parser: Transform = this.dialect.parser();
      let timer: ReturnType<typeof setInterval> | undefined;
      let ended = false;
      const end = (why: Ended) => {
        if (ended) return;
        ended = true;
        clearInterval(timer);
        this.port = null;
        this.hangUp = null;
        port.unpipe(parser);
        parser.removeAllListeners('data');
        port.removeAllListeners();
        port.on('error', () => undefined);
        const finish = () => {
          port.destroy();
          resolve(why);
        };
        if (port.isOpen) port.close(finish);
        else finish();
      };
      this.hangUp = end;
      parser.on('data', (frame: string | Buffer) => {
        heardAt = this.now();
        this.take(this.dialect.decode(frame));
      });
      port.on('close', (error: (Error & { disconnected?: boolean }) | null) =>
        end(problem('disconnected', error?.disconnected ? null : 'closed')),
      );
      port.on('error', (error: Error) => end(problem('disconnected', error.message)));
      port.pipe(parser);
      this.sendLights();
      if (pinged) {
        const ping = () => {
          if (this.now() - heardAt > this.timing.silentAfterMs) return end(problem('silent'));
          this.send(this.dialect.ping!, end);
        };
        ping();
        timer = setInterval(ping, this.timing.pingEveryMs);
      }
      if (this.stopped) end(problem('stopped'));
    });
  }

  private take(signal: BoxSignal): void {
    // Counted, not published: a noisy line must not flood the screens with status events.
    if (signal.kind === 'invalid') return this.countInvalid();
    if (!this.state.connected) this.update({ connected: true, problem: null });
    if (signal.kind === 'hello') return this.update({ firmware: signal.firmware });
    if (signal.button > this.options.box.buttons) return this.countInvalid();
    // A line sent again after a reconnect is the same button with the same counter: one press. (A
    // box that restarted counts from 1 again: only the very same line is dropped.)
    if (signal.seq !== undefined) {
      const key = `${signal.button}#${signal.seq}`;
      if (key === this.lastSeq) return;
      this.lastSeq = key;
    }
    // A held or chattering button: presses of it closer together than debounceMs are one.
    const at = this.now();
    const last = this.lastSeenAt.get(signal.button);
    this.lastSeenAt.set(signal.button, at);
    if (last !== undefined && at - last < this.options.box.debounceMs) return;
    this.update({ lastPressAtMs: at });
    this.options.onPress(signal.button);
  }

  private send(bytes: Buffer, onFailure?: (why: Ended) => void): void {
    const port = this.port;
    if (!port?.isOpen) return;
    port.write(bytes, (error) => {
      if (error) onFailure?.(problem('write_failed', error.message));
    });
  }

  private countInvalid(): void {
    this.state = { ...this.state, invalidFrames: this.state.invalidFrames + 1 };
  }

  private update(change: Partial<BoxLink>): void {
    const next = { ...this.state, ...change };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    this.options.onStatus(next);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
