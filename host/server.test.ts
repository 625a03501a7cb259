import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG, PultConfigSchema } from '../shared/config.js';
import { PultService } from '../core/service.js';
import { useTempDirs } from '../tests/support/temp-dir.js';
import { csiAnswer } from '../tests/support/answers.js';
import { createHost } from './server.js';

const tempDir = useTempDirs();

async function withHost(run: (app: Awaited<ReturnType<typeof createHost>>, service: PultService) => Promise<void>) {
  const rendererDir = tempDir();
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>pult</title>');
  const service = await PultService.open({ dataDir: tempDir(), config: PultConfigSchema.parse(DEMO_CONFIG) });
  const app = await createHost({ service, rendererDir });
  try {
    await run(app, service);
  } finally {
    await app.close();
    await service.close();
  }
}

const json = { 'content-type': 'application/json', host: '127.0.0.1' };

describe('browser host', () => {
  it('serves the contract: a stored answer, typed errors with HTTP status', () =>
    withHost(async (app, service) => {
      const stored = await app.inject({ method: 'POST', url: '/api/recordAnswer', headers: json, payload: csiAnswer(4) });
      expect(stored.statusCode).toBe(200);
      expect(stored.json()).toMatchObject({ ok: true, value: { seq: 1 } });
      const bad = await app.inject({ method: 'POST', url: '/api/recordAnswer', headers: json, payload: csiAnswer(0) });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: expect.stringMatching(/value: Too small/) },
      });
      const unknown = await app.inject({ method: 'POST', url: '/api/dropTables', headers: json, payload: {} });
      expect(unknown.statusCode).toBe(404);
      expect(service.getStatus().answersStored).toBe(1);
    }));

  it('answers malformed requests with a typed error and stores nothing', () =>
    withHost(async (app, service) => {
      const notJson = await app.inject({ method: 'POST', url: '/api/recordAnswer', headers: json, payload: '{"question":' });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const huge = await app.inject({
        method: 'POST',
        url: '/api/recordAnswer',
        headers: json,
        payload: JSON.stringify({ comment: 'x'.repeat(64_000) }),
      });
      expect(huge.statusCode).toBe(413);
      expect(huge.json()).toMatchObject({ ok: false });
      expect(service.getStatus().answersStored).toBe(0);
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

  it('pushes a status event to subscribers after each stored answer', () =>
    withHost(async (app, service) => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      const received = new Promise<string>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/api/events' }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text === ': connected\n\n') service.recordAnswer({ ...csiAnswer(5), flags: [] } as never);
            if (text.includes('event: status')) resolve(text);
          });
        });
      });
      expect(await received).toMatch(/event: status\ndata: \{"deviceId":"[^"]+","answersStored":1,"outboxPending":1/);
    }));
});
