import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PultFailure } from '../errors.js';

export class DataDirInUseError extends PultFailure {
  constructor(
    readonly dataDir: string,
    readonly pid: string | null,
  ) {
    super(pid ? 'dataDirInUseByPid' : 'dataDirInUse', { dataDir, pid: pid ?? '' });
  }
}

export interface InstanceLock {
  release(): Promise<void>;
}

/**
 * The lock's name, derived from the data directory's real path. Linux: an abstract socket, which
 * has no file to delete; Windows: a named pipe, likewise. Elsewhere (macOS) a socket file in the
 * temp folder, outside the data directory that cleanup scripts sweep.
 */
export function lockEndpoint(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const key = crypto.createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 32);
  if (platform === 'linux') return `\0pult-${key}`;
  if (platform === 'win32') return `\\\\.\\pipe\\pult-${key}`;
  return path.join(os.tmpdir(), `pult-${key}.sock`);
}

/** Asks the owner for its pid: the lock answers every connection with it. */
function ownerPid(endpoint: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect(endpoint);
    let text = '';
    const done = (pid: string | null) => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1_000, () => done(null));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => done(/^\d+$/.test(text) ? text : null));
    socket.on('error', () => done(null));
  });
}

function listen(server: net.Server, endpoint: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(endpoint, () => resolve(null));
  });
}

/**
 * One process owns a data directory. The lock is a listening socket named after the directory:
 * the OS frees it when the process dies (even by SIGKILL or power loss), and deleting files in
 * the data directory cannot take it away from a running console.
 */
export async function acquireInstanceLock(dataDir: string): Promise<InstanceLock> {
  fs.mkdirSync(dataDir, { recursive: true });
  const endpoint = lockEndpoint(dataDir);
  const server = net.createServer((socket) => socket.end(String(process.pid)));
  let error = await listen(server, endpoint);
  if (error?.code === 'EADDRINUSE' && !endpoint.startsWith('\0') && process.platform !== 'win32') {
    // A socket file left by a process that died: nobody answers on it, so it is stale.
    const pid = await ownerPid(endpoint);
    if (pid) throw new DataDirInUseError(dataDir, pid);
    fs.rmSync(endpoint, { force: true });
    error = await listen(server, endpoint);
  }
  if (error?.code === 'EADDRINUSE') throw new DataDirInUseError(dataDir, await ownerPid(endpoint));
  if (error) throw error;
  server.unref(); // the lock never keeps the process alive by itself
  return { release: () => new Promise((resolve) => server.close(() => resolve())) };
}
