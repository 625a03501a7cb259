import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The Electron runtime's path, or null when only the package (types) is installed, as on CI. */
export function electronBinary(): string | null {
  try {
    const binary = require('electron') as unknown;
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/**
 * better-sqlite3 in node_modules is built for Node (tests, `pult serve`). A development Electron
 * run needs it built for Electron's ABI: build a copy once per Electron version into
 * .electron-native/, leaving node_modules as it is. Needs the network (Electron's headers).
 */
export async function electronSqliteBinding(projectRoot: string, onBuild: (electronVersion: string) => void): Promise<string> {
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const target = path.join(projectRoot, '.electron-native', `electron-${electronVersion}`, 'better_sqlite3.node');
  if (fs.existsSync(target)) return target;

  onBuild(electronVersion);
  const buildRoot = path.join(projectRoot, '.electron-native', 'build');
  const sqlitePackage = path.dirname(require.resolve('better-sqlite3/package.json'));
  fs.rmSync(buildRoot, { recursive: true, force: true });
  fs.cpSync(sqlitePackage, path.join(buildRoot, 'node_modules/better-sqlite3'), {
    recursive: true,
    filter: (source) => !source.includes(`${path.sep}build${path.sep}`),
  });
  const { version } = require('better-sqlite3/package.json') as { version: string };
  fs.writeFileSync(
    path.join(buildRoot, 'package.json'),
    JSON.stringify({ name: 'pult-electron-native', private: true, dependencies: { 'better-sqlite3': version } }),
  );
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: buildRoot, electronVersion, onlyModules: ['better-sqlite3'], force: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(path.join(buildRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), target);
  return target;
}
