import crypto from 'node:crypto';
import fs from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import Fastify from 'fastify';
import { DEFAULT_MKGU_FORM } from '../shared/mkgu-form.js';

/**
 * `pult mkgu sandbox`: a stand-in for the ИАС МКГУ rates endpoint on 127.0.0.1, for trials before
 * an office is connected and for the tests. It takes a packet as the published interface
 * describes it, knows each form by its foreign-id (a form sent again is «repeated», never counted
 * twice) and can misbehave on purpose, one scripted fault per request: `400` (refuses the packet), `503`, `429` (Retry-After:
 * 1), `lose` (keeps the forms, then drops the connection without a reply), `hold` (keeps them and
 * never answers). `GET /sandbox` tells what it has counted; `GET /form` serves a form for fetch-form.
 */
export type SandboxFault = '400' | '503' | '429' | 'lose' | 'hold' | 'ok';
export const SANDBOX_FAULTS: readonly SandboxFault[] = ['400', '503', '429', 'lose', 'hold', 'ok'];

const NAMESPACE = 'http://vashkontrol.ru#';

/** What `GET /sandbox` tells. */
export interface SandboxCounts {
  requests: number;
  /** foreign-id → how many times it arrived (1: counted; more: repeats the sandbox recognised). */
  forms: Record<string, number>;
  /** sha256 of every request body, in order: a resend is the same bytes. */
  bodies: string[];
  /** When each request came (ms). */
  at: number[];
  /** The last request as it came. */
  last: string | null;
}

/** The packet's forms by foreign-id, or why it is not a packet. */
function formsOf(xml: string): { ids: string[] } | { problem: string } {
  const problems: string[] = [];
  const doc = new DOMParser({
    errorHandler: (level, message) => void (level !== 'warning' && problems.push(String(message))),
  }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  if (problems.length > 0 || !root) return { problem: `not well-formed XML: ${problems[0] ?? 'empty'}` };
  if (root.localName !== 'body' || root.namespaceURI !== NAMESPACE) return { problem: 'the root is not mkgu:body' };
  const ids = Array.from(root.getElementsByTagName('form')).map((form) => form.getAttribute('foreign-id') ?? '');
  if (ids.length === 0) return { problem: 'the packet has no forms' };
  if (ids.some((id) => id === '')) return { problem: 'a form without foreign-id' };
  return { ids };
}

export async function startSandbox(options: { port: number; faults: readonly SandboxFault[]; formFile?: string }) {
  const counted: SandboxCounts = { requests: 0, forms: {}, bodies: [], at: [], last: null };
  const script = [...options.faults];
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post('/rates', async (request, reply) => {
    counted.requests += 1;
    const body = typeof request.body === 'string' ? request.body : '';
    counted.bodies.push(crypto.createHash('sha256').update(body).digest('hex'));
    counted.at.push(Date.now());
    counted.last = body;
    const fault = script.shift() ?? 'ok';
    if (fault === '400')
      return reply.code(400).type('application/xml').send('<error>sandbox: the packet is refused (scripted)</error>');
    if (fault === '503') return reply.code(503).type('text/plain').send('sandbox: unavailable (scripted)');
    if (fault === '429')
      return reply.code(429).header('retry-after', '1').type('text/plain').send('sandbox: too many requests (scripted)');
    const forms = formsOf(body);
    if ('problem' in forms) return reply.code(400).type('application/xml').send(`<error>${forms.problem}</error>`);
    let accepted = 0;
    for (const id of forms.ids) {
      counted.forms[id] = (counted.forms[id] ?? 0) + 1;
      if (counted.forms[id] === 1) accepted += 1;
    }
    if (fault === 'lose') return void request.raw.socket.destroy();
    if (fault === 'hold') return reply.hijack();
    return reply
      .type('application/xml')
      .send(`<result><accepted>${accepted}</accepted><repeated>${forms.ids.length - accepted}</repeated></result>`);
  });
  app.get('/sandbox', async () => counted);
  app.get('/form', async (_request, reply) =>
    reply
      .type('application/json')
      .send(options.formFile ? fs.readFileSync(options.formFile, 'utf8') : JSON.stringify(DEFAULT_MKGU_FORM)),
  );
  const address = await app.listen({ port: options.port, host: '127.0.0.1' });
  return { url: address, close: () => app.close() };
}
