import { asciiSafe } from './escape.js';
import { createHash, createPublicKey } from 'node:crypto';

export interface SshPublicKey {
  /** Algorithm name as in the key line, e.g. 'ssh-ed25519'. */
  algorithm: string;
  /** The decoded wire-format key blob (RFC 4253 §6.6 / RFC 8709 / RFC 5656 / OpenSSH PROTOCOL.u2f). */
  blob: Buffer;
  comment?: string;
  /** 'SHA256:' + unpadded base64 of sha256(blob), exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

export type SshKeyResult = { ok: true; key: SshPublicKey } | { ok: false; reason: string };

const ALGORITHMS = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;
type Algorithm = (typeof ALGORITHMS)[number];

const SUPPORTED_LIST = 'ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521 or sk-ssh-ed25519/sk-ecdsa-sha2-nistp256@openssh.com';
const LINE_SHAPE = '"<type> <base64> [comment]"';

const CURVES: Record<string, { jwk: string; coordinateBytes: number }> = {
  nistp256: { jwk: 'P-256', coordinateBytes: 32 },
  nistp384: { jwk: 'P-384', coordinateBytes: 48 },
  nistp521: { jwk: 'P-521', coordinateBytes: 66 },
};

const MIN_RSA_BITS = 2048;
// OpenSSH's own ceiling (SSH_RSA_MAXIMUM_MODULUS_SIZE); anything larger no OpenSSH can use.
const MAX_RSA_BITS = 16384;

// The option keywords sshd accepts at the start of an authorized_keys line (sshd(8) "AUTHORIZED_KEYS FILE FORMAT").
const AUTHORIZED_KEYS_OPTIONS = new Set([
  'agent-forwarding', 'cert-authority', 'command', 'environment', 'expiry-time', 'from', 'no-agent-forwarding',
  'no-port-forwarding', 'no-pty', 'no-touch-required', 'no-user-rc', 'no-x11-forwarding', 'permitlisten',
  'permitopen', 'port-forwarding', 'principals', 'pty', 'restrict', 'tunnel', 'user-rc', 'verify-required',
  'x11-forwarding',
]);

class KeyError extends Error {}

function fail(reason: string): never {
  throw new KeyError(reason);
}

export function parseSshPublicKey(line: string): SshKeyResult {
  try {
    return { ok: true, key: parse(line) };
  } catch (error) {
    if (error instanceof KeyError) return { ok: false, reason: error.message };
    throw error;
  }
}

function parse(line: unknown): SshPublicKey {
  if (typeof line !== 'string') fail(`expected a string, found ${line === null ? 'null' : typeof line}`);
  const text = line.trim();
  if (text === '') fail(`empty key; expected ${LINE_SHAPE}`);

  if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|^PuTTY-User-Key-File-/.test(text)) {
    fail('this is a private key; give the .pub line');
  }
  if (/^---- BEGIN SSH2 PUBLIC KEY ----/.test(text)) {
    fail('this is an RFC 4716 (SSH2) public key; give the one-line form from `ssh-keygen -i -f FILE`');
  }
  if (/^-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(text)) {
    fail('this is a PEM public key; give the one-line form from `ssh-keygen -i -m PKCS8 -f FILE`');
  }

  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '').length;
  if (lines > 1) fail(`expected one key line, found ${lines} lines`);

  const control = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.exec(text);
  if (control) fail(`key line contains a control character (${asciiSafe(control[0])}) at position ${control.index + 1}`);

  const match = /^([^ \t]+)(?:[ \t]+([^ \t]+))?(?:[ \t]+(.*))?$/s.exec(text);
  const type = match?.[1] ?? '';
  const data = match?.[2];
  const comment = match?.[3]?.trim();

  if (!isAlgorithm(type)) fail(unsupportedType(type, text));
  if (data === undefined) fail(`missing key data after "${type}"; expected "${type} <base64> [comment]"`);

  const blob = decodeBase64(data);
  checkBlob(type, blob);

  const fingerprint = 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return comment ? { algorithm: type, blob, comment, fingerprint } : { algorithm: type, blob, fingerprint };
}

function isAlgorithm(type: string): type is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(type);
}

function unsupportedType(type: string, text: string): string {
  // A long base64-looking first token is key data (missing type, or a PEM body line): never echo it.
  if (/^[A-Za-z0-9+/]{20,}={0,2}$/.test(type)) {
    return `missing key type; the line starts with base64 data, expected ${LINE_SHAPE}`;
  }
  if (/^(SHA256:[A-Za-z0-9+/]{43}|MD5(:[0-9a-f]{2}){16})$/.test(type)) {
    return 'this is a key fingerprint; give the .pub line';
  }
  const optionName = (/^[^=, \t]*/.exec(type)?.[0] ?? '').toLowerCase();
  const laterTokens = text.split(/[ \t]+/).slice(1);
  if (AUTHORIZED_KEYS_OPTIONS.has(optionName) || laterTokens.some(isAlgorithm)) {
    return `authorized_keys options are not allowed (found ${quote(optionName || type)} before the key type); expected ${LINE_SHAPE}`;
  }
  if (/-cert-v0[01]@openssh\.com$/.test(type)) {
    return `unsupported key type ${quote(type)}: certificates are not supported; give the plain public key`;
  }
  return `unsupported key type ${quote(type)}; expected ${SUPPORTED_LIST}`;
}

