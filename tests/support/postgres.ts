import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.PULT_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const postgresAvailable = (): boolean => fs.existsSync(path.join(BIN, 'initdb'));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface Cluster {
  url: string;
  /** Stops the server as a crash would (`-m immediate`), keeping its data: a failover, a restart. */
  crash(): void;
  /** Starts it again on the same port after `crash`. */
  restart(): void;
  stop(): void;
}

/**
 * A throwaway PostgreSQL cluster: initdb in a temp dir, a free port on 127.0.0.1, trust auth,
 * stopped (and removed) by `stop`. PostgreSQL refuses to run as root: then it runs as `postgres`.
 */
export async function startCluster(): Promise<Cluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pult-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) spawnSync('chown', ['postgres:postgres', dir]);
  const run = (binary: string, args: string[]) => {
    const command = asRoot ? 'runuser' : path.join(BIN, binary);
    const full = asRoot ? ['-u', 'postgres', '--', path.join(BIN, binary), ...args] : args;
    const result = spawnSync(command, full, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${binary} failed: ${result.stderr || result.stdout}`);
  };
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const start = () =>
    run('pg_ctl', [
      '-D',
      data,
      '-w',
      '-l',
      path.join(dir, 'log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
      'start',
    ]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    crash: () => run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']),
    restart: start,
    stop() {
      try {
        // A server a test left crashed has nothing to stop.
        if (fs.existsSync(path.join(data, 'postmaster.pid'))) run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
