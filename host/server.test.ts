import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { PultService } from '../core/service.js';
import { setPin } from '../core/supervisor/pin.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { QUICK_CONSOLE, touchOn } from '../tests/support/press.js';
import { APP_VERSION } from '../shared/version.js';
import type { CoreLink } from '../core/link.js';
import { fail } from '../shared/result.js';
import { createHost, type HostLimits } from './server.js';

const tempDir = useTempDirs();

async function withHost(
  run: (app: Awaited<ReturnType<typeof createHost>>, service: PultService) => Promise<void>,
  limits: Partial<HostLimits> = {},
) {
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>pult</title>');
  const config = PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE });
  const service = await PultService.open({ dataDir: tempDir(), config });
  const app = await createHost({ core: service.link, rendererDir, limits, kioskAddresses: config.kioskAddresses });
  try {
    await run(app, service);
  } finally {
    await app.close();
    await service.close();
  }
}

/** The host's call socket over real loopback, as the screen opens it (its page's origin unless `headers` says otherwise). */
async function callSocket(app: Awaited<ReturnType<typeof createHost>>, headers: Record<string, string>): Promise<WebSocket> {
  const address = app.server.listening
    ? `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
    : await app.listen({ port: 0, host: '127.0.0.1' });
  const socket = new WebSocket(`${address.replace('http', 'ws')}/api/calls`, { headers: { origin: address, ...headers } });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

const json = { 'content-type': 'application/json', host: '127.0.0.1' };
/** A touch on the screen the console shows now. */
const score = (service: PultService, value: number) => touchOn(service.session.view().screenId, { type: 'score', value });

describe('browser host', () => {
  it('serves the contract: a stored answer, typed errors with HTTP status', () =>
    withHost(async (app, service) => {
      const stored = await app.inject({ method: 'POST', url: '/api/press', headers: json, payload: score(service, 4) });
      expect(stored.statusCode).toBe(200);
      expect(stored.json()).toMatchObject({ ok: true, value: { outcome: 'stored', session: { screen: { kind: 'thanks' } } } });
      const bad = await app.inject({ method: 'POST', url: '/api/press', headers: json, payload: score(service, -1) });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringMatching(/value: Too small/) },
      });
      const unknown = await app.inject({ method: 'POST', url: '/api/dropTables', headers: json, payload: {} });
      expect(unknown.statusCode).toBe(404);
      expect(service.status.read().answersStored).toBe(1);
    }));

  it('answers malformed requests with a typed error and stores nothing', () =>
    withHost(async (app, service) => {
      const notJson = await app.inject({ method: 'POST', url: '/api/press', headers: json, payload: '{"question":' });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const huge = await app.inject({
        method: 'POST',
        url: '/api/press',
        headers: json,
        payload: JSON.stringify({ comment: 'x'.repeat(64_000) }),
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json()).toMatchObject({ ok: false });
      expect(service.status.read().answersStored).toBe(0);
    }));

  it('refuses requests for other host names (DNS rebinding)', () =>
    withHost(async (app) => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/getStatus',
        headers: { ...json, host: 'evil.example:7300' },
        payload: {},
      });
      expect(response.statusCode).toBe(421);
      const lan = await app.inject({
        method: 'POST',
        url: '/api/getStatus',
        headers: { ...json, host: '192.168.1.20:7300' },
        payload: {},
      });
      expect(lan.statusCode).toBe(200);
    }));

  it('serves the screens with a strict content security policy', () =>
    withHost(async (app) => {
      const page = await app.inject({ method: 'GET', url: '/', headers: { host: 'localhost:7300' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
    }));

  it('gives a new subscriber the session at once, and a status event after each stored answer', () =>
    withHost(async (app, service) => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      let pressed = false;
      const received = new Promise<string>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/api/events' }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            // A new screen is given the session at once; then a press changes the status.
            if (text.endsWith('\n\n') && text.includes('event: session') && !pressed)
              void service.link.invoke('press', score(service, 5));
            pressed ||= text.includes('event: session');
            if (text.includes('event: status')) resolve(text);
          });
        });
      });
      expect(await received).toMatch(/event: status\ndata: \{"deviceId":"[^"]+","answersStored":1,"outboxPending":1/);
    }));

  it('a stream asks for the events it shows: the kiosk screen gets no status (nothing computed for it)', () =>
    withHost(async (app, service) => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as net.AddressInfo;
      const text = await new Promise<string>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/api/events?events=session' }, (response) => {
          let received = '';
          response.on('data', (chunk: Buffer) => {
            received += chunk.toString();
            if (received.includes('"thanks"')) resolve(received);
          });
          void service.link.invoke('press', score(service, 5));
        });
      });
      expect(text).toMatch(/event: session/);
      expect(text).not.toMatch(/event: status/);
    }));

  it('the call socket: a press over it is stored once, replies carry the call id, bad messages are named and the socket goes on', () =>
    withHost(async (app, service) => {
      const socket = await callSocket(app, {});
      const replies: {
        id: number | null;
        result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
      }[] = [];
      socket.on('message', (data) => replies.push(JSON.parse(data.toString())));
      const replyTo = (count: number) => vi.waitFor(() => expect(replies.length).toBeGreaterThanOrEqual(count));
      try {
        const press = score(service, 4);
        socket.send(JSON.stringify({ id: 7, method: 'press', input: press }));
        await replyTo(1);
        expect(replies[0]).toMatchObject({ id: 7, result: { ok: true, value: { outcome: 'stored' } } });
        socket.send(JSON.stringify({ id: 8, method: 'press', input: press })); // the same press again: applied once
        await replyTo(2);
        expect(replies[1]).toMatchObject({ id: 8, result: { ok: true, value: { outcome: 'replayed' } } });
        expect(service.status.read().answersStored).toBe(1);

        socket.send('{"id": 9, "method":');
        socket.send(JSON.stringify({ id: 10, method: 'press' }));
        socket.send(JSON.stringify({ id: -1, method: 'getSession' }));
        socket.send(JSON.stringify({ id: 11, method: 'noSuchMethod' }));
        await replyTo(6);
        // Replies come as the core finishes them; each names its call, or null when none could be read.
        const to = (id: number | null) => replies.find((reply) => reply.id === id)!;
        expect(to(null)).toMatchObject({ result: { ok: false, error: { code: 'invalid_input', message: 'call: not JSON' } } });
        expect(to(10)).toMatchObject({ result: { ok: false, error: { code: 'invalid_input' } } });
        expect(to(-1).result.error!.message).toMatch(/^call: id: /);
        expect(to(11)).toMatchObject({ result: { ok: false, error: { code: 'unknown_method' } } });
        socket.send(JSON.stringify({ id: 12, method: 'getSession', input: {} }));
        await replyTo(7);
        expect(replies[6]).toMatchObject({ id: 12, result: { ok: true } });
        expect(service.status.read().answersStored).toBe(1);
      } finally {
        socket.terminate();
      }
    }));

  it('a stopping console ends its call sockets at once, even one whose page never answers a close frame', async () => {
    await withHost(async (app) => {
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      // A client that opens the socket and then reads nothing more: it will never answer a close.
      const mute = net.connect(Number(port), '127.0.0.1');
      mute.write(
        `GET /api/calls HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      const [answer] = (await once(mute, 'data')) as [Buffer];
      expect(answer.toString()).toMatch(/^HTTP\/1\.1 101/);
      mute.pause();
      const ended = once(mute, 'close');
      const t0 = performance.now();
      await app.close();
      await ended;
      expect(performance.now() - t0).toBeLessThan(5_000); // ws alone would wait 30 s for the close frame
    });
  });

  it('the call socket refuses a page from another origin or host name before it opens', () =>
    withHost(async (app) => {
      await expect(callSocket(app, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
      await expect(callSocket(app, { host: 'evil.example' })).rejects.toThrow(/421/);
    }));

  it('on the LAN, only the console itself and configured kiosk addresses may press answers', async () => {
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>pult</title>');
    const config = PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE, kioskAddresses: ['192.168.1.60'] });
    const service = await PultService.open({ dataDir: tempDir(), config });
    const app = await createHost({ core: service.link, rendererDir, kioskAddresses: config.kioskAddresses });
    try {
      const from = (remoteAddress: string, method: string, payload: unknown = {}) =>
        app.inject({ method: 'POST', url: `/api/${method}`, headers: json, payload: payload as object, remoteAddress });
      const lan = await from('192.168.1.50', 'press', score(service, 5));
      expect(lan.statusCode).toBe(403);
      expect(lan.json()).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
      expect((await from('192.168.1.50', 'getSession')).statusCode).toBe(403);
      expect((await from('192.168.1.50', 'getStatus')).statusCode).toBe(403); // the LAN gets the supervisor's methods only
      expect(service.status.read().answersStored).toBe(0);
      expect((await from('::ffff:192.168.1.60', 'press', score(service, 5))).statusCode).toBe(200); // the thin client
      expect((await from('::1', 'press', score(service, 4))).statusCode).toBe(200); // the kiosk itself
      expect(service.status.read().answersStored).toBe(2);
    } finally {
      await app.close();
      await service.close();
    }
  });

  it('the queue posts from loopback or a queue.allow address only, with its token; a console without a queue says so', async () => {
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>pult</title>');
    const config = PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE });
    const service = await PultService.open({ dataDir: tempDir(), config });
    const queue = { token: 'queue-token-0123456789abcdef', allow: ['10.0.0.7'] };
    const app = await createHost({ core: service.link, rendererDir, kioskAddresses: [], queue });
    const none = await createHost({ core: service.link, rendererDir, kioskAddresses: [] });
    try {
      const post = (remoteAddress: string, token = queue.token, host = app) =>
        host.inject({
          method: 'POST',
          url: '/queue/v1/events',
          headers: { ...json, authorization: `Bearer ${token}` },
          payload: { type: 'called', ticket: 'А-1', operatorId: 'op-1' },
          remoteAddress,
        });
      expect((await post('10.0.0.8')).statusCode).toBe(403);
      expect((await post('10.0.0.7', 'wrong')).statusCode).toBe(401);
      expect((await post('10.0.0.7')).json()).toMatchObject({ ok: true, value: { outcome: 'applied' } });
      expect((await post('127.0.0.1', queue.token, none)).statusCode).toBe(404);
    } finally {
      await app.close();
      await none.close();
      await service.close();
    }
  });

  it('GET /healthz: 200 with the version and counts while the core answers, 503 once it cannot read its database; console callers only', () =>
    withHost(async (app, service) => {
      const health = (remoteAddress = '127.0.0.1') =>
        app.inject({ method: 'GET', url: '/healthz', headers: { host: '127.0.0.1' }, remoteAddress });
      const healthy = await health();
      expect(healthy.json()).toEqual({ ok: true, version: APP_VERSION, answersStored: 0, outboxPending: 0 });
      // The kiosk's file:// start page may see that it answered (opaquely); nothing else crosses origins.
      expect(healthy.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(
        (await app.inject({ method: 'GET', url: '/', headers: { host: '127.0.0.1' } })).headers['cross-origin-resource-policy'],
      ).toBe('same-origin');
      expect((await health('192.168.1.50')).statusCode).toBe(403);
      await service.close();
      const down = await health();
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    }));

  it('a supervisor on the LAN: /admin is served, the PIN opens a session that reads figures and does not pause the console', async () => {
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>pult</title>');
    const dataDir = tempDir();
    await setPin(dataDir, '4321');
    const config = PultConfigSchema.parse({ ...DEMO_CONFIG, ...QUICK_CONSOLE });
    const service = await PultService.open({ dataDir, config });
    const app = await createHost({ core: service.link, rendererDir, kioskAddresses: config.kioskAddresses });
    try {
      const from = (remoteAddress: string, method: string, payload: unknown = {}) =>
        app.inject({ method: 'POST', url: `/api/${method}`, headers: json, payload: payload as object, remoteAddress });
      const get = (url: string) =>
        app.inject({ method: 'GET', url, headers: { host: '127.0.0.1' }, remoteAddress: '192.168.1.50' });
      for (const url of ['/', '/?x=1', '/index.html', '/index.html?kiosk'])
        expect(await get(url)).toMatchObject({ statusCode: 302, headers: { location: '/admin' } });
      const page = await get('/admin');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<title>pult</title>');
      expect((await from('192.168.1.50', 'getStats', { token: 'x'.repeat(43) })).statusCode).toBe(403);
      const opened = (await from('192.168.1.50', 'openSupervisor', { pin: '4321' })).json() as {
        value: { status: string; token: string; pausesRatings: boolean };
      };
      expect(opened.value).toMatchObject({ status: 'open', pausesRatings: false });
      expect((await from('192.168.1.50', 'getStats', { token: opened.value.token })).statusCode).toBe(200);
      expect(service.session.view().paused).toBe(false);
      expect((await get('/api/events')).statusCode).toBe(403);
      const onConsole = (await from('127.0.0.1', 'openSupervisor', { pin: '4321' })).json() as {
        value: { pausesRatings: boolean };
      };
      expect(onConsole.value.pausesRatings).toBe(true);
      expect(service.session.view().paused).toBe(true);
    } finally {
      await app.close();
      await service.close();
    }
  });

  it('unknown routes answer in the same {ok:false} envelope', () =>
    withHost(async (app) => {
      for (const [method, url] of [
        ['GET', '/nothing-here.js'],
        ['DELETE', '/api/press'],
        ['GET', '/api/getStatus'],
      ] as const) {
        const response = await app.inject({ method, url, headers: { host: '127.0.0.1' } });
        expect(response.statusCode, url).toBe(404);
        expect(response.json(), url).toMatchObject({ ok: false, error: { code: 'not_found' } });
      }
    }));

  it('a body with __proto__ is "not allowed", not "not valid JSON", and nothing is stored', () =>
    withHost(async (app, service) => {
      for (const payload of ['{"__proto__":{"admin":true},"question":"csi"}', '{"constructor":{"prototype":{"x":1}}}']) {
        const response = await app.inject({ method: 'POST', url: '/api/press', headers: json, payload });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toMatchObject({
          ok: false,
          error: { code: 'invalid_input', message: expect.stringMatching(/not allowed/) },
        });
      }
      expect(service.status.read().answersStored).toBe(0);
    }));

  it('a page from another origin may not call the console, even with a JSON content type', () =>
    withHost(async (app, service) => {
      const evil = await app.inject({
        method: 'POST',
        url: '/api/press',
        headers: { ...json, origin: 'https://evil.example' },
        payload: score(service, 1),
      });
      expect(evil.statusCode).toBe(403);
      expect(evil.json()).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
      const events = await app.inject({ method: 'GET', url: '/api/events', headers: { host: '127.0.0.1', origin: 'null' } });
      expect(events.statusCode).toBe(403);
      const own = await app.inject({
        method: 'POST',
        url: '/api/press',
        headers: { ...json, origin: 'http://127.0.0.1' },
        payload: score(service, 5),
      });
      expect(own.statusCode).toBe(200);
      expect(service.status.read().answersStored).toBe(1);
    }));

  it('a request body that never finishes is cut off, and taps keep working', () =>
    withHost(
      async (app, service) => {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const { port } = app.server.address() as net.AddressInfo;
        const stalled = net.connect(port, '127.0.0.1');
        stalled.write(
          'POST /api/press HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"que',
        );
        const closed = new Promise<string>((resolve) => {
          let answer = '';
          stalled.on('data', (chunk) => (answer += chunk.toString()));
          stalled.on('close', () => resolve(answer));
        });
        const tap = await fetch(`http://127.0.0.1:${port}/api/press`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(score(service, 5)),
        });
        expect(tap.status).toBe(200);
        expect(await closed).toMatch(/^HTTP\/1\.1 408/);
        expect(service.status.read().answersStored).toBe(1);
      },
      { requestTimeoutMs: 500 },
    ));

  it('an event stream that never reads is dropped instead of growing the server without end', async () => {
    // The host is given a core whose events the test sends: a status far bigger than a real one.
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>pult</title>');
    const listeners: ((payload: never) => void)[] = [];
    const core: CoreLink = {
      queueEvent: async () => fail('internal', 'no queue here'),
      invoke: async () => fail('unavailable', 'not used here'),
      on: (_event, listener) => (listeners.push(listener as (payload: never) => void), () => undefined),
      close: async () => undefined,
    };
    const app = await createHost({ core, rendererDir, kioskAddresses: [], limits: { maxBufferedEventBytes: 256 * 1024 } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as net.AddressInfo;
      const reader = net.connect(port, '127.0.0.1');
      reader.write('GET /api/events?events=status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await vi.waitFor(() => expect(app.eventClients()).toBe(1));
      reader.pause(); // reads nothing from now on
      const big = { storageNotices: [{ kind: 'integrity_check_not_run', reason: 'x'.repeat(64 * 1024), atMs: 0 }] };
      for (let i = 0; i < 400 && app.eventClients() > 0; i++) {
        listeners.forEach((listener) => listener(big as never));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(app.eventClients()).toBe(0);
      reader.destroy();
    } finally {
      await app.close();
    }
  });

  it('many screens may watch one console without a listener-leak warning', () =>
    withHost(async (app) => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => warnings.push(warning.name);
      process.on('warning', onWarning);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as net.AddressInfo;
      const screens = Array.from({ length: 30 }, () => {
        const socket = net.connect(port, '127.0.0.1');
        socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        return socket;
      });
      await vi.waitFor(() => expect(app.eventClients()).toBe(30));
      screens.forEach((socket) => socket.destroy());
      await vi.waitFor(() => expect(app.eventClients()).toBe(0));
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', onWarning);
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    }));

  it('a flood of connections is capped; a screen already connected keeps storing taps', () =>
    withHost(
      async (app, service) => {
        await app.listen({ port: 0, host: '127.0.0.1' });
        const { port } = app.server.address() as net.AddressInfo;
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        const tap = (value: number) =>
          new Promise<number>((resolve, reject) => {
            const request = http.request(
              {
                host: '127.0.0.1',
                port,
                path: '/api/press',
                method: 'POST',
                agent,
                headers: { 'content-type': 'application/json' },
              },
              (response) => response.resume().on('end', () => resolve(response.statusCode!)),
            );
            request.on('error', reject);
            request.end(JSON.stringify(score(service, value)));
          });
        expect(await tap(5)).toBe(200); // the kiosk's connection, open before the flood
        const flood = Array.from({ length: 60 }, () => net.connect(port, '127.0.0.1').on('error', () => {}));
        const refused = await Promise.all(
          flood.map(
            (socket) =>
              new Promise<boolean>((resolve) => {
                socket.once('close', () => resolve(true));
                socket.setTimeout(2_000, () => resolve(false));
              }),
          ),
        );
        expect(refused.filter(Boolean).length).toBeGreaterThanOrEqual(60 - 20);
        expect(await tap(4)).toBe(200);
        expect(service.status.read().answersStored).toBe(2);
        flood.forEach((socket) => socket.destroy());
        agent.destroy();
      },
      { maxConnections: 20 },
    ));
});
