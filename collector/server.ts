import http from 'node:http';
import zlib from 'node:zlib';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ZodError } from 'zod';
import {
  BatchEnvelopeSchema,
  HeartbeatSchema,
  MAX_BATCH_BYTES,
  WireAnswerSchema,
  type BatchVerdict,
  type WireAnswer,
} from '../shared/wire.js';
import { StoreUnavailableError, type CollectorStore } from './store.js';
import type { Authority } from './tokens.js';

/** A pino logger, as fastify takes it. */
export type CollectorLogger = FastifyBaseLogger;

export interface CollectorOptions {
  store: CollectorStore;
  authority: (token: string | undefined) => Authority;
  now?: () => number;
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
const DEVICE_ROUTES = new Set(['/v1/batches', '/v1/heartbeat']);

/**
 * The reference collector: `POST /v1/batches`, `POST /v1/heartbeat`, `GET /v1/health`,
 * `GET /v1/devices` (admin). Keeps no state beside its store, so several run behind one balancer.
 */
export async function createCollector(options: CollectorOptions): Promise<FastifyInstance> {
  const { store, authority } = options;
  const now = options.now ?? Date.now;
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

  app.get('/v1/devices', async (request, reply) => {
    const who = authority(bearer(request));
    if (!who || who.kind !== 'admin') return refuse(reply, 401, 'unauthorised', 'an admin token is needed');
    return { devices: await store.devices() };
  });

  return app;
}
