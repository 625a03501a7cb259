import { z } from 'zod';
import {
  BatchSchema,
  BatchVerdictSchema,
  DevicesReplySchema,
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
      description: 'What a Pult console sends to a collector. See docs/protocol.md for the rules of retrying and deduplication.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/v1/batches': {
        post: {
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
      '/v1/health': { get: { summary: 'Liveness', responses: { 200: { description: 'up' } } } },
      '/v1/devices': {
        get: {
          summary: 'Every console: last heartbeat, backlog, version, last error, clock offset (admin token)',
          security: bearer,
          responses: {
            200: { description: 'devices', content: json(DevicesReplySchema) },
            401: error('an admin token is needed'),
          },
        },
      },
    },
  };
}
