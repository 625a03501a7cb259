import crypto from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The host's request rules, each a small function the server applies in `onRequest`. They are
 * the second layer behind binding to 127.0.0.1: what a page on another site, or a rebinding DNS
 * name, could otherwise make a browser send to the console.
 */

const hostNameOf = (hostHeader: string): string => hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

/**
 * Only IP literals, localhost and configured names: a DNS-rebinding page (any other name) cannot
 * drive the console's API, while a supervisor's browser on the LAN can use the console's address.
 */
export function allowedHost(hostHeader: string | undefined, extraNames: readonly string[]): { ok: boolean; name: string } {
  const name = hostNameOf(hostHeader ?? '');
  return { ok: isIP(name) !== 0 || name === 'localhost' || extraNames.includes(name), name };
}

/**
 * A browser names the page that made a request in `Origin`. The console's own pages share its
 * origin; anything else (a site in another tab, a file:// page) is refused even when the JSON
 * content type got through. Requests without Origin (curl, same-origin GETs) are not browsers' cross-site calls.
 */
export function allowedOrigin(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === hostHeader;
  } catch {
    return false;
  }
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.5`, how a dual-stack socket reports it) in its IPv4 form. */
const plainAddress = (address: string): string => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/**
 * The applicant's screen is the console's own (loopback) or a configured thin client: when the
 * host listens on the LAN for a supervisor's browser, nobody else there can press answers into it.
 */
export function isKioskCaller(remoteAddress: string | undefined, kioskAddresses: readonly string[]): boolean {
  if (!remoteAddress) return false;
  const address = plainAddress(remoteAddress);
  return address === '::1' || address.startsWith('127.') || kioskAddresses.map(plainAddress).includes(address);
}

/** A bearer header compared in constant time (a token guessed byte by byte learns nothing from the timing). */
export function sameToken(given: string | undefined, expected: string): boolean {
  const [a, b] = [Buffer.from(given ?? ''), Buffer.from(expected)];
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