function decodeBase64(text: string): Buffer {
  const prefix = 'key data is not valid base64';
  const bad = /[^A-Za-z0-9+/=]/u.exec(text);
  if (bad) {
    const hint = bad[0] === '-' || bad[0] === '_' ? ' (URL-safe base64 is not accepted)' : '';
    fail(`${prefix}: ${quote(bad[0])} at position ${bad.index + 1} is not in the base64 alphabet${hint}`);
  }
  const padding = text.indexOf('=');
  if (padding !== -1) {
    if (/[^=]/.test(text.slice(padding))) fail(`${prefix}: "=" at position ${padding + 1} is before the end`);
    if (text.length - padding > 2) fail(`${prefix}: ${text.length - padding} "=" padding characters, at most 2 allowed`);
  }
  if (text.length % 4 !== 0) fail(`${prefix}: length ${text.length} is not a multiple of 4 (missing "=" padding?)`);
  const decoded = Buffer.from(text, 'base64');
  // With the checks above, a round-trip mismatch can only come from non-zero unused bits in the last character.
  if (decoded.toString('base64') !== text) fail(`${prefix}: non-zero unused bits before the "=" padding`);
  return decoded;
}

class BlobReader {
  private offset = 0;

  constructor(private readonly blob: Buffer) {}

  get remaining(): number {
    return this.blob.length - this.offset;
  }

