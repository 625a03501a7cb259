import path from 'node:path';
import type { Duplex } from 'node:stream';
import { SerialPortStream } from '@serialport/stream';
import type { SerialBinding } from './binding.js';
import { createPtyPair } from './pty.js';
import { LineParser } from './framing.js';
import { checksum } from './protocol.js';

export type ConsoleCommand =
  { kind: 'ping' } | { kind: 'ack' } | { kind: 'allOff' } | { kind: 'light'; led: number } | { kind: 'unknown'; line: string };

/**
 * A Pult box in software, on the far end of a serial line (a pty pair): answers pings, sends
 * presses with a counter and a checksum, tells what the console sent back. `pult box-sim` drives
 * it from the keyboard; the hardware tests drive it from code.
 */
export class BoxSimulator {
  private seq = 0;
  private lastLine: string | null = null;

  constructor(
    private readonly port: Duplex,
    private readonly options: { buttons: number; firmware?: string; onCommand?: (command: ConsoleCommand) => void },
  ) {
    const lines = port.pipe(new LineParser());
    lines.on('data', (line: string) => this.answer(line));
  }

  /** Presses button n: `B<n> #<seq> *<xx>`. Returns the line sent. */
  press(button: number): string {
    const body = `B${button} #${++this.seq}`;
    this.lastLine = `${body} *${checksum(body)}`;
    this.port.write(`${this.lastLine}\r\n`);
    return this.lastLine;
  }

  /** Sends bytes as they are: what a booting box, a loose cable or wrong wiring puts on the line. */
  sendRaw(bytes: Buffer | string): void {
    this.port.write(bytes);
  }

  /** Sends the last press again, as a box does after a reconnect when it saw no acknowledgement. */
  repeatLast(): void {
    if (this.lastLine) this.port.write(`${this.lastLine}\r\n`);
  }

  private answer(line: string): void {
    const command = parseCommand(line);
    if (command.kind === 'ping') this.port.write(`!PULT ${this.options.firmware ?? 'sim-1.0'} ${this.options.buttons}\r\n`);
    this.options.onCommand?.(command);
  }
}

function parseCommand(line: string): ConsoleCommand {
  if (line === '?') return { kind: 'ping' };
  if (line === 'A') return { kind: 'ack' };
  if (line === 'Z') return { kind: 'allOff' };
  const light = /^L([1-9])$/.exec(line);
  if (light) return { kind: 'light', led: Number(light[1]) };
  return { kind: 'unknown', line };
}

/** Opens `file` as a serial port (the simulator's end of a pty pair). */
export function openSerial(binding: SerialBinding, file: string, baudRate = 9600): Promise<SerialPortStream> {
  return new Promise((resolve, reject) => {
    const port = new SerialPortStream({ binding, path: file, baudRate, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

export interface VirtualBox {
  /** The path to put in the console's config. */
  consolePath: string;
  sim: BoxSimulator;
  /** Unplugs it: the simulator's port closes and socat ends, so both device paths vanish. */
  close(): Promise<void>;
}

/** A Pult box simulator on a fresh socat pty pair in `dir` (`<dir>/console` for the console). */
export async function virtualBox(options: {
  dir: string;
  buttons: number;
  binding: SerialBinding;
  onCommand?: (command: ConsoleCommand) => void;
}): Promise<VirtualBox> {
  const pair = await createPtyPair(path.join(options.dir, 'console'), path.join(options.dir, 'box'));
  let port: SerialPortStream;
  try {
    port = await openSerial(options.binding, pair.b);
  } catch (error) {
    await pair.close();
    throw error;
  }
  port.on('error', () => undefined); // the far end vanishing is what unplugging is
  const sim = new BoxSimulator(port, { buttons: options.buttons, onCommand: options.onCommand });
  return {
    consolePath: pair.a,
    sim,
    close: async () => {
      port.destroy();
      await pair.close();
    },
  };
}
