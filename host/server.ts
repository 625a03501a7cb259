import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { EVENT_NAMES } from '../shared/contract.js';
import { fail } from '../shared/result.js';
import { invoke } from '../core/dispatch.js';
import { PultFailure } from '../core/errors.js';
import type { PultService } from '../core/service.js';
import { SECURITY_HEADERS } from '../shared/security-headers.js';

export interface HostOptions {
  service: PultService;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Extra Host header names accepted besides the bound address and localhost (e.g. a LAN name). */
  allowedHosts?: string[];
}

const HTTP_STATUS = { invalid_input: 400, unknown_method: 404, storage_failure: 503, unavailable: 503, internal: 500 } as const;
const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The browser shell: serves the renderer and the PultApi contract over HTTP (POST /api/<method>)
 * and server-sent events (GET /api/events). An adapter only: every rule lives in the core.
 */
export async function createHost(options: HostOptions): Promise<FastifyInstance> {
  const { service, rendererDir } = options;
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new PultFailure('rendererNotBuilt', { file: path.join(rendererDir, 'index.html') });

  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true });

  app.addHook('onRequest', async (request, reply) => {
    // Only IP literals, localhost and configured names: a DNS-rebinding page (any other name) cannot
    // drive the console's API, while a supervisor's browser on the LAN can use the console's address.
    const hostName = (request.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const allowed = isIP(hostName) !== 0 || hostName === 'localhost' || (options.allowedHosts ?? []).includes(hostName);
    if (!allowed) return reply.code(421).send(fail('invalid_input', `host "${hostName}" is not served here`));
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send(fail(status < 500 ? 'invalid_input' : 'internal', error.message));
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (request, reply) => {
    const result = await invoke(service, request.params.method, request.body ?? undefined);
    if (!result.ok) reply.code(HTTP_STATUS[result.error.code]);
    return result;
  });

  const openStreams = new Set<NodeJS.WritableStream & { end(): void }>();
  // End event streams before the server waits for its connections to close.
  app.addHook('preClose', async () => openStreams.forEach((stream) => stream.end()));

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    openStreams.add(reply.raw);
    reply.raw.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    reply.raw.write(': connected\n\n');
    const unsubscribe = EVENT_NAMES.map((name) =>
      service.on(name, (payload) => reply.raw.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    request.raw.on('close', () => {
      unsubscribe.forEach((off) => off());
      openStreams.delete(reply.raw);
    });
  });

  await app.register(fastifyStatic, { root: path.resolve(rendererDir), index: 'index.html', cacheControl: false });
  return app;
}
