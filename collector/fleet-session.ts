import crypto from 'node:crypto';

/**
 * The fleet page's login: an admin types the admin token once (a form POST, never a URL); the
 * collector answers with a session cookie (HttpOnly, SameSite=Strict) that names its expiry and
 * is signed with that admin's token hash. Nothing is kept on the collector — several collectors
 * behind one balancer accept it alike — and removing the admin from the tokens file ends every
 * session it opened.
 */
export const SESSION_COOKIE = 'pult_fleet';
export const SESSION_MS = 8 * 3_600_000;

const signature = (adminHash: string, expires: number): string =>
  crypto.createHmac('sha256', adminHash).update(`fleet-session:${expires}`).digest('base64url');

export const openSession = (adminHash: string, nowMs: number): string => {
  const expires = nowMs + SESSION_MS;
  return `${expires}.${signature(adminHash, expires)}`;
};

/** A cookie value this collector signed for an admin still in the tokens file, not expired. */
export function isSession(value: string | undefined, adminHashes: readonly string[], nowMs: number): boolean {
  const match = /^(\d{13,16})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires <= nowMs || expires > nowMs + SESSION_MS) return false;
  const given = Buffer.from(match[2]!);
  return adminHashes.some((hash) => crypto.timingSafeEqual(Buffer.from(signature(hash, expires)), given));
}
