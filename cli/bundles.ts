import fs from 'node:fs';
import path from 'node:path';
import { takeBundle } from '../core/bundles.js';
import type { PreparedConsole } from '../core/console.js';
import { PultFailure } from '../core/errors.js';
import { readSmallFile } from '../core/files.js';
import { generateKeyPair, parseSecretKey, SecretKeyError, sign } from '../core/minisign.js';
import { UntrustworthyKeyFile } from '../core/provision.js';
import { readConsoleReport } from '../core/status.js';
import type { AdminText } from '../shared/admin/text.js';
import { MAX_BUNDLE_BYTES } from '../shared/config-bundle.js';

/**
 * `pult keys generate`, `pult sign`, `pult provision`: IT staff's side of signed config bundles
 * (core/provision.ts has the rules). The secret key never leaves the machine it was made on; a
 * console holds only public keys.
 */

/** `pult keys generate [--out DIR] [--name NAME]`: NAME.pub (minisign's format) and NAME.key (owner-only). */
export function generateKeys(dir: string, name: string): { id: string; publicFile: string; secretFile: string } {
  const pair = generateKeyPair();
  fs.mkdirSync(dir, { recursive: true });
  const publicFile = path.join(dir, `${name}.pub`);
  const secretFile = path.join(dir, `${name}.key`);
  for (const file of [publicFile, secretFile]) if (fs.existsSync(file)) throw new PultFailure('keyExists', { file });
  fs.writeFileSync(secretFile, pair.secretText, { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(publicFile, pair.publicText, { mode: 0o644, flag: 'wx' });
  return { id: pair.id, publicFile, secretFile };
}

/** `pult sign FILE --key K`: FILE.minisig beside it, which `minisign -V` accepts too. */
export function signFile(file: string, keyFile: string): { signatureFile: string; keyId: string } {
  let secret;
  try {
    secret = parseSecretKey(readSmallFile(keyFile, 16_384));
  } catch (error) {
    const reason = error instanceof SecretKeyError ? error.message : (error as Error).message;
    throw new PultFailure('badSecretKey', { file: keyFile, reason });
  }
  const content = fs.readFileSync(file);
  const signatureFile = `${file}.minisig`;
  fs.writeFileSync(signatureFile, sign(content, secret, `file:${path.basename(file)}`));
  return { signatureFile, keyId: Buffer.from(secret.id).reverse().toString('hex').toUpperCase() };
}

/** `pult provision FILE [--trust KEY]…`: applied, or refused with one line saying why (exit 2). */
export function provisionFile(prepared: PreparedConsole, file: string, trust: readonly string[], t: AdminText) {
  const signatureFile = `${file}.minisig`;
  const refused = (reason: string): never => {
    throw new PultFailure('bundleRefused', { file, reason });
  };
  if (!fs.existsSync(signatureFile)) refused(t('provision.noSignature', { file: signatureFile }));
  const deviceId = readConsoleReport(prepared.dataDir).deviceId;
  if (!deviceId) throw new PultFailure('notInitialised', { dataDir: prepared.dataDir });
  let check;
  try {
    check = takeBundle({
      dataDir: prepared.dataDir,
      text: readSmallFile(file, MAX_BUNDLE_BYTES),
      signature: readSmallFile(signatureFile, 4_096),
      trust,
      resolved: prepared.reload(),
      deviceId,
      nowMs: Date.now(),
    });
  } catch (error) {
    if (error instanceof UntrustworthyKeyFile) return refused(t('provision.badTrustFile', { file: error.file }));
    throw error;
  }
  if (!check.ok) return refused(t(`provision.refusal.${check.refusal}`, { detail: check.detail, version: check.version ?? '' }));
  return { version: check.bundle.version, keyId: check.keyId };
}
