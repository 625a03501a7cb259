import fs from 'node:fs';
import path from 'node:path';
import { addDevice } from '../../collector/tokens.js';
import { DEMO_CONFIG } from '../../shared/config.js';
import { startHost } from './host-process.js';
import { httpCall, QUICK_CONSOLE } from './press.js';

/**
 * A console known to a collector: its device id read from a first start, a token made for it in
 * the collector's tokens file, and a config that syncs to `endpoint`. `start()` runs `pult serve`.
 */
export async function registeredConsole(options: {
  dir: string;
  dataDir: string;
  tokens: string;
  endpoint: string;
  sync?: Record<string, unknown>;
  /** More of the console's config (window, opening hours). */
  config?: Record<string, unknown>;
}) {
  const first = await startHost(['--data-dir', options.dataDir]);
  const status = await httpCall(first.url)('getStatus', {});
  await first.stop();
  if (!status.ok) throw new Error(status.error.message);
  const deviceId = (status.value as { deviceId: string }).deviceId;
  fs.writeFileSync(path.join(options.dir, 'token'), addDevice(options.tokens, deviceId));
  const config = path.join(options.dir, 'console.json');
  const sync = { endpoint: options.endpoint, tokenFile: 'token', intervalMs: 200, timeoutMs: 5_000, ...options.sync };
  fs.writeFileSync(config, JSON.stringify({ ...DEMO_CONFIG, ...QUICK_CONSOLE, ...options.config, sync }));
  return {
    deviceId,
    config,
    start: (more: string[] = []) => startHost(['--config', config, '--data-dir', options.dataDir, ...more]),
  };
}
