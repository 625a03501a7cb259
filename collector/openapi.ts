import { z } from 'zod';
import {
  BatchSchema,
  BatchVerdictSchema,
  AlertsReplySchema,
  ConfigOfferSchema,
  EnrolReplySchema,
  EnrolRequestSchema,
  DevicesReplySchema,
  FleetReplySchema,
  HeartbeatReplySchema,
  HeartbeatSchema,
  MAX_BATCH_BYTES,
  WireErrorSchema,
} from '../shared/wire.js';
import { APP_VERSION } from '../shared/version.js';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});
const error = (description: string) => ({ description, content: json(WireErrorSchema) });

/** The collector's API as OpenAPI 3.1, made from the same zod schemas both sides use (docs/openapi.json). */
export function openApiDocument() {
  const bearer = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pult collector — wire protocol v1',
      version: APP_VERSION,
      license: { name: 'MIT', identifier: 'MIT' },
      description: 'What a Pult console sends to a collector. See docs/protocol.md for the rules of retrying and deduplication.',
    },
    // Each region runs its own collector; the address is the one in the consoles' sync.endpoint.
    servers: [
      {
        url: '{collector}',
        description: "a region's collector (pult collector serve)",
        variables: { collector: { default: 'http://127.0.0.1:7400', description: 'the consoles’ sync.endpoint' } },
      },
    ],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/v1/batches': {
        post: {
          operationId: 'postBatch',
          summary: `Up to 500 answers, ${MAX_BATCH_BYTES / 1024} KiB uncompressed; Content-Encoding: gzip allowed`,
          security: bearer,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', format: 'uuid' },
              description: 'equals batchId',
            },
          ],
          requestBody: { required: true, content: json(BatchSchema) },
          responses: {
            200: { description: 'one verdict per answer', content: json(BatchVerdictSchema) },
            400: error('the batch envelope is not valid'),
            401: error('missing or unknown device token'),
            403: error('the token belongs to another device'),
            413: error('larger than the limit after decompression'),
            503: error(
              "the collector's database is unavailable for now (restart, failover): Retry-After says when to send the same batch again",
            ),
          },
        },
      },
      '/v1/heartbeat': {
        post: {
          operationId: 'postHeartbeat',
          summary: 'A console reports its state every 60 s while online',
          security: bearer,
          requestBody: { required: true, content: json(HeartbeatSchema) },
          responses: {
            200: { description: 'the collector clock', content: json(HeartbeatReplySchema) },
            401: error('unknown token'),
            503: error("the collector's database is unavailable for now: Retry-After"),
          },
        },
      },
      '/v1/health': {
        get: {
          operationId: 'health',
          summary: 'Liveness',
          security: [],
          responses: { 200: { description: 'up' } },
        },
      },
      '/v1/devices': {
        get: {
          operationId: 'devices',
          summary: 'Every console: last heartbeat, backlog, version, last error, clock offset (admin token)',
          security: bearer,
          responses: {
            200: { description: 'devices', content: json(DevicesReplySchema) },
            401: error('an admin token is needed'),
          },
        },
      },
      '/v1/enroll': {
        post: {
          operationId: 'enroll',
          summary: 'A console spends a one-time enrolment code (pult collector enroll) and gets its token, office and window',
          security: [],
          requestBody: { required: true, content: json(EnrolRequestSchema) },
          responses: {
            200: {
              description: 'enrolled: the device token (store it owner-only), the office and window',
              content: json(EnrolReplySchema),
            },
            400: error('not an enrolment request'),
            403: error(
              'the code is unknown, used already, or expired (code enrolment_unknown | enrolment_used | enrolment_expired)',
            ),
          },
        },
      },
      '/v1/config': {
        get: {
          operationId: 'config',
          summary:
            'The newest signed config bundle that targets this console, as published (the console checks the minisign signature itself; docs/protocol.md)',
          security: bearer,
          parameters: [
            {
              name: 'If-None-Match',
              in: 'header',
              required: false,
              schema: { type: 'string' },
              description: 'the ETag of the bundle this console saw last',
            },
          ],
          responses: {
            200: { description: 'the bundle and its signature; ETag "v<version>"', content: json(ConfigOfferSchema) },
            204: { description: 'no bundle targets this console' },
            304: { description: 'the bundle named by If-None-Match is still the newest' },
            401: error('missing or unknown device token'),
          },
        },
      },
      '/v1/fleet': {
        get: {
          operationId: 'fleet',
          summary:
            'Every registered console with its state (online, late, offline, never), facts and raised alerts; times on the collector clock (admin token)',
          security: bearer,
          responses: {
            200: { description: 'the fleet', content: json(FleetReplySchema) },
            401: error('an admin token is needed'),
          },
        },
      },
      '/v1/alerts': {
        get: {
          operationId: 'alerts',
          summary: 'The alerts raised now; each clears by itself when its cause is gone (admin token)',
          security: bearer,
          responses: {
            200: { description: 'alerts', content: json(AlertsReplySchema) },
            401: error('an admin token is needed'),
          },
        },
      },
    },
  };
}
