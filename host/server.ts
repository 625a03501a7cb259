import fs from 'node:fs';
import path from 'node:path';
import http, { type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { EVENT_NAMES, KIOSK_METHODS, LAN_METHODS, type Status } from '../shared/contract.js';
import { fail, type ErrorCode } from '../shared/result.js';
import { ON_CONSOLE } from '../core/dispatch.js';
import { PultFailure } from '../core/errors.js';
import type { CoreLink } from '../core/link.js';
import type { Caller } from '../core/supervisor/access.js';
import { SECURITY_HEADERS } from '../shared/security-headers.js';
import { APP_VERSION } from '../shared/version.js';
import { allowedHost, allowedOrigin, isKioskCaller, sameToken } from './guards.js';
import { registerCallSocket } from './call-socket.js';

export interface HostLimits {
  /** The whole request (headers and body) must arrive within this; a body that never ends is cut off. */
  requestTimeoutMs: number;
  /** An event stream whose reader fell this far behind is dropped (it reconnects when it reads again). */
  maxBufferedEventBytes: number;
  /** A comment line on every event stream this often: keeps proxies from closing it, shows a dead reader. */
  heartbeatMs: number;
  /**
   * Connections beyond this are closed at once: a flood cannot use up the process's file
   * descriptors (the database, its WAL, a backup need them), and screens already connected go on.
   */
  maxConnections: number;
}

/** How soon a screen whose event stream dropped opens it again. */
const RECONNECT_MS = 1_000;

export const DEFAULT_LIMITS: HostLimits = {
  requestTimeoutMs: 10_000,
  maxBufferedEventBytes: 256 * 1024,
  heartbeatMs: 15_000,
  maxConnections: 256,
};

export interface HostOptions {
  /** The core, as every shell sees it. */
  core: CoreLink;
  /** Addresses besides loopback whose callers are this console's own screen (config `kioskAddresses`). */
  kioskAddresses: readonly string[];
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** The electronic queue (config `queue`): its token and the addresses besides loopback it posts from. */
  queue?: { token: string; allow: readonly string[] };
  /** Extra Host header names accepted besides the bound address and localhost (e.g. a LAN name). */
  allowedHosts?: string[];
  limits?: Partial<HostLimits>;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_allowed: 403,
  not_found: 404,
  unknown_method: 404,
  storage_failure: 503,
  unavailable: 503,
  internal: 500,
};
const BODY_LIMIT_BYTES = 16 * 1024;

/** Fastify's own request errors, in the contract's words. */
function describeRequestError(error: { code?: string; message: string }): { code: ErrorCode; message: string } {
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /prototype property/.test(error.message))
    return { code: 'invalid_input', message: 'request body: "__proto__" and "constructor.prototype" are not allowed' };
  return { code: 'invalid_input', message: error.message };
}

/** The addresses that serve the applicant's page. */
const APPLICANT_PAGES = new Set(['/', '/index.html']);

/** An HTTP server with the host's bounds: slow requests cut off, connections capped. */
function limitedServer(handler: http.RequestListener, limits: HostLimits): http.Server {
  const server = http.createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1_000, limits.requestTimeoutMs / 2)),
    },
    handler,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

const isLoopbackHost = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.');

/**
 * Listens on `host` — and, when that is a LAN address, on 127.0.0.1 at the same port too: the
 * kiosk on the console itself always opens http://127.0.0.1:7300 (docs/PACKAGING.md), and a
 * supervisor's browser uses the LAN address. Resolves with the port.
 */
export async function listenConsole(app: FastifyInstance, options: { host: string; port: number }): Promise<number> {
  await app.listen(options);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  if (isLoopbackHost(options.host) || options.host === '0.0.0.0' || options.host === '::') return port;
  const loopback = limitedServer((request, response) => app.routing(request, response), app.limits);
  await new Promise<void>((resolve, reject) => {
    loopback.once('error', reject);
    loopback.listen(port, '127.0.0.1', () => resolve());
  });
  // The kiosk's calls socket (host/call-socket.ts) arrives as an upgrade: the app's server takes it.
  loopback.on('upgrade', (request, socket, head) => app.server.emit('upgrade', request, socket, head));
  app.alsoServing.push(loopback);
  return port;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The bounds its servers were made with. */
    limits: HostLimits;
    alsoServing: http.Server[];
    /** How many event streams are open now (monitoring and tests). */
    eventClients(): number;
  }
}

