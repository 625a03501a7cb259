import { z } from 'zod';
import { QmaticEventSchema } from './queue-qmatic.js';
import { QueueErrorSchema, QueueEventSchema, QueueReplySchema } from './queue.js';
import { APP_VERSION } from './version.js';

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
});

/** What a queue post may be answered, besides 200. */
const refusals = {
  400: { description: 'the body is not an event: the message names the field', content: json(QueueErrorSchema) },
  401: { description: 'missing or wrong queue token', content: json(QueueErrorSchema) },
  403: { description: 'posted from an address not in queue.allow', content: json(QueueErrorSchema) },
  404: { description: 'this console has no queue configured', content: json(QueueErrorSchema) },
};

/**
 * The console's own HTTP side for queue systems as OpenAPI 3.1 (docs/openapi-console.json), made
 * from the zod schemas the host validates with. docs/queue.md says it in words.
 */
export function consoleOpenApiDocument() {
  const bearer = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pult console — electronic queue events',
      version: APP_VERSION,
      license: { name: 'MIT', identifier: 'MIT' },
      description:
        'What an electronic queue (СУО) posts to a rating console about the ticket served at its window. See docs/queue.md.',
    },
    servers: [
      {
        url: '{console}',
        description: 'a console (pult serve) on its LAN address',
        variables: { console: { default: 'http://127.0.0.1:7300', description: 'the console’s address and port' } },
      },
    ],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'config queue.token' } } },
    paths: {
      '/queue/v1/events': {
        post: {
          operationId: 'postQueueEvent',
          summary: 'A step of the visit at this window: called, started, finished, noshow, transferred',
          security: bearer,
          requestBody: { required: true, content: json(QueueEventSchema) },
          responses: { 200: { description: 'what became of the event', content: json(QueueReplySchema) }, ...refusals },
        },
      },
      '/queue/v1/qmatic': {
        post: {
          operationId: 'postQmaticEvent',
          summary: 'A Qmatic Orchestra visit event (VISIT_CALL, VISIT_CONFIRM, VISIT_END, VISIT_NOSHOW…), translated',
          security: bearer,
          requestBody: { required: true, content: json(QmaticEventSchema) },
          responses: { 200: { description: 'what became of the event', content: json(QueueReplySchema) }, ...refusals },
        },
      },
    },
  };
}
