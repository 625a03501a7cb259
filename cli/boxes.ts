import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BoxSchema, type BoxConfig, type BoxLink } from '../shared/box.js';
import { loadConfigFile } from '../core/config.node.js';
import { systemBinding } from '../hardware/binding.js';
import { BoxDriver } from '../hardware/box.js';
import { listPorts } from '../hardware/ports.js';
import { virtualBox, type ConsoleCommand } from '../hardware/simulator.js';
import type { AdminText } from '../shared/admin/text.js';
import { readKeys } from './key-input.js';

type Text = AdminText;
type Say = (line: string) => void;

/** `pult ports`: the serial ports here, with what a config needs to find a box again. */
export async function listPortsCommand(say: Say, t: Text, json: boolean): Promise<void> {
  const ports = await listPorts(await systemBinding());
  if (json) return say(JSON.stringify(ports));
  if (ports.length === 0) return say(t('ports.none'));
  for (const port of ports) {
    say(port.path);
    const usb = port.vendorId && port.productId ? `${port.vendorId}:${port.productId}` : '—';
    say(
      `  ${t('ports.details', { usb, serial: port.serialNumber ?? '—', maker: port.manufacturer ?? '—', location: port.location ?? '—' })}`,
    );
    for (const link of port.byId) say(`  /dev/serial/by-id/${link}`);
    for (const link of port.byPath) say(`  /dev/serial/by-path/${link}`);
    if (port.vendorId && port.productId) {
      const match = {
        vendorId: port.vendorId,
        productId: port.productId,
        ...(port.serialNumber ? { serialNumber: port.serialNumber } : { location: port.location }),
      };
      say(`  ${t('ports.configure', { port: JSON.stringify({ match }) })}`);
    }
  }
}

/** The box to watch: a configured one (its profile and buttons), or a Pult box on `port`. */
function boxToWatch(port: string, configFile: string | undefined, boxId: string | undefined): BoxConfig {
  if (!configFile) return BoxSchema.parse({ id: 'watch', port: { path: port }, buttons: 9 });
  const { boxes } = loadConfigFile(configFile);
  const configured = boxes.find((box) => box.id === boxId) ?? boxes[0];
  if (!configured) return BoxSchema.parse({ id: 'watch', port: { path: port }, buttons: 9 });
  return { ...configured, port: { path: port } };
}

/** `pult ports --watch PORT`: live presses and connection changes, to prove the wiring. */
export async function watchPortCommand(say: Say, t: Text, port: string, configFile?: string, boxId?: string): Promise<number> {
  const box = boxToWatch(port, configFile, boxId);
  const describe = (status: BoxLink) =>
    status.connected
      ? t('ports.connected', { port: status.port ?? port, firmware: status.firmware ?? '—' })
      : t('ports.disconnected', {
          problem: status.problem ? t(`ports.problem.${status.problem.kind}`, { detail: status.problem.detail ?? '' }) : '—',
        });
  const driver = new BoxDriver({
    box,
    binding: await systemBinding(),
    onPress: (button) => say(t('ports.pressed', { button, at: new Date().toISOString() })),
    onStatus: (status) => say(describe(status)),
  });
  say(t('ports.watching', { port }));
  driver.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await driver.stop();
  return 0;
}

const paramsOf = (command: ConsoleCommand) =>
  command.kind === 'light' ? { led: command.led } : command.kind === 'unknown' ? { line: command.line } : {};

const commandWords: Record<ConsoleCommand['kind'], string> = {
  ping: 'boxSim.ping',
  ack: 'boxSim.ack',
  allOff: 'boxSim.allOff',
  light: 'boxSim.light',
  unknown: 'boxSim.unknown',
};

/**
 * `pult box-sim`: a Pult box without hardware. Makes a pty pair with socat, prints the path to put
 * in the console's config, sends a press for each key 1–9 (or each line "1".."9" when stdin is not a
 * terminal) and prints what the console sends back.
 */
export async function boxSimCommand(say: Say, t: Text, buttons: number, dir?: string): Promise<number> {
  const box = await virtualBox({
    dir: dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pult-box-')),
    buttons,
    binding: await systemBinding(),
    onCommand: (command) => say(t(commandWords[command.kind] as 'boxSim.ping', paramsOf(command))),
  });
  const { sim } = box;
  say(t('boxSim.ready', { config: JSON.stringify({ boxes: [{ id: 'sim', port: { path: box.consolePath }, buttons }] }) }));
  say(t('boxSim.keys', { buttons }));

  const press = (key: string): boolean => {
    if (key === 'q') return false;
    if (key === 'r') sim.repeatLast();
    const button = Number(key);
    if (Number.isInteger(button) && button >= 1 && button <= buttons) say(t('boxSim.sent', { line: sim.press(button) }));
    return true;
  };
  await readKeys(press);
  await box.close();
  return 0;
}