/**
 * The browser shell: serves the renderer and the PultApi contract over HTTP (POST /api/<method>),
 * the same calls over a WebSocket (GET /api/calls, the screen's fast path) and server-sent events
 * (GET /api/events). An adapter only: every rule lives in the core.
 */
export async function createHost(options: HostOptions): Promise<FastifyInstance> {
  const { core, rendererDir, kioskAddresses } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new PultFailure('rendererNotBuilt', { file: path.join(rendererDir, 'index.html') });

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    // On shutdown every connection is closed at once: an event stream or a browser's keep-alive
    // socket must not hold a stopping console open. A press cut off this way is sent again by its
    // screen (same id) to the restarted console, which applies it once.
    forceCloseConnections: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Node checks for overdue requests on an interval (30 s by default): check often enough to
    // honour the timeout, so that slow requests cannot pile up and use every file descriptor.
    serverFactory: (handler) => limitedServer(handler, limits),
  });
  app.decorate('limits', limits);
  // Servers that share this app's routes on another address (listenConsole): closed with it.
  const alsoServing: http.Server[] = [];
  app.decorate('alsoServing', alsoServing);
  app.addHook('onClose', async () => {
    for (const server of alsoServing) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** The console's own screen (loopback, or a configured kiosk address) or someone on the LAN. */
  const callerOf = (request: FastifyRequest): Caller =>
    isKioskCaller(request.socket.remoteAddress, kioskAddresses)
      ? ON_CONSOLE
      : { onConsole: false, who: request.socket.remoteAddress ?? 'unknown' };

  app.addHook('onRequest', async (request, reply) => {
    const host = allowedHost(request.headers.host, options.allowedHosts ?? []);
    if (!host.ok) return reply.code(421).send(fail('not_allowed', `host "${host.name}" is not served here`));
    if (!allowedOrigin(request.headers.origin, request.headers.host))
      return reply.code(403).send(fail('not_allowed', `origin "${request.headers.origin}" may not use this console`));
  });
  // A refused upgrade (the call socket from another origin or host name) ends its connection: Node
  // stops tracking a socket once it asks to upgrade, so nothing else would ever close it.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade && reply.statusCode >= 400) request.raw.socket.destroy();
  });
  app.addHook('onSend', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    // The kiosk's start page (a file:// page, packaging/deb) asks /healthz whether the console is
    // up, with an opaque no-cors request: its answer (unreadable to that page) may cross origins.
    if (request.url.split('?')[0] === '/healthz') reply.header('cross-origin-resource-policy', 'cross-origin');
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    const described = status < 500 ? describeRequestError(error) : { code: 'internal' as const, message: error.message };
    return reply.code(status).send(fail(described.code, described.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(fail('not_found', `${request.method} ${request.url.split('?')[0]}: no such route`)),
  );

  /** Why this caller may not call `method` (null: it may). From elsewhere on the LAN only the supervisor's methods (each behind the PIN): nobody there can press answers. */
  const refusal = (method: string, caller: Caller) => {
    if (caller.onConsole || LAN_METHODS.includes(method)) return null;
    return fail(
      'not_allowed',
      KIOSK_METHODS.includes(method)
        ? `${method}: the applicant's screen is this console's own (loopback or kioskAddresses)`
        : `${method}: from the LAN only the supervisor screen (/admin, behind the PIN) is served`,
    );
  };

  app.post<{ Params: { method: string } }>('/api/:method', async (request, reply) => {
    const { method } = request.params;
    const caller = callerOf(request);
    const refused = refusal(method, caller);
    if (refused) return reply.code(403).send(refused);
    const result = await core.invoke(method, request.body ?? undefined, caller);
    if (!result.ok) reply.code(HTTP_STATUS[result.error.code]);
    return result;
  });

  await app.register(fastifyWebsocket, {
    options: { maxPayload: BODY_LIMIT_BYTES },
    // On shutdown every call socket ends at once, like every HTTP connection: a page that never
    // answers a close frame would otherwise hold a stopping console for ws's 30 s close timeout.
    preClose(done) {
      for (const client of app.websocketServer.clients) client.terminate();
      app.websocketServer.close(() => done());
    },
  });
  registerCallSocket(app, { core, callerOf, refusal, maxBufferedBytes: limits.maxBufferedEventBytes });

  /** Pult's own events, or a vendor's translated by its adapter. */
  const FORMATS = new Map<string, 'pult' | 'qmatic'>([
    ['events', 'pult'],
    ['qmatic', 'qmatic'],
  ]);
  /**
   * The electronic queue posts what happens at this window (docs/queue.md): from loopback or a
   * `queue.allow` address, with its token; anything else is refused and nothing is kept.
   */
  app.post<{ Params: { format?: string } }>('/queue/v1/:format', async (request, reply) => {
    const format = FORMATS.get(request.params.format ?? '');
    if (!format) return reply.code(404).send(fail('not_found', 'the queue posts to /queue/v1/events or /queue/v1/qmatic'));
    const queue = options.queue;
    if (!queue) return reply.code(404).send(fail('not_found', 'this console has no queue configured (config "queue")'));
    if (!isKioskCaller(request.socket.remoteAddress, queue.allow))
      return reply.code(403).send(fail('not_allowed', `${request.socket.remoteAddress ?? 'this address'} is not in queue.allow`));
    if (!sameToken(request.headers.authorization, `Bearer ${queue.token}`))
      return reply.code(401).send(fail('not_allowed', 'missing or wrong queue token (Authorization: Bearer <queue.token>)'));
    const result = await core.queueEvent(request.body ?? undefined, format);
    if (!result.ok) reply.code(HTTP_STATUS[result.error.code]);
    return result;
  });

  const openStreams = new Set<ServerResponse>();
  app.decorate('eventClients', () => openStreams.size);
  // End event streams before the server waits for its connections to close.
  app.addHook('preClose', async () => openStreams.forEach((stream) => stream.end()));

  /** `?events=session,status` subscribes to those only: nothing is computed for a screen that does not show it. */
  app.get<{ Querystring: { events?: string } }>('/api/events', (request, reply) => {
    if (!callerOf(request).onConsole)
      return reply.code(403).send(fail('not_allowed', "events: the console's own screens only (loopback or kioskAddresses)"));
    const wanted = request.query.events?.split(',');
    const names = wanted ? EVENT_NAMES.filter((name) => wanted.includes(name)) : EVENT_NAMES;
    reply.hijack();
    const stream = reply.raw;
    openStreams.add(stream);
    stream.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // A reader that stopped reading is dropped rather than buffered without end.
    const send = (text: string) => {
      if (stream.writableLength > limits.maxBufferedEventBytes) stream.destroy();
      else stream.write(text);
    };
    // A screen whose host went away tries again every second (browsers wait 3 s by default): the
    // applicant screen is back as soon as the restarted console answers.
    send(`retry: ${RECONNECT_MS}\n: connected\n\n`);
    const heartbeat = setInterval(() => send(': alive\n\n'), limits.heartbeatMs);
    const unsubscribe = names.map((name) =>
      core.on(name, (payload) => send(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    stream.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe.forEach((off) => off());
      openStreams.delete(stream);
    });
  });

  // Liveness and readiness for systemd, the kiosk's start-up page and `pult doctor`: 200 while the
  // core answers from its database, 503 otherwise. The console's own callers only, like the status.
  app.get('/healthz', async (request, reply) => {
    if (!callerOf(request).onConsole) return reply.code(403).send(fail('not_allowed', "healthz: the console's own callers only"));
    reply.header('cache-control', 'no-store');
    const status = await core.invoke('getStatus', undefined);
    if (!status.ok)
      return reply.code(503).send(fail('unavailable', `the console cannot read its database: ${status.error.message}`));
    const { answersStored, outboxPending } = status.value as Status;
    return { ok: true, version: APP_VERSION, answersStored, outboxPending };
  });

  await app.register(fastifyStatic, { root: path.resolve(rendererDir), index: 'index.html', cacheControl: false });
  // The supervisor screen on its own address (a supervisor's browser on the LAN): the same page, which opens on the PIN pad.
  app.get('/admin', (_request, reply) => reply.sendFile('index.html'));
  // Elsewhere on the LAN the applicant's page could only say «unavailable»: a browser there is sent to
  // /admin, whatever query or name it asks for the page by (`/?x=1`, `/index.html`).
  app.addHook('onRequest', async (request, reply) => {
    const page = request.url.split(/[?#]/)[0];
    if (request.method === 'GET' && APPLICANT_PAGES.has(page ?? '') && !callerOf(request).onConsole)
      return reply.redirect('/admin');
  });
  return app;
}
