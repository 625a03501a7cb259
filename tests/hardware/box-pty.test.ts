import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SerialPortStream } from '@serialport/stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../../shared/config.js';
import type { Status } from '../../shared/contract.js';
import { systemBinding } from '../../hardware/binding.js';
import { createPtyPair, type PtyPair } from '../../hardware/pty.js';
import { BoxSimulator, type ConsoleCommand } from '../../hardware/simulator.js';
import { startHost, type RunningHost } from '../support/host-process.js';
import { httpCall } from '../support/press.js';
import { useTempDirs } from '../support/temp-dir.js';

/**
 * A real console process (`pult serve`) reading a box over a real serial line: a socat pty pair,
 * the Pult box simulator on the far end. Unplugging is killing socat; plugging back is a new socat
 * with the same links. Nothing is mocked.
 */
const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  dir: string;
  host: RunningHost;
  pair: PtyPair;
  sim: BoxSimulator;
  commands: ConsoleCommand[];
  /** How many answers were on disk at the moment each acknowledgement reached the box. */
  storedAtAck: number[];
  rows(): { value: number; source: string; flags: string }[];
  status(): Promise<Status>;
  /** Pulls the adapter out (socat ends: both ends of the line vanish). */
  unplug(): Promise<void>;
  /** Plugs it back in: the same device names, a box that starts afresh. */
  plugIn(): Promise<void>;
}

async function openSim(
  file: string,
  onCommand: (command: ConsoleCommand) => void,
): Promise<{ sim: BoxSimulator; port: SerialPortStream }> {
  const binding = await systemBinding();
  const port = await new Promise<SerialPortStream>((resolve, reject) => {
    const opened = new SerialPortStream({ binding, path: file, baudRate: 9600, autoOpen: false });
    opened.open((error) => (error ? reject(error) : resolve(opened)));
  });
  port.on('error', () => undefined); // the far end vanishing is what these tests do
  return { port, sim: new BoxSimulator(port, { buttons: 5, onCommand }) };
}

async function rig(box: Record<string, unknown> = {}): Promise<Rig> {
  const dir = tempDir();
  const consoleEnd = path.join(dir, 'box-console');
  const boxEnd = path.join(dir, 'box-device');
  let pair = await createPtyPair(consoleEnd, boxEnd);
  const commands: ConsoleCommand[] = [];
  const storedAtAck: number[] = [];
  const onCommand = (command: ConsoleCommand) => {
    commands.push(command);
    if (command.kind === 'ack') storedAtAck.push(state.rows().length);
  };
  let { sim, port } = await openSim(boxEnd, onCommand);
  const config = path.join(dir, 'console.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      flow: [{ type: 'csi' }, { type: 'nps' }],
      timeouts: { settleMs: 0, guardMs: 0, thanksMs: 500, idleMs: 20_000 },
      misuse: { burstPresses: 0 },
      boxes: [{ id: 'box1', port: { path: consoleEnd }, buttons: 5, unanswerable: 'skip', ...box }],
    }),
  );
  const dataDir = path.join(dir, 'data');
  const host = await startHost(['--config', config, '--data-dir', dataDir]);
  const call = httpCall(host.url);
  const state: Rig = {
    dir,
    host,
    pair,
    sim,
    commands,
    storedAtAck,
    rows: () => {
      const db = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT value, source, flags FROM answers ORDER BY seq').all() as ReturnType<Rig['rows']>;
      } finally {
        db.close();
      }
    },
    status: async () => ((await call('getStatus', {})) as { value: Status }).value,
    unplug: async () => {
      port.destroy();
      await pair.close();
    },
    plugIn: async () => {
      pair = await createPtyPair(consoleEnd, boxEnd);
      ({ sim, port } = await openSim(boxEnd, onCommand));
      state.sim = sim;
      state.pair = pair;
    },
  };
  cleanups.push(async () => {
    await host.stop();
    port.destroy();
    await pair.close();
  });
  return state;
}

const connected = async (r: Rig) => (await r.status()).boxes[0]?.connected;

describe('a button box on a real serial line (socat pty pair)', () => {
  it('rates with buttons alone; the LED confirms only after the answer is on disk', async () => {
    const r = await rig();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    expect((await r.status()).boxes[0]).toMatchObject({ id: 'box1', firmware: 'sim-1.0', problem: null });
    r.sim.press(4);
    await vi.waitFor(() => expect(r.storedAtAck).toEqual([1]));
    // NPS has no buttons on a 5-button box: passed over, never guessed.
    expect(r.rows()).toEqual([{ value: 4, source: 'button:box1', flags: '[]' }]);
    const session = (await httpCall(r.host.url)('getSession', {})) as { value: { screen: { kind: string } } };
    expect(session.value.screen.kind).toBe('thanks');
    expect((await r.status()).boxes[0]!.lastPressAtMs).not.toBeNull();
  });

  it('unplugged: reported disconnected; plugged back: reconnects within 5 s, no press lost, none twice', async () => {
    const r = await rig();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    r.sim.press(5);
    await vi.waitFor(() => expect(r.rows()).toHaveLength(1));

    await r.unplug();
    await vi.waitFor(async () => expect((await r.status()).boxes[0]).toMatchObject({ connected: false }), { timeout: 5_000 });

    await r.plugIn();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000, interval: 50 });
    r.sim.press(3);
    r.sim.repeatLast(); // the box sends its last press again (it saw no acknowledgement)
    r.sim.press(2);
    await vi.waitFor(() => expect(r.rows()).toHaveLength(3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.rows().map((row) => row.value)).toEqual([5, 3, 2]);
  });

  it('garbage on the line is not a press', async () => {
    const r = await rig();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    const port = (r.sim as unknown as { port: SerialPortStream }).port;
    port.write(Buffer.from([0x00, 0xff, 0x42, 0x35, 0x0d, 0x0a])); // "\0\xffB5": not a line of the protocol
    port.write('B9 #1\r\nB3 #1 *00\r\n'); // a button the box does not have; a wrong checksum
    r.sim.press(1);
    await vi.waitFor(() => expect(r.rows()).toHaveLength(1));
    expect(r.rows()[0]!.value).toBe(1);
  });
});
