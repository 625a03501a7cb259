import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCollector } from '../collector/server.js';
import { openSqliteStore } from '../collector/sqlite-store.js';
import { addAdmin, addDevice, tokenRegistry } from '../collector/tokens.js';
import { FleetReplySchema } from '../shared/wire.js';
import { useTempDirs } from './support/temp-dir.js';

/** `GET /v1/fleet` and the `/fleet` page's doors, on the collector's injected clock. */
const tempDir = useTempDirs();

async function collector() {
  const dir = tempDir();
  const tokens = path.join(dir, 'tokens.json');
  const admin = addAdmin(tokens);
  const [seen, unseen] = [crypto.randomUUID(), crypto.randomUUID()];
  const deviceToken = addDevice(tokens, seen);
  addDevice(tokens, unseen);
  let now = Date.parse('2026-12-02T09:00:00Z');
  const store = openSqliteStore(path.join(dir, 'c.db'));
  const app = await createCollector({
    store,
    tokens: tokenRegistry(tokens),
    now: () => now,
    thresholds: { lateAfterMs: 3_000, offlineAfterMs: 6_000 },
  });
  const beat = () =>
    app.inject({
      method: 'POST',
      url: '/v1/heartbeat',
      headers: { authorization: `Bearer ${deviceToken}` },
      payload: {
        schema: 1,
        device: { id: seen, office: 'mfc-1', window: 'w-3', appVersion: '0.1.0', bootId: crypto.randomUUID() },
        sentAt: now,
        outboxDepth: 2,
        oldestUnsentAt: now - 1_000,
        lastAckAt: null,
        lastError: null,
        quarantineCount: 0,
        freeDiskBytes: 5e9,
        clockOffsetMs: 250,
        lastAnswerAt: now - 500,
        configVersion: 3,
      },
    });
  const fleet = async () => {
    const reply = await app.inject({ url: '/v1/fleet', headers: { authorization: `Bearer ${admin}` } });
    expect(reply.statusCode).toBe(200);
    return FleetReplySchema.parse(reply.json());
  };
  return {
    app,
    admin,
    seen,
    unseen,
    beat,
    fleet,
    tick: (ms: number) => (now += ms),
    close: () => app.close().then(() => store.close()),
  };
}

describe('GET /v1/fleet', () => {
  it('lists every registered console with its state on the collector’s clock; only for an admin', async () => {
    const c = await collector();
    try {
      expect((await c.beat()).statusCode).toBe(200);
      let consoles = (await c.fleet()).consoles;
      const byId = new Map(consoles.map((entry) => [entry.deviceId, entry]));
      expect(byId.get(c.unseen)).toMatchObject({ state: 'never', office: null, lastSeenAt: null, alerts: [] });
      expect(byId.get(c.seen)).toMatchObject({
        state: 'online',
        office: 'mfc-1',
        window: 'w-3',
        pending: 2,
        configVersion: 3,
        clockOffsetMs: 250,
        lastAnswerAt: Date.parse('2026-12-02T09:00:00Z') - 500 + 250,
      });
      c.tick(3_000);
      consoles = (await c.fleet()).consoles;
      expect(consoles.find((entry) => entry.deviceId === c.seen)?.state).toBe('late');
      c.tick(3_000);
      consoles = (await c.fleet()).consoles;
      expect(consoles.find((entry) => entry.deviceId === c.seen)?.state).toBe('offline');

      for (const authorization of [undefined, 'Bearer nope']) {
        const reply = await c.app.inject({ url: '/v1/fleet', headers: authorization ? { authorization } : {} });
        expect(reply.statusCode).toBe(401);
      }
    } finally {
      await c.close();
    }
  });
});

describe('the /fleet page', () => {
  it('sends the console’s security headers; signs in only from its own form; never shows the fleet without a session', async () => {
    const c = await collector();
    try {
      const login = await c.app.inject({ url: '/fleet', headers: { 'accept-language': 'en' } });
      expect(login.statusCode).toBe(200);
      expect(login.body).toContain('Admin token');
      expect(login.body).not.toContain(c.seen);
      expect(login.headers['content-security-policy']).toContain("script-src 'self'");
      expect(login.headers['content-security-policy']).toContain("form-action 'self'");
      expect(login.headers['x-content-type-options']).toBe('nosniff');

      const post = (headers: Record<string, string>, token = c.admin) =>
        c.app.inject({
          method: 'POST',
          url: '/fleet/login',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
          payload: `token=${encodeURIComponent(token)}`,
        });
      expect((await post({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await post({ origin: 'http://evil.example' })).statusCode).toBe(403);
      expect((await post({ 'sec-fetch-site': 'same-origin' }, 'wrong')).statusCode).toBe(401);
      const signedIn = await post({ 'sec-fetch-site': 'same-origin' });
      expect(signedIn.statusCode).toBe(303);
      const cookie = String(signedIn.headers['set-cookie']);
      expect(cookie).toMatch(/^pult_fleet=[^;]+;.*HttpOnly/);
      expect(cookie).toContain('SameSite=Strict');

      const page = await c.app.inject({ url: '/fleet', headers: { cookie: cookie.split(';')[0]! } });
      expect(page.body).toContain(`data-device="${c.unseen}"`);
      // A forged or expired cookie is no session.
      const forged = await c.app.inject({
        url: '/fleet',
        headers: { cookie: `pult_fleet=${Date.now() + 1000}.${'A'.repeat(43)}` },
      });
      expect(forged.body).not.toContain(`data-device="${c.unseen}"`);
      c.tick(9 * 3_600_000);
      const expired = await c.app.inject({ url: '/fleet', headers: { cookie: cookie.split(';')[0]! } });
      expect(expired.body).not.toContain(`data-device="${c.unseen}"`);
    } finally {
      await c.close();
    }
  });
});
