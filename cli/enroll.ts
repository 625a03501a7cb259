import fs from 'node:fs';
import path from 'node:path';
import type { PreparedConsole } from '../core/console.js';
import { CONFIG_FILE_IN_DATA_DIR, readConfigJson } from '../core/config.node.js';
import { PultFailure } from '../core/errors.js';
import { replaceFile } from '../core/files.js';
import { DEMO_CONFIG, PultConfigSchema, describeIssues } from '../shared/config.js';
import { EnrolReplySchema, WireErrorSchema } from '../shared/wire.js';

/**
 * `pult enroll <collector URL> <code>`: one step instead of read the id, mint a token, copy it,
 * edit the config. The console's device id is registered with the code; the token it gets back
 * goes into `<data-dir>/collector.token` (owner-only, never printed) and the config in use gets
 * the office, the window and the collector's address.
 */
export const TOKEN_FILE = 'collector.token';

export async function enrollConsole(prepared: PreparedConsole, deviceId: string, endpoint: string, code: string) {
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol))
    throw new PultFailure('badEndpoint', { text: endpoint });
  let reply: Response;
  try {
    reply = await fetch(new URL('v1/enroll', endpoint.endsWith('/') ? endpoint : `${endpoint}/`), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, deviceId }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new PultFailure('enrolUnreachable', { endpoint, reason: (error as Error).message });
  }
  const body: unknown = await reply.json().catch(() => null);
  if (!reply.ok) {
    const error = WireErrorSchema.safeParse(body);
    throw new PultFailure('enrolRefused', {
      endpoint,
      reason: error.success ? error.data.error.message : `HTTP ${reply.status}`,
    });
  }
  const enrolled = EnrolReplySchema.safeParse(body);
  if (!enrolled.success) throw new PultFailure('enrolRefused', { endpoint, reason: 'its reply is not an enrolment' });
  const { token, office, window } = enrolled.data;

  // The config first (checked whole), then the token: a config that names a token file not yet there fails loudly at start.
  const configFile = prepared.configSource ?? path.join(prepared.dataDir, CONFIG_FILE_IN_DATA_DIR);
  const raw = (prepared.configSource ? readConfigJson(configFile) : structuredClone(DEMO_CONFIG)) as Record<string, unknown>;
  const tokenFile = path.join(prepared.dataDir, TOKEN_FILE);
  const asObject = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
  const { token: _old, ...sync } = asObject(raw.sync);
  const next = {
    ...raw,
    office: { ...asObject(raw.office), id: office },
    window: { ...asObject(raw.window), id: window, label: window },
    sync: { ...sync, endpoint, tokenFile },
  };
  const checked = PultConfigSchema.safeParse(next);
  if (!checked.success)
    throw new PultFailure('enrolConfig', { file: configFile, reason: describeIssues(checked.error).join('; ') });
  writeOwnerOnly(prepared.dataDir, tokenFile, `${token}\n`);
  replaceFile(
    configFile,
    `${JSON.stringify(next, null, 2)}\n`,
    fs.existsSync(configFile) ? fs.statSync(configFile).mode & 0o777 : 0o644,
  );
  return { office, window, configFile, tokenFile };
}

/** 0600, and owned by the data directory's owner when root runs this (`sudo pult enroll` on a packaged console). */
function writeOwnerOnly(dataDir: string, file: string, text: string): void {
  replaceFile(file, text, 0o600);
  const owner = fs.statSync(dataDir);
  if (process.getuid?.() === 0) fs.chownSync(file, owner.uid, owner.gid);
}
