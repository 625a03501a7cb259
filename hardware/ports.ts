import fs from 'node:fs';
import path from 'node:path';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { PortMatch } from '../shared/box.js';

/** A serial port as IT staff choose one: what the OS and the USB adapter say about it. */
export interface PortCandidate {
  path: string;
  /** Stable names under /dev/serial/by-id (adapter model + serial number) — Linux. */
  byId: string[];
  /** Stable names under /dev/serial/by-path (the USB socket it is plugged into) — Linux. */
  byPath: string[];
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  /** The USB port location: Windows' location id, or the by-path name on Linux. */
  location: string | null;
}

/** realpath → link names in one /dev/serial/by-* folder (absent on machines without USB serial). */
function linksIn(dir: string): Map<string, string[]> {
  const links = new Map<string, string[]>();
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return links;
  }
  for (const name of names) {
    try {
      const target = fs.realpathSync(path.join(dir, name));
      links.set(target, [...(links.get(target) ?? []), name]);
    } catch {
      // a link to a device that just went away
    }
  }
  return links;
}

export async function listPorts(binding: BindingInterface, linksDir = '/dev/serial'): Promise<PortCandidate[]> {
  const ports = await binding.list();
  const byId = linksIn(path.join(linksDir, 'by-id'));
  const byPath = linksIn(path.join(linksDir, 'by-path'));
  const lower = (value: string | undefined) => value?.toLowerCase() ?? null;
  return ports.map((port) => {
    const real = (() => {
      try {
        return fs.realpathSync(port.path);
      } catch {
        return port.path;
      }
    })();
    const paths = byPath.get(real) ?? [];
    return {
      path: port.path,
      byId: byId.get(real) ?? [],
      byPath: paths,
      vendorId: lower(port.vendorId),
      productId: lower(port.productId),
      serialNumber: port.serialNumber ?? null,
      manufacturer: port.manufacturer ?? null,
      location: port.locationId ?? paths[0] ?? null,
    };
  });
}

const matches = (port: PortCandidate, match: PortMatch): boolean =>
  port.vendorId === match.vendorId.toLowerCase() &&
  port.productId === match.productId.toLowerCase() &&
  (match.serialNumber === undefined || port.serialNumber === match.serialNumber) &&
  (match.location === undefined || port.location === match.location);

export type Picked = { path: string } | { problem: 'not_found' } | { problem: 'ambiguous'; count: number };

/**
 * The one port that matches. Two identical adapters with no serial number match the same USB ids:
 * the box is then NOT opened (a press must never be read from the wrong window's box) until the
 * config names the USB port location too.
 */
export function pickPort(ports: PortCandidate[], match: PortMatch): Picked {
  const found = ports.filter((port) => matches(port, match));
  if (found.length === 0) return { problem: 'not_found' };
  if (found.length > 1) return { problem: 'ambiguous', count: found.length };
  return { path: found[0]!.path };
}