  bytes(field: string): Buffer {
    if (this.remaining === 0) fail(`key data is truncated: ${field} is missing`);
    if (this.remaining < 4) fail(`key data is truncated: ${field} needs a 4-byte length, only ${this.remaining} byte(s) remain`);
    const length = this.blob.readUInt32BE(this.offset);
    this.offset += 4;
    if (length > this.remaining) fail(`key data is truncated: ${field} needs ${length} bytes, only ${this.remaining} remain`);
    const value = this.blob.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  text(field: string): string {
    const value = this.bytes(field);
    if (value.includes(0)) fail(`${field} contains a NUL byte`);
    return value.toString('latin1');
  }

  /** RFC 4251 §5 mpint, returned as its unsigned magnitude. */
  mpint(field: string): Buffer {
    const value = this.bytes(field);
    if (value.length === 0) return value;
    if ((value[0]! & 0x80) !== 0) fail(`${field} is malformed: negative`);
    // OpenSSH tolerates extra leading zeros but fingerprints the re-encoded key, so only the
    // minimal encoding gives ssh-keygen's fingerprint.
    if (value[0] === 0 && (value.length === 1 || (value[1]! & 0x80) === 0)) {
      fail(`${field} is malformed: not minimally encoded (extra leading zero byte)`);
    }
    return value[0] === 0 ? value.subarray(1) : value;
  }

  end(after: string): void {
    if (this.remaining > 0) fail(`key data has ${this.remaining} unexpected trailing byte(s) after ${after}`);
  }
}

function checkBlob(algorithm: Algorithm, blob: Buffer): void {
  const reader = new BlobReader(blob);
  const embedded = reader.text('the key type');
  if (embedded !== algorithm) fail(`key data is for type ${quote(embedded)} but the line says "${algorithm}"`);

  switch (algorithm) {
    case 'ssh-ed25519':
    case 'sk-ssh-ed25519@openssh.com': {
      const key = reader.bytes('the ed25519 public key');
      if (key.length !== 32) fail(`ed25519 public key must be 32 bytes, found ${key.length}`);
      if (algorithm === 'sk-ssh-ed25519@openssh.com') readApplication(reader, algorithm);
      reader.end(algorithm === 'ssh-ed25519' ? 'the ed25519 public key' : 'the application string');
      return;
    }
    case 'ssh-rsa': {
      const exponent = reader.mpint('the RSA exponent');
      const modulus = reader.mpint('the RSA modulus');
      reader.end('the RSA modulus');
      checkRsa(exponent, modulus);
      return;
    }
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
    case 'sk-ecdsa-sha2-nistp256@openssh.com': {
      const expected = /nistp\d+/.exec(algorithm)![0];
      const curve = reader.text('the ECDSA curve name');
      if (curve !== expected) fail(`ECDSA curve ${quote(curve)} does not match key type "${algorithm}" (expected "${expected}")`);
      checkEcPoint(expected, reader.bytes('the ECDSA point'));
      if (algorithm.startsWith('sk-')) readApplication(reader, algorithm);
      reader.end(algorithm.startsWith('sk-') ? 'the application string' : 'the ECDSA point');
      return;
    }
  }
}

function readApplication(reader: BlobReader, algorithm: Algorithm): void {
  const missing = `${algorithm} key has no application string; expected one such as "ssh:"`;
  if (reader.remaining === 0) fail(missing);
  if (reader.text('the application string') === '') fail(missing);
}

function checkRsa(exponent: Buffer, modulus: Buffer): void {
  const last = (value: Buffer): number => value[value.length - 1] ?? 0;
  if (exponent.length === 0 || (last(exponent) & 1) === 0 || (exponent.length === 1 && exponent[0] === 1)) {
    fail('RSA exponent is malformed: expected an odd integer >= 3');
  }
  if (modulus.length === 0) fail('RSA modulus is malformed: zero');
  if ((last(modulus) & 1) === 0) fail('RSA modulus is malformed: even');
  const bits = (modulus.length - 1) * 8 + (32 - Math.clz32(modulus[0]!));
  if (bits < MIN_RSA_BITS) fail(`RSA key is ${bits} bits; at least ${MIN_RSA_BITS} are required (weak key)`);
  if (bits > MAX_RSA_BITS) fail(`RSA key is ${bits} bits; at most ${MAX_RSA_BITS} are supported`);
  if (exponent.length > modulus.length || (exponent.length === modulus.length && exponent.compare(modulus) >= 0)) {
    fail('RSA exponent is malformed: not smaller than the modulus');
  }
}

function checkEcPoint(curve: string, point: Buffer): void {
  const { jwk, coordinateBytes } = CURVES[curve]!;
  const size = 1 + 2 * coordinateBytes;
  const prefix = point[0];
  if (prefix === 0x02 || prefix === 0x03) {
    fail(`ECDSA point must be uncompressed (first byte 0x04), found compressed form (0x0${prefix})`);
  }
  if (prefix !== undefined && prefix !== 0x04) {
    fail(`ECDSA point must be uncompressed (first byte 0x04), found first byte 0x${prefix.toString(16).padStart(2, '0')}`);
  }
  if (point.length !== size) fail(`ECDSA ${curve} point must be ${size} bytes, found ${point.length}`);
  const x = point.subarray(1, 1 + coordinateBytes).toString('base64url');
  const y = point.subarray(1 + coordinateBytes).toString('base64url');
  try {
    // OpenSSL rejects coordinates that are out of range or not on the curve when importing.
    createPublicKey({ key: { kty: 'EC', crv: jwk, x, y }, format: 'jwk' });
  } catch {
    fail(`ECDSA point is not on curve ${curve}`);
  }
}

/** Input echoed in a reason: quoted, printable ASCII only, at most 40 characters. */
function quote(text: string): string {
  const chars = [...text];
  return `"${asciiSafe(chars.slice(0, 40).join(''))}${chars.length > 40 ? '...' : ''}"`;
}
