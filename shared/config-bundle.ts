import { z } from 'zod';

/**
 * A signed configuration bundle (docs/protocol.md, «Signed configuration bundles»): what IT staff
 * sign once and a console applies only if a key it trusts signed it, its version is higher than
 * the one in force, it has not expired and it names this console. `config` is laid over the
 * console's own config file (objects merged, anything else replaced), so one bundle can change
 * a question for fifty consoles whose windows differ; the result must pass the config schema.
 */
export const BUNDLE_FORMAT = 'pult-config/1';
/** A bundle is a config with a wrapper: the same bound as a config file. */
export const MAX_BUNDLE_BYTES = 1024 * 1024;

const target = z.array(z.string().min(1).max(64)).min(1).max(10_000);
export const ConfigBundleSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  expires: z.iso.datetime({ offset: true }),
  /** Absent lists do not narrow; every list given must name this console (its office, window id, device id). */
  targets: z.strictObject({ offices: target.optional(), windows: target.optional(), devices: target.optional() }),
  config: z.record(z.string(), z.unknown()),
});
export type ConfigBundle = z.output<typeof ConfigBundleSchema>;

/** What a bundle is checked against on the console. */
export interface BundleAudience {
  deviceId: string;
  office: string;
  window: string;
}

export const targetsConsole = (targets: ConfigBundle['targets'], audience: BundleAudience): boolean =>
  (!targets.offices || targets.offices.includes(audience.office)) &&
  (!targets.windows || targets.windows.includes(audience.window)) &&
  (!targets.devices || targets.devices.includes(audience.deviceId));

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The bundle's config laid over the console's: objects merged key by key, anything else replaced. */
export function overlay(base: Json, over: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    merged[key] = isObject(value) && isObject(base[key]) ? overlay(base[key], value) : value;
  }
  return merged;
}
