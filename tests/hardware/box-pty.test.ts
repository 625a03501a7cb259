import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG } from '../../shared/config.js';
import type { Status } from '../../shared/contract.js';
import { systemBinding } from '../../hardware/binding.js';
import { virtualBox, type ConsoleCommand, type VirtualBox } from '../../hardware/simulator.js';
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
  host: RunningHost;
  box: VirtualBox;
  commands: ConsoleCommand[];
  /** How many answers were on disk at the moment each acknowledgement reached the box. */
  storedAtAck: number[];
  rows(): { value: number; source: string; flags: string; ticket: string | null }[];
  status(): Promise<Status>;
  /** Pulls the adapter out (socat ends: both ends of the line vanish). */
  unplug(): Promise<void>;
  /** Plugs it back in: the same device names, a box that starts afresh. */
  plugIn(): Promise<void>;
}

async function rig(extra: Record<string, unknown> = {}): Promise<Rig> {
  const dir = tempDir();
  const binding = await systemBinding();
  const commands: ConsoleCommand[] = [];
  const storedAtAck: number[] = [];
  const onCommand = (command: ConsoleCommand) => {
    commands.push(command);
    if (command.kind === 'ack') storedAtAck.push(state.rows().length);
  };
  const plug = () => virtualBox({ dir, buttons: 5, binding, onCommand });
  const box = await plug();
  const config = path.join(dir, 'console.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...DEMO_CONFIG,
      flow: [{ type: 'csi' }, { type: 'nps' }],
      timeouts: { settleMs: 0, guardMs: 0, thanksMs: 500, idleMs: 20_000 },
      misuse: { burstPresses: 0 },
      boxes: [{ id: 'box1', port: { path: box.consolePath }, buttons: 5, unanswerable: 'skip' }],
      ...extra,
    }),
  );
  const dataDir = path.join(dir, 'data');
  const host = await startHost(['--config', config, '--data-dir', dataDir]);
  const call = httpCall(host.url);
  const state: Rig = {
    host,
    box,
    commands,
    storedAtAck,
    rows: () => {
      const db = new Database(path.join(dataDir, 'pult.sqlite'), { readonly: true });
      try {
        return db.prepare('SELECT value, source, flags, ticket FROM answers ORDER BY seq').all() as ReturnType<Rig['rows']>;
      } finally {
        db.close();
      }
    },
    status: async () => ((await call('getStatus', {})) as { value: Status }).value,
    unplug: () => state.box.close(),
    plugIn: async () => {
      state.box = await plug();
    },
  };
  cleanups.push(async () => {
    await host.stop();
    await state.box.close();
  });
  return state;
}

const connected = async (r: Rig) => (await r.status()).boxes[0]?.connected;

describe('a button box on a real serial line (socat pty pair)', () => {
  it('rates with buttons alone; the LED confirms only after the answer is on disk', async () => {
    const r = await rig();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    expect((await r.status()).boxes[0]).toMatchObject({ id: 'box1', firmware: 'sim-1.0', problem: null });
    r.box.sim.press(4);
    await vi.waitFor(() => expect(r.storedAtAck).toEqual([1]));
    // NPS has no buttons on a 5-button box: passed over, never guessed.
    expect(r.rows()).toEqual([{ value: 4, source: 'button:box1', flags: '[]', ticket: null }]);
    const session = (await httpCall(r.host.url)('getSession', {})) as { value: { screen: { kind: string } } };
    expect(session.value.screen.kind).toBe('thanks');
    expect((await r.status()).boxes[0]!.lastPressAtMs).not.toBeNull();
  });

  it('unplugged: reported disconnected; plugged back: reconnects within 5 s, no press lost, none twice', async () => {
    const r = await rig();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    r.box.sim.press(5);
    await vi.waitFor(() => expect(r.rows()).toHaveLength(1));

    await r.unplug();
    await vi.waitFor(async () => expect((await r.status()).boxes[0]).toMatchObject({ connected: false }), { timeout: 5_000 });

    await vi.waitFor(() => expect(r.host.output()).toMatch(/button box box1 not connected: the box went away/));

    await r.plugIn();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000, interval: 50 });
    expect(r.host.output().match(/button box box1 connected on/g)).toHaveLength(2);
    r.box.sim.press(3);
    r.box.sim.repeatLast(); // the box sends its last press again (it saw no acknowledgement)
    r.box.sim.press(2);
    await vi.waitFor(() => expect(r.rows()).toHaveLength(3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.rows().map((row) => row.value)).toEqual([5, 3, 2]);
  });

  it("with the electronic queue the LEDs are lit only while a ticket's rating is open, a box plugged in later too", async () => {
    const token = 'queue-token-0123456789abcdef';
    const r = await rig({ queue: { mode: 'required', token } });
    const queue = (type: string, ticket: string) =>
      fetch(new URL('queue/v1/events', r.host.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ type, ticket, operatorId: 'op-7' }),
      });
    const lights = () => r.commands.filter((c) => c.kind === 'light' || c.kind === 'allOff');
    const lit = (leds: number[]) => [{ kind: 'allOff' }, ...leds.map((led) => ({ kind: 'light', led }))];
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    await vi.waitFor(() => expect(lights()).toEqual(lit([]))); // no ticket: dark
    const pressed = async (button: number) => {
      const before = (await r.status()).boxes[0]!.lastPressAtMs;
      r.box.sim.press(button);
      await vi.waitFor(async () => expect((await r.status()).boxes[0]!.lastPressAtMs).not.toBe(before));
    };
    await pressed(5); // required mode, no ticket: stores nothing
    await queue('called', 'А-1');
    await queue('started', 'А-1');
    await vi.waitFor(() => expect(lights()).toEqual([...lit([]), ...lit([1, 2, 3, 4, 5])]));
    r.box.sim.press(4);
    await vi.waitFor(() => expect(r.rows()).toEqual([{ value: 4, source: 'button:box1', flags: '[]', ticket: 'А-1' }]));
    // The next ticket called (not yet served): the rating closed, the LEDs go out.
    r.commands.length = 0;
    await queue('called', 'А-2');
    await vi.waitFor(() => expect(lights()).toEqual(lit([])));
    // Unplugged and plugged back while no rating is open: the new box is told at once.
    await r.unplug();
    r.commands.length = 0;
    await r.plugIn();
    await vi.waitFor(() => expect(lights()).toEqual(lit([])), { timeout: 5_000 });
    await pressed(3); // no open ticket: stores nothing
    await queue('started', 'А-2');
    await vi.waitFor(() => expect(lights()).toEqual([...lit([]), ...lit([1, 2, 3, 4, 5])]));
    expect(r.rows()).toHaveLength(1);
  });

  it('garbage on the line is not a press', async () => {
    const r = await rig();
    await vi.waitFor(async () => expect(await connected(r)).toBe(true), { timeout: 5_000 });
    r.box.sim.sendRaw(Buffer.from([0x00, 0xff, 0x42, 0x35, 0x0d, 0x0a])); // "\0\xffB5": not a line of the protocol
    r.box.sim.sendRaw('B9 #1\r\nB3 #1 *00\r\n'); // a button the box does not have; a wrong checksum
    r.box.sim.press(1);
    await vi.waitFor(() => expect(r.rows()).toHaveLength(1));
    expect(r.rows()[0]!.value).toBe(1);
    // And what meant nothing is counted where IT staff look.
    expect((await r.status()).boxes[0]!.invalidFrames).toBe(3);
  });
});
