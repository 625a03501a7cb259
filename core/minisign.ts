import crypto from 'node:crypto';

/**
 * Minisign signatures (https://jedisct1.github.io/minisign/), with node:crypto alone: Ed25519 over
 * the BLAKE2b-512 of the file ("ED", what Debian's `minisign -S` makes), and the trusted comment
 * signed with it. IT staff may make keys and sign with the minisign tool or with `pult keys
 * generate` / `pult sign`; either verifies with the other. What the library lacks (BLAKE2b-256,
 * the checksum inside minisign's secret key files) is why `pult keys generate` writes its secret
 * key as PKCS#8 PEM; `pult sign` also reads minisign's unencrypted keys (`minisign -G -W`).
 */
export interface PublicKey {
  /** The 8-byte key id, as minisign prints it (hex, most significant byte first). */
  id: string;
  key: crypto.KeyObject;
}

export type VerifyRefusal = 'not_a_signature' | 'untrusted_key' | 'bad_signature';

const UNTRUSTED = 'untrusted comment: ';
const TRUSTED = 'trusted comment: ';
/** The key id travels little-endian; minisign shows it as a 64-bit number. */
const idText = (bytes: Buffer): string => Buffer.from(bytes).reverse().toString('hex').toUpperCase();
const blake2b512 = (data: Buffer): Buffer => crypto.createHash('blake2b512').update(data).digest();

const ed25519Public = (raw: Buffer) =>
  crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });

const lines = (text: string): string[] => text.replace(/\r\n/g, '\n').split('\n');
const base64 = (line: string | undefined, length: number): Buffer | null => {
  if (!line || !/^[A-Za-z0-9+/]+={0,2}$/.test(line.trim())) return null;
  const bytes = Buffer.from(line.trim(), 'base64');
  return bytes.length === length ? bytes : null;
};

/** A minisign `.pub` file; null if it is not one. */
export function parsePublicKey(text: string): PublicKey | null {
  const [first, second] = lines(text);
  const bytes = base64(first?.startsWith(UNTRUSTED) ? second : first, 42);
  if (!bytes || bytes.subarray(0, 2).toString('latin1') !== 'Ed') return null;
  return { id: idText(bytes.subarray(2, 10)), key: ed25519Public(bytes.subarray(10)) };
}

interface Signature {
  prehashed: boolean;
  keyId: string;
  signature: Buffer;
  trustedComment: string;
  globalSignature: Buffer;
}

function parseSignature(text: string): Signature | null {
  const [untrusted, sig, trusted, global] = lines(text);
  if (!untrusted?.startsWith(UNTRUSTED) || !trusted?.startsWith(TRUSTED)) return null;
  const bytes = base64(sig, 74);
  const globalSignature = base64(global, 64);
  if (!bytes || !globalSignature) return null;
  const algorithm = bytes.subarray(0, 2).toString('latin1');
  if (algorithm !== 'ED' && algorithm !== 'Ed') return null;
  return {
    prehashed: algorithm === 'ED',
    keyId: idText(bytes.subarray(2, 10)),
    signature: bytes.subarray(10),
    trustedComment: trusted.slice(TRUSTED.length),
    globalSignature,
  };
}

/** Checks `content` against its `.minisig` text with any of the trusted keys. */
export function verify(
  content: Buffer,
  signatureText: string,
  trusted: readonly PublicKey[],
): { ok: true; keyId: string; trustedComment: string } | { ok: false; refusal: VerifyRefusal; keyId?: string } {
  const signature = parseSignature(signatureText);
  if (!signature) return { ok: false, refusal: 'not_a_signature' };
  const key = trusted.find((candidate) => candidate.id === signature.keyId);
  if (!key) return { ok: false, refusal: 'untrusted_key', keyId: signature.keyId };
  const message = signature.prehashed ? blake2b512(content) : content;
  const good =
    crypto.verify(null, message, key.key, signature.signature) &&
    crypto.verify(
      null,
      Buffer.concat([signature.signature, Buffer.from(signature.trustedComment)]),
      key.key,
      signature.globalSignature,
    );
  return good
    ? { ok: true, keyId: signature.keyId, trustedComment: signature.trustedComment }
    : { ok: false, refusal: 'bad_signature', keyId: signature.keyId };
}

export interface SecretKey {
  id: Buffer;
  key: crypto.KeyObject;
}

/** Why a secret key file cannot be used to sign. */
export class SecretKeyError extends Error {}

/**
 * A secret key: `pult keys generate`'s PEM (with its key id in the header line), or minisign's
 * unencrypted format. An encrypted minisign key is refused by name: sign with minisign itself.
 */
export function parseSecretKey(text: string): SecretKey {
  const pem = /^pult-minisign-key-id: ([0-9A-F]{16})$/m.exec(text);
  if (pem) {
    const key = crypto.createPrivateKey(text.slice(text.indexOf('-----BEGIN')));
    return { id: Buffer.from(pem[1]!, 'hex').reverse(), key };
  }
  const [first, second] = lines(text);
  const bytes = base64(first?.startsWith(UNTRUSTED) ? second : first, 158);
  if (!bytes || bytes.subarray(0, 2).toString('latin1') !== 'Ed') throw new SecretKeyError('not a pult or minisign secret key');
  if (bytes.subarray(2, 4).toString('latin1') !== '\0\0')
    throw new SecretKeyError(
      'this minisign key is encrypted with a password: sign with minisign -S, or make an unencrypted one (minisign -G -W)',
    );
  const keynum = bytes.subarray(54);
  const [seed, publicKey] = [keynum.subarray(8, 40), keynum.subarray(40, 72)];
  const key = crypto.createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: publicKey.toString('base64url') },
    format: 'jwk',
  });
  // The file's own checksum is BLAKE2b-256, which node:crypto lacks; a damaged key shows instead
  // as a public half that is not the seed's.
  const derived = crypto.createPublicKey(key).export({ format: 'jwk' }).x;
  if (derived !== publicKey.toString('base64url')) throw new SecretKeyError('the secret key file is damaged');
  return { id: keynum.subarray(0, 8), key };
}

/** A `.minisig` for `content`, prehashed ("ED"), as `minisign -S` writes it. */
export function sign(content: Buffer, secret: SecretKey, trustedComment: string): string {
  const signature = crypto.sign(null, blake2b512(content), secret.key);
  const global = crypto.sign(null, Buffer.concat([signature, Buffer.from(trustedComment)]), secret.key);
  const sigLine = Buffer.concat([Buffer.from('ED', 'latin1'), secret.id, signature]).toString('base64');
  return `${UNTRUSTED}signature from pult secret key\n${sigLine}\n${TRUSTED}${trustedComment}\n${global.toString('base64')}\n`;
}

/** A new key pair: the `.pub` text (minisign's format) and the secret key as PEM with its key id. */
export function generateKeyPair(): { id: string; publicText: string; secretText: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const keyId = crypto.randomBytes(8);
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const id = idText(keyId);
  const pub = Buffer.concat([Buffer.from('Ed', 'latin1'), keyId, raw]).toString('base64');
  return {
    id,
    publicText: `${UNTRUSTED}minisign public key ${id}\n${pub}\n`,
    secretText: `pult-minisign-key-id: ${id}\n${privateKey.export({ format: 'pem', type: 'pkcs8' }) as string}`,
  };
}
