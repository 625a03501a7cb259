/**
 * The first step of `npm test`: checks that what the tests need is on this machine and brings
 * what it can, so that a fresh clone fails in seconds with the one command to run — not after
 * minutes with 25 × "executable doesn't exist". Add a line to NEEDS when tests need more
 * (a new tool, a new service).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { findChromium } from './support/chromium.js';
import { postgresAvailable } from './support/postgres.js';

interface Need {
  what: string;
  present(): boolean;
  /** The Debian package that brings it. */
  debian: string;
  /** What to tell a developer who is not root on Debian. */
  otherwise: string;
}

const NEEDS: Need[] = [
  {
    what: 'Chromium (end-to-end tests)',
    present: () => findChromium() !== null,
    debian: 'chromium',
    otherwise: 'install Chromium (Debian/Ubuntu: "sudo apt-get install chromium") or set PULT_CHROMIUM=/path/to/chrome',
  },
  {
    what: 'PostgreSQL 15 server binaries (the collector tests start a throwaway cluster)',
    present: postgresAvailable,
    debian: 'postgresql',
    otherwise:
      'install PostgreSQL (Debian: "sudo apt-get install postgresql") or set PULT_PG_BIN to the folder holding initdb and pg_ctl',
  },
  {
    what: 'socat (the hardware tests make real serial lines from pseudo-terminal pairs)',
    present: () => spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0,
    debian: 'socat',
    otherwise: 'install socat (Debian/Ubuntu: "sudo apt-get install socat")',
  },
  {
    what: 'lintian and dpkg-deb (the Debian package is built and checked)',
    present: () => ['lintian', 'dpkg-deb'].every((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0),
    debian: 'lintian',
    otherwise: 'install lintian (Debian/Ubuntu: "sudo apt-get install lintian dpkg-dev")',
  },
  {
    what: 'cage, Xwayland, grim and weston (the kiosk runs headless under cage in the package test, nested in weston for other screen sizes)',
    present: () =>
      ['cage', 'Xwayland', 'grim', 'weston'].every(
        (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0,
      ),
    debian: 'cage xwayland grim weston',
    otherwise: 'install them (Debian: "sudo apt-get install cage xwayland grim weston")',
  },
  {
    what: 'systemd-analyze (the units are verified)',
    present: () => spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0,
    debian: 'systemd',
    otherwise: 'install systemd (Debian: "sudo apt-get install systemd")',
  },
];

const say = (line: string) => process.stderr.write(`preflight: ${line}\n`);
const isRootOnDebian = () => process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');

function installWithApt(packages: string[]): boolean {
  say(`installing ${packages.join(', ')} with apt-get…`);
  const options = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } } as const;
  return (
    spawnSync('apt-get', ['update', '-qq'], options).status === 0 &&
    spawnSync('apt-get', ['install', '-y', '-qq', ...packages], options).status === 0
  );
}

let missing = NEEDS.filter((need) => !need.present());
if (missing.length > 0 && isRootOnDebian()) {
  installWithApt(missing.flatMap((need) => need.debian.split(' ')));
  missing = missing.filter((need) => !need.present());
}
if (missing.length > 0) {
  for (const need of missing) say(`missing ${need.what}: ${need.otherwise}`);
  process.exit(1);
}
