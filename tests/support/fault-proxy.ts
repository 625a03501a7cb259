import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy between a console and a collector that misbehaves on purpose, one request at a time.
 * Every fault of the protocol's list: down, an HTTP status (5xx, 429 with Retry-After), a reply
 * slower than the client waits, a connection reset mid-request, and the reply lost after the
 * collector committed. Listens on 127.0.0.1 only.
 */
export type Fault =
  | { kind: 'pass' }
  | { kind: 'down' }
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'reset' }
  | { kind: 'lost' };

export interface FaultProxy {
  url: string;
  /** Faults for the next batch posts, in order; then everything passes. */
  plan(faults: Fault[]): void;
  /** How many batch posts reached the proxy. */
  batches(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  let queue: Fault[] = [];
  let seen = 0;
  const server = http.createServer((request, response) => {
    const isBatch = request.url?.endsWith('/v1/batches') ?? false;
    if (isBatch) seen++;
    const fault = (isBatch && queue.shift()) || { kind: 'pass' };
    if (fault.kind === 'down' || fault.kind === 'reset') {
      request.socket.destroy();
      return;
    }
    if (fault.kind === 'status') {
      request.resume();
      response.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      response.end(JSON.stringify({ error: { code: 'injected', message: `fault ${fault.status}` } }));
      return;
    }
    const upstream = http.request(
      new URL(request.url ?? '/', target),
      { method: request.method, headers: request.headers },
      (reply) => {
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () => {
          if (fault.kind === 'lost') {
            request.socket.destroy(); // the collector committed; the console never hears it
            return;
          }
          const answer = () => {
            if (response.destroyed) return;
            response.writeHead(reply.statusCode ?? 502, reply.headers);
            response.end(Buffer.concat(chunks));
          };
          if (fault.kind === 'slow') setTimeout(answer, fault.delayMs);
          else answer();
        });
      },
    );
    upstream.on('error', () => request.socket.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    plan: (faults) => (queue = [...faults]),
    batches: () => seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
