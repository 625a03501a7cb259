import http from 'node:http';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import {
  BatchEnvelopeSchema,
  EnrolRequestSchema,
  HeartbeatSchema,
  MAX_BATCH_BYTES,
  WireAnswerSchema,
  type Alert,
  type BatchVerdict,
  type ConfigOffer,
  type EnrolReply,
  type FleetReply,
  type WireAnswer,
} from '../shared/wire.js';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import { acceptedLanguage, adminWords, type AdminLanguage, type AdminText } from '../shared/admin/text.js';
import { SECURITY_HEADERS } from '../shared/security-headers.js';
import { targetsConsole } from '../shared/config-bundle.js';
import { watchAlerts } from './alerts.js';
import { DEFAULT_THRESHOLDS, fleetConsole, unseenDevice, type FleetThresholds } from './fleet.js';
import { FLEET_CSS, fleetPage, loginPage, viewOf } from './fleet-page.js';
import { isSession, openSession, SESSION_COOKIE, SESSION_MS } from './fleet-session.js';
import { StoreUnavailableError, type AlertRow, type CollectorStore } from './store.js';
import { hashToken, type EnrolOutcome, type EnrolRefusal, type TokenRegistry } from './tokens.js';

/** What a console is told when its code is refused (the code is never echoed). */
const ENROL_REFUSALS: Record<EnrolRefusal, string> = {
  unknown: 'this enrolment code is not known here (check it, or ask IT for a new one)',
  used: 'this enrolment code was used already: each works once (ask IT for a new one)',
  expired: 'this enrolment code has expired (ask IT for a new one)',
};

/** A pino logger, as fastify takes it. */
export type CollectorLogger = FastifyBaseLogger;

export interface CollectorOptions {
  store: CollectorStore;
  /** The tokens file: who calls, which consoles are registered, the admins. */
  tokens: TokenRegistry;
  now?: () => number;
  /** When a console is `late` and `offline` (`--late-after`, `--offline-after`). */
  thresholds?: FleetThresholds;
  /** `--alert-webhook URL`: every alert change POSTed there. */
  alertWebhook?: string;
  /** Spends an enrolment code (collector/tokens.ts `enrol`); without it `POST /v1/enroll` is 404. */
  enrol?: (code: string, deviceId: string, nowMs: number) => EnrolOutcome;
  /** Default REQUEST_TIMEOUT_MS; tests shorten it. */
  requestTimeoutMs?: number;
  /** A pino logger (the journal's JSON lines): one line per request, never its headers (the token). */
  logger?: FastifyBaseLogger;
}

