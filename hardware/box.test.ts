import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoxSchema, type BoxLink } from '../shared/box.js';
import { BoxDriver, type BoxTiming } from './box.js';
import type { SerialBinding } from './binding.js';
import { listPorts, pickPort } from './ports.js';
import { checksum } from './protocol.js';

/** The mock binding, with a handle on every port the driver opens (to play the box's side). */
function mockBinding() {
  const opened: MockPortBinding[] = [];
  const binding = {
    ...MockBinding,
    list: () => MockBinding.list(),
    open: async (options: Parameters<typeof MockBinding.open>[0]) => {
      const port = await MockBinding.open(options);
      opened.push(port);
      return port;
    },
  } as unknown as SerialBinding;
  return { binding, opened, current: () => opened.at(-1)! };
}

const FAST: Partial<BoxTiming> = { firstRetryMs: 20, maxRetryMs: 100, lookEveryMs: 20, pingEveryMs: 50, silentAfterMs: 400 };
const drivers: BoxDriver[] = [];
afterEach(async () => {
  await Promise.all(drivers.splice(0).map((driver) => driver.stop()));
  MockBinding.reset();
});

function driverOn(box: unknown, binding: SerialBinding) {
  const pressed: number[] = [];
  const states: BoxLink[] = [];
  const driver = new BoxDriver({
    box: BoxSchema.parse(box),
    binding,
    timing: FAST,
    onPress: (button) => pressed.push(button),
    onStatus: (status) => states.push(status),
  });
  drivers.push(driver);
  driver.start();
  return { driver, pressed, states };
}

const line = (body: string) => `${body} *${checksum(body)}\r\n`;

describe('box driver (binding injected: @serialport/binding-mock)', () => {
  it('pings, is connected once the box answers, reads presses and acknowledges', async () => {
    MockBinding.createPort('/dev/ttyPULT0', { record: true });
    const { binding, current } = mockBinding();
    const { driver, pressed } = driverOn({ id: 'box1', port: { path: '/dev/ttyPULT0' }, buttons: 5 }, binding);
    await vi.waitFor(() => expect(current()?.recording.toString()).toContain('?\n'));
    expect(driver.status).toMatchObject({ connected: false, problem: { kind: 'no_answer_yet' } });
    current().emitData('!PULT 1.4 5\r\n');
    await vi.waitFor(() => expect(driver.status).toMatchObject({ connected: true, firmware: '1.4', port: '/dev/ttyPULT0' }));
    current().emitData(line('B3 #1'));
    current().emitData(line('B3 #1')); // the same line again (sent again after a reconnect)
    current().emitData('B5 #2\r');
    current().emitData('\nB2 #3 *00\r\n'); // wrong checksum
    current().emitData('B9 #4\r\n'); // a button this box does not have
    current().emitData('\u0000\u00ff~~\r\n'); // line noise
    await vi.waitFor(() => expect(pressed).toEqual([3, 5]));
    // What meant nothing is counted where IT staff look (status, doctor): a loose cable shows.
    await vi.waitFor(() => expect(driver.status.invalidFrames).toBe(3));
    driver.acknowledge();
    await vi.waitFor(() => expect(current().recording.toString()).toContain('A\n'));
  });

  it('a held or chattering button is one press; another button is not held back', async () => {
    MockBinding.createPort('/dev/ttyPULT1');
    const { binding, current } = mockBinding();
    const { pressed } = driverOn({ id: 'box1', port: { path: '/dev/ttyPULT1' }, buttons: 5, debounceMs: 1_000 }, binding);
    await vi.waitFor(() => expect(current()).toBeDefined());
    current().emitData('B4\nB4\nB4\nB1\nB4\n');
    await vi.waitFor(() => expect(pressed).toEqual([4, 1]));
  });

  it('a box that stops answering pings is reported and opened again; presses after that count', async () => {
    MockBinding.createPort('/dev/ttyPULT2');
    const { binding, opened, current } = mockBinding();
    const { driver, pressed, states } = driverOn({ id: 'box1', port: { path: '/dev/ttyPULT2' }, buttons: 5 }, binding);
    await vi.waitFor(() => expect(current()).toBeDefined());
    current().emitData('!PULT 1.4 5\n');
    await vi.waitFor(() => expect(driver.status.connected).toBe(true));
    // Silence: the box hangs (on Windows a pulled adapter often looks exactly like this).
    await vi.waitFor(() => expect(states.some((s) => s.problem?.kind === 'silent')).toBe(true), { timeout: 3_000 });
    await vi.waitFor(() => expect(opened.length).toBeGreaterThanOrEqual(2), { timeout: 3_000 });
    current().emitData('B2 #9\n');
    await vi.waitFor(() => expect(pressed).toEqual([2]));
    expect(driver.status.connected).toBe(true);
  });

  it('an absent port is looked for until it appears, then opened', async () => {
    const { binding, current } = mockBinding();
    const { driver, pressed } = driverOn(
      { id: 'box1', port: { path: '/dev/ttyLATE' }, buttons: 3, profile: { kind: 'lines', buttons: { X: 1 } } },
      binding,
    );
    await vi.waitFor(() => expect(driver.status.problem).toEqual({ kind: 'not_found', detail: '/dev/ttyLATE' }));
    MockBinding.createPort('/dev/ttyLATE');
    await vi.waitFor(() => expect(driver.status).toMatchObject({ connected: true, port: '/dev/ttyLATE' }));
    current().emitData('X\n');
    await vi.waitFor(() => expect(pressed).toEqual([1]));
  });
});

describe('finding a box by USB ids', () => {
  it('lists ports with their USB ids; a match picks the one with its serial number', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { vendorId: '0403', productId: '6001' });
    MockBinding.createPort('/dev/ttyUSB1', { vendorId: '1A86', productId: '7523' });
    const ports = await listPorts(MockBinding, '/nonexistent');
    expect(ports.map((p) => [p.path, p.vendorId, p.productId])).toEqual([
      ['/dev/ttyUSB0', '0403', '6001'],
      ['/dev/ttyUSB1', '1a86', '7523'],
    ]);
    expect(pickPort(ports, { vendorId: '1a86', productId: '7523' })).toEqual({ path: '/dev/ttyUSB1' });
    expect(pickPort(ports, { vendorId: '0403', productId: '6001', serialNumber: 'nope' })).toEqual({ problem: 'not_found' });
  });

  it('two identical adapters without a serial number are never confused: neither is opened', async () => {
    MockBinding.createPort('/dev/ttyUSB0', { vendorId: '1a86', productId: '7523' });
    MockBinding.createPort('/dev/ttyUSB1', { vendorId: '1a86', productId: '7523' });
    expect(pickPort(await listPorts(MockBinding, '/nonexistent'), { vendorId: '1a86', productId: '7523' })).toEqual({
      problem: 'ambiguous',
      count: 2,
    });
    const { binding, opened } = mockBinding();
    const { driver } = driverOn({ id: 'box1', port: { match: { vendorId: '1a86', productId: '7523' } }, buttons: 5 }, binding);
    await vi.waitFor(() => expect(driver.status.problem).toEqual({ kind: 'ambiguous', detail: '2' }));
    expect(opened).toEqual([]);
  });
});
