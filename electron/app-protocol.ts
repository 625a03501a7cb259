import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { SECURITY_HEADERS } from '../shared/security-headers.js';

/** The console is served from app://pult/, never file://, so it has an origin of its own. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'pult';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  // stream: the spoken prompts (<audio>) are media, which Chromium reads from a scheme only with it.
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: false },
};

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ogg': 'audio/ogg',
};

/** Maps app://pult/<path> into rendererDir; anything outside it (../) or another host is 404. */
export function resolveAppFile(url: string, rendererDir: string): string | null {
  const parsed = new URL(url);
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  const relative = decodeURIComponent(parsed.pathname).replace(/^\/+/, '') || 'index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
      return new Response(body, { headers: { ...SECURITY_HEADERS, 'content-type': type } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