const describe = (error: ZodError, prefix = ''): string =>
  error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`).join('; ');

const refuse = (reply: FastifyReply, status: number, code: string, message: string) =>
  reply.code(status).send({ error: { code, message } });

const bearer = (request: FastifyRequest): string | undefined => /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];

/** What a client waits before sending the same request again while the store's database is away. */
export const STORE_RETRY_AFTER_S = 2;
/** A request (headers and body) must arrive within this: a client that trickles bytes is cut off. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Sockets open at once: a fleet of hundreds of consoles, each with one connection, and room to spare. */
export const MAX_CONNECTIONS = 2_000;
/** The routes only a device may call: their token is checked before a byte of the body is read. */
const DEVICE_ROUTES = new Set(['/v1/batches', '/v1/heartbeat', '/v1/config']);

/**
 * The reference collector: `POST /v1/batches`, `POST /v1/heartbeat`, `GET /v1/health`,
 * `GET /v1/devices` (admin). Keeps no state beside its store, so several run behind one balancer.
 */
export async function createCollector(options: CollectorOptions): Promise<FastifyInstance> {
  const { store, tokens } = options;
  const authority = (token: string | undefined) => tokens.authority(token);
  const now = options.now ?? Date.now;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  // bodyLimit counts the bytes AFTER decompression (preParsing below): a gzip bomb gets a 413.
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: MAX_BATCH_BYTES,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Slow-loris: headers and body must arrive within the timeout, checked often enough to honour
    // it (Node looks every 30 s by default), and the sockets held open at once are bounded.
    serverFactory: (handler) => {
      const timeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
      const server = http.createServer(
        {
          requestTimeout: timeout,
          headersTimeout: timeout,
          connectionsCheckingInterval: Math.max(100, Math.min(1_000, timeout / 2)),
        },
        handler,
      );
      server.maxConnections = MAX_CONNECTIONS;
      return server;
    },
  });
  const devices = new WeakMap<FastifyRequest, string>();

  // The token first: an unknown caller's body is never decompressed or parsed.
  app.addHook('onRequest', async (request, reply) => {
    if (!DEVICE_ROUTES.has(request.routeOptions.url ?? '')) return;
    const who = authority(bearer(request));
    if (!who || who.kind !== 'device') return refuse(reply, 401, 'unauthorised', 'missing or unknown device token');
    devices.set(request, who.deviceId);
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding'];
    if (!encoding || encoding === 'identity') return payload;
    if (encoding !== 'gzip')
      throw Object.assign(new Error(`content-encoding "${encoding}" is not supported`), { statusCode: 415 });
    const gunzip = zlib.createGunzip();
    (payload as Readable).pipe(gunzip);
    delete request.headers['content-length']; // the limit applies to what comes out of gunzip
    return gunzip;
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, _request, reply) => {
    if (error instanceof StoreUnavailableError)
      return refuse(reply.header('retry-after', String(STORE_RETRY_AFTER_S)), 503, 'unavailable', error.message);
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    const code = status === 413 ? 'too_large' : status < 500 ? 'bad_request' : 'internal';
    return refuse(reply, status, code, error.message);
  });
  app.setNotFoundHandler((request, reply) => refuse(reply, 404, 'not_found', `${request.method} ${request.url}: no such route`));

  app.get('/v1/health', async () => ({ ok: true, store: store.kind, serverTime: now() }));

  app.post('/v1/batches', async (request, reply) => {
    const deviceId = devices.get(request);
    const envelope = BatchEnvelopeSchema.safeParse(request.body);
    if (!envelope.success) return refuse(reply, 400, 'invalid_batch', describe(envelope.error));
    const batch = envelope.data;
    if (batch.device.id !== deviceId) return refuse(reply, 403, 'wrong_device', 'this token belongs to another device');
    const key = request.headers['idempotency-key'];
    if (key !== undefined && key !== batch.batchId)
      return refuse(reply, 400, 'invalid_batch', 'Idempotency-Key must equal batchId');

    const valid: WireAnswer[] = [];
    const rejected: BatchVerdict['rejected'] = [];
    batch.answers.forEach((raw, index) => {
      const answer = WireAnswerSchema.safeParse(raw);
      if (answer.success) valid.push(answer.data);
      else rejected.push({ id: raw.id, reason: describe(answer.error, `answers[${index}]`) });
    });
    const receivedAt = now();
    const stored = valid.length
      ? await store.ingest({
          device: batch.device,
          batchId: batch.batchId,
          clockOffsetMs: batch.clockOffsetMs,
          answers: valid,
          receivedAt,
        })
      : { accepted: [], duplicate: [], rejected: [] };
    return {
      accepted: stored.accepted,
      duplicate: stored.duplicate,
      rejected: [...rejected, ...stored.rejected],
      serverTime: now(),
    } satisfies BatchVerdict;
  });

  app.post('/v1/heartbeat', async (request, reply) => {
    const beat = HeartbeatSchema.safeParse(request.body);
    if (!beat.success) return refuse(reply, 400, 'invalid_heartbeat', describe(beat.error));
    if (beat.data.device.id !== devices.get(request))
      return refuse(reply, 403, 'wrong_device', 'this token belongs to another device');
    await store.heartbeat(beat.data, now());
    return { serverTime: now() };
  });

  /**
   * The newest published bundle that names this console (by its id, and its office and window as
   * its last heartbeat said), as published: the console checks the signature, not the collector.
   */
  app.get('/v1/config', async (request, reply) => {
    const deviceId = devices.get(request)!;
    const device = await store.device(deviceId);
    const audience = { deviceId, office: device?.office ?? '', window: device?.window ?? '' };
    const chosen = (await store.bundles()).find((bundle) => targetsConsole(bundle.targets, audience));
    if (!chosen) return reply.code(204).send();
    const etag = `"v${chosen.version}"`;
    if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
    return reply
      .header('etag', etag)
      .send({ version: chosen.version, bundle: chosen.bundle, signature: chosen.signature } satisfies ConfigOffer);
  });

  /**
   * A console enrols with a one-time code (`pult enroll`): it gets its token and the office and
   * window the code was issued for. No token is needed; a code works once, until it expires.
   */
  app.post('/v1/enroll', { bodyLimit: 4_096 }, async (request, reply) => {
    const asked = EnrolRequestSchema.safeParse(request.body);
    if (!asked.success) return refuse(reply, 400, 'invalid_enrolment', describe(asked.error));
    if (!options.enrol) return refuse(reply, 404, 'not_found', 'this collector takes no enrolments');
    const enrolled = options.enrol(asked.data.code, asked.data.deviceId, now());
    if (!enrolled.ok) return refuse(reply, 403, `enrolment_${enrolled.refusal}`, ENROL_REFUSALS[enrolled.refusal]);
    const { token, office, window } = enrolled;
    return { token, office, window } satisfies EnrolReply;
  });

  const isAdmin = (request: FastifyRequest) => authority(bearer(request))?.kind === 'admin';
  const adminOnly = (reply: FastifyReply) => refuse(reply, 401, 'unauthorised', 'an admin token is needed');

  app.get('/v1/devices', async (request, reply) => {
    if (!isAdmin(request)) return adminOnly(reply);
    return { devices: await store.devices() };
  });

  /** Every registered console, seen or not, with its state and the alerts raised for it. */
  async function fleet(): Promise<{ fleet: FleetReply; alerts: Alert[] }> {
    const [facts, open] = await Promise.all([store.deviceFacts(), store.openAlerts()]);
    const seen = new Set(facts.map((device) => device.id));
    const unseen = tokens
      .devices()
      .filter((device) => !seen.has(device.id))
      .map(unseenDevice);
    const raised = open.filter((row): row is AlertRow & { raisedAt: number } => row.raisedAt !== null);
    const kinds = new Map<string, Alert['kind'][]>();
    for (const row of raised) kinds.set(row.deviceId, [...(kinds.get(row.deviceId) ?? []), row.kind]);
    const at = now();
    return {
      fleet: {
        consoles: [...facts, ...unseen].map((device) => fleetConsole(device, at, thresholds, kinds.get(device.id) ?? [])),
        lateAfterMs: thresholds.lateAfterMs,
        offlineAfterMs: thresholds.offlineAfterMs,
        serverTime: at,
      },
      alerts: raised
        .map(({ deviceId, kind, detail, since, raisedAt }) => ({ deviceId, kind, detail, since, raisedAt, clearedAt: null }))
        .sort((a, b) => b.raisedAt - a.raisedAt),
    };
  }

  app.get('/v1/fleet', async (request, reply) => (isAdmin(request) ? (await fleet()).fleet : adminOnly(reply)));
  app.get('/v1/alerts', async (request, reply) => (isAdmin(request) ? { alerts: (await fleet()).alerts } : adminOnly(reply)));

  registerFleetPage(app, { tokens, now, fleet });

  const watch = watchAlerts({
    store,
    thresholds,
    now,
    everyMs: Math.min(10_000, Math.max(250, Math.round(thresholds.lateAfterMs / 4))),
    webhook: options.alertWebhook ? { url: options.alertWebhook } : undefined,
    onError: (message, error) => app.log.warn({ err: error }, message),
  });
  app.addHook('onClose', () => watch.stop());

  return app;
}

/** The fleet page's headers: the console's, but its own forms may post (login, logout) and nothing is cached. */
const PAGE_HEADERS = {
  ...SECURITY_HEADERS,
  'content-security-policy': SECURITY_HEADERS['content-security-policy']!.replace("form-action 'none'", "form-action 'self'"),
  'cache-control': 'no-store',
};

/**
 * `/fleet`: the page for IT staff in any browser on the LAN, behind a login with an admin token
 * (a form POST) that becomes a session cookie (collector/fleet-session.ts). A form posted from
 * another site is refused by its Origin; the cookie is SameSite=Strict besides.
 */
function registerFleetPage(
  app: FastifyInstance,
  context: { tokens: TokenRegistry; now: () => number; fleet: () => Promise<{ fleet: FleetReply; alerts: Alert[] }> },
) {
  const words: Record<AdminLanguage, AdminText> = { ru: adminWords('ru'), en: adminWords('en') };
  const languageOf = (request: FastifyRequest) => acceptedLanguage(request.headers['accept-language']);
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(body);
  const signedIn = (request: FastifyRequest) =>
    isSession(request.cookies[SESSION_COOKIE], context.tokens.adminHashes(), context.now());
  // Browsers say where a form came from (Sec-Fetch-Site); under no-referrer the Origin of our own form is "null".
  const sameOrigin = (request: FastifyRequest) => {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined) return site === 'same-origin' || site === 'none';
    const origin = request.headers.origin;
    return origin === undefined || origin === 'null' || origin === `${request.protocol}://${request.headers.host}`;
  };
  const cookieOptions = (request: FastifyRequest) =>
    ({ path: '/fleet', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' }) as const;

  void app.register(fastifyCookie);
  void app.register(fastifyFormbody, { bodyLimit: 4_096 });

  app.get('/fleet/fleet.css', async (_request, reply) =>
    reply.headers(PAGE_HEADERS).header('cache-control', 'max-age=3600').type('text/css; charset=utf-8').send(FLEET_CSS),
  );

  app.get('/fleet', async (request, reply) => {
    const language = languageOf(request);
    if (!signedIn(request)) return html(reply, 200, loginPage(words[language], language, false));
    const { fleet, alerts } = await context.fleet();
    const view = viewOf(request.query as Record<string, unknown>);
    return html(reply, 200, fleetPage(fleet, alerts, view, { t: words[language], language, nowMs: fleet.serverTime }));
  });

  app.post('/fleet/login', async (request, reply) => {
    const language = languageOf(request);
    if (!sameOrigin(request)) return refuse(reply, 403, 'cross_origin', 'a form from another site may not sign in here');
    const token = (request.body as { token?: unknown } | undefined)?.token;
    const candidate = typeof token === 'string' ? token.trim() : undefined;
    if (context.tokens.authority(candidate)?.kind !== 'admin')
      return html(reply, 401, loginPage(words[language], language, true));
    return reply
      .setCookie(SESSION_COOKIE, openSession(hashToken(candidate!), context.now()), {
        ...cookieOptions(request),
        maxAge: SESSION_MS / 1000,
      })
      .headers(PAGE_HEADERS)
      .redirect('/fleet', 303);
  });

  app.post('/fleet/logout', async (request, reply) => {
    if (!sameOrigin(request)) return refuse(reply, 403, 'cross_origin', 'a form from another site may not sign out here');
    return reply.clearCookie(SESSION_COOKIE, cookieOptions(request)).headers(PAGE_HEADERS).redirect('/fleet', 303);
  });
}
