/**
 * SSH signatures in the format of `ssh-keygen -Y sign` (OpenSSH PROTOCOL.sshsig), over node:crypto:
 * verify, sign, and read the private keys ssh-keygen writes.
 *
 * Wire format (RFC 4251 §5): `string` = uint32 length + bytes, `mpint` = string holding a
 * big-endian two's-complement integer.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { TfguardError } from '../shared/errors.js';
import { asciiSafe } from '../shared/escape.js';
import { parseSshPublicKey, type SshPublicKey } from '../shared/ssh-key.js';
import { stripBom } from '../shared/text.js';

export type SshSigHashAlgorithm = 'sha256' | 'sha512';
export type RsaSignatureAlgorithm = 'rsa-sha2-256' | 'rsa-sha2-512';

export interface SshSignatureCheck {
  /** The exact bytes that were signed (the file given to `ssh-keygen -Y sign`). */
  message: Buffer;
  /** The `.sig` file's text: `-----BEGIN SSH SIGNATURE-----` … `-----END SSH SIGNATURE-----`. */
  armoredSignature: string;
  /** The namespace the signature must have been made for (`-n`), e.g. 'tfguard'. */
  namespace: string;
  /** The key that must have made it (the approver's key from the policy). */
  publicKey: SshPublicKey;
}

export type SshSignatureResult =
  | { ok: true; fingerprint: string; signatureAlgorithm: string; hashAlgorithm: SshSigHashAlgorithm }
  | { ok: false; reason: string };

export interface SshSigningKey {
  publicKey: SshPublicKey;
  privateKey: KeyObject;
}

export interface SshSignRequest {
  message: Buffer;
  namespace: string;
  privateKey: KeyObject;
  /** The signer's public key; derived from `privateKey` when left out, and checked against it when given. */
  publicKey?: SshPublicKey;
  /** How the message is hashed before signing; ssh-keygen's default is sha512. */
  hashAlgorithm?: SshSigHashAlgorithm;
  /** For RSA keys only; ssh-keygen always writes rsa-sha2-512. */
  rsaSignatureAlgorithm?: RsaSignatureAlgorithm;
}

const SIG_MAGIC = Buffer.from('SSHSIG', 'latin1');
const SIG_VERSION = 1;
const SIG_BEGIN = '-----BEGIN SSH SIGNATURE-----';
const SIG_END = '-----END SSH SIGNATURE-----';
// ssh-keygen wraps the base64 of signatures at 70 columns (sshbuf_dtob64 with wrap).
const SIG_LINE_LENGTH = 70;
const HASH_ALGORITHMS: readonly string[] = ['sha256', 'sha512'] satisfies SshSigHashAlgorithm[];
const RSA_SIGNATURE_HASHES: Record<string, string> = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };

const KEY_BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const KEY_END = '-----END OPENSSH PRIVATE KEY-----';
const KEY_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

const ED25519 = 'ssh-ed25519';
const RSA = 'ssh-rsa';
const SK_ED25519 = 'sk-ssh-ed25519@openssh.com';
const SK_ECDSA = 'sk-ecdsa-sha2-nistp256@openssh.com';
// FIDO flag: the user touched the security key (PROTOCOL.u2f "SSH U2F signatures").
const SK_USER_PRESENT = 0x01;

interface Curve {
  name: string;
  jwk: string;
  /** The hash ECDSA uses with this curve (RFC 5656 §6.2.1). */
  hash: string;
  coordinateBytes: number;
}

const CURVES: Record<string, Curve> = {
  nistp256: { name: 'nistp256', jwk: 'P-256', hash: 'sha256', coordinateBytes: 32 },
  nistp384: { name: 'nistp384', jwk: 'P-384', hash: 'sha384', coordinateBytes: 48 },
  nistp521: { name: 'nistp521', jwk: 'P-521', hash: 'sha512', coordinateBytes: 66 },
};
const CURVES_BY_JWK = new Map(Object.values(CURVES).map((curve) => [curve.jwk, curve]));

const SIGN_YOURSELF =
  'Write the payload with `tfguard approve --unsigned` and sign it with `ssh-keygen -Y sign -f KEY -n tfguard FILE` ' +
  '(or through your ssh-agent): tfguard does not ask for passphrases or talk to security keys';
const READABLE_KEYS = 'Give an unencrypted ed25519, ECDSA (P-256/384/521) or RSA key, in OpenSSH or PEM format';

// ---------------------------------------------------------------------------------------------
// Wire format

/** A malformed or unacceptable input; its message is the reason shown to the user. */
class FormatError extends Error {}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fail(reason: string): never {
  throw new FormatError(reason);
}

class WireReader {
  private offset = 0;

  /** `what` names the structure in messages, e.g. "the signature". */
  constructor(
    private readonly data: Buffer,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.data.length - this.offset;
  }

  raw(length: number, field: string): Buffer {
    if (length > this.remaining) fail(`${this.what} is truncated: ${field} needs ${length} bytes, only ${this.remaining} remain`);
    const value = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  u8(field: string): number {
    return this.raw(1, field)[0]!;
  }

  u32(field: string): number {
    return this.raw(4, field).readUInt32BE(0);
  }

  bytes(field: string): Buffer {
    if (this.remaining === 0) fail(`${this.what} is truncated: ${field} is missing`);
    return this.raw(this.u32(`the length of ${field}`), field);
  }

  /** A string field as text: UTF-8 (strictly, so that comparing texts compares bytes) without NUL. */
  text(field: string): string {
    const value = this.bytes(field);
    if (value.includes(0)) fail(`${this.what} is malformed: ${field} contains a NUL byte`);
    try {
      return STRICT_UTF8.decode(value);
    } catch {
      fail(`${this.what} is malformed: ${field} is not UTF-8 text`);
    }
  }

  /** The unsigned magnitude of a non-negative mpint, leading zeros removed. */
  mpint(field: string): Buffer {
    const value = this.bytes(field);
    if (value.length > 0 && (value[0]! & 0x80) !== 0) fail(`${this.what} is malformed: ${field} is negative`);
    let start = 0;
    while (start < value.length && value[start] === 0) start++;
    return value.subarray(start);
  }

  end(after: string): void {
    if (this.remaining > 0) fail(`${this.what} has ${this.remaining} unexpected trailing byte(s) after ${after}`);
  }
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
}

function string(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** mpint of an unsigned big-endian magnitude: minimal, with a zero byte when the top bit is set. */
function mpint(magnitude: Buffer): Buffer {
  let start = 0;
  while (start < magnitude.length && magnitude[start] === 0) start++;
  const minimal = magnitude.subarray(start);
  return string(minimal.length > 0 && (minimal[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.of(0), minimal]) : minimal);
}

function leftPad(magnitude: Buffer, length: number, field: string): Buffer {
  if (magnitude.length > length) fail(`the signature is malformed: ${field} is ${magnitude.length} bytes, at most ${length} allowed`);
  return Buffer.concat([Buffer.alloc(length - magnitude.length), magnitude]);
}

function sha256(data: Buffer | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function fingerprintOf(blob: Buffer): string {
  return 'SHA256:' + sha256(blob).toString('base64').replace(/=+$/, '');
}

/** A library error's message for a reason: printable ASCII, bounded. */
function errorText(error: unknown): string {
  return asciiSafe(error instanceof Error ? error.message : String(error)).slice(0, 120);
}

/** Input echoed in a reason: quoted, printable ASCII only, at most 40 characters. */
function quote(text: string): string {
  const chars = [...text];
  return `"${asciiSafe(chars.slice(0, 40).join(''))}${chars.length > 40 ? '...' : ''}"`;
}

/** Strict base64 (Buffer.from accepts anything): the alphabet, padding only at the end, whole quanta. */
function decodeBase64(text: string, what: string): Buffer {
  const bad = /[^A-Za-z0-9+/=]/.exec(text);
  if (bad) fail(`${what} is not valid base64: ${quote(bad[0])} is not in the base64 alphabet`);
  const padding = text.indexOf('=');
  if (padding !== -1 && (/[^=]/.test(text.slice(padding)) || text.length - padding > 2)) {
    fail(`${what} is not valid base64: "=" padding before the end`);
  }
  if (text.length % 4 !== 0) fail(`${what} is not valid base64: ${text.length} characters is not a multiple of 4 (truncated?)`);
  const decoded = Buffer.from(text, 'base64');
  if (decoded.toString('base64') !== text) fail(`${what} is not valid base64: non-zero bits in the padding`);
  return decoded;
}

/**
 * The base64 body between a header and a footer line. Lines may end in CRLF (git's autocrlf rewrites
 * them; base64 does not care), and only line breaks may follow the footer.
 */
function dearmor(text: string, begin: string, end: string, what: string): Buffer {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== begin) {
    fail(text.includes(begin) ? `${what} must start with the line "${begin}"` : `${what} has no "${begin}" header`);
  }
  const footer = lines.indexOf(end);
  if (footer === -1) fail(`${what} has no "${end}" footer (truncated?)`);
  if (lines.slice(footer + 1).some((line) => line !== '')) fail(`${what} has text after the "${end}" footer`);
  const body = lines.slice(1, footer).join('');
  if (body === '') fail(`${what} is empty between its header and footer`);
  return decodeBase64(body, what);
}

function armor(blob: Buffer): string {
  const base64 = blob.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < base64.length; at += SIG_LINE_LENGTH) lines.push(base64.slice(at, at + SIG_LINE_LENGTH));
  return `${SIG_BEGIN}\n${lines.join('\n')}\n${SIG_END}\n`;
}

// ---------------------------------------------------------------------------------------------
// Public keys: wire blob <-> KeyObject

interface VerifyingKey {
  type: string;
  key: KeyObject;
  curve?: Curve;
  /** The FIDO application of a security key (usually "ssh:"). */
  application?: string;
}

function ecPointToJwk(curve: Curve, point: Buffer): { x: string; y: string } {
  const size = 1 + 2 * curve.coordinateBytes;
  if (point.length !== size || point[0] !== 0x04) fail(`the ECDSA point is not an uncompressed ${curve.name} point`);
  return {
    x: point.subarray(1, 1 + curve.coordinateBytes).toString('base64url'),
    y: point.subarray(1 + curve.coordinateBytes).toString('base64url'),
  };
}

function curveOfKeyType(type: string): Curve | undefined {
  const match = /^(?:sk-)?ecdsa-sha2-(nistp\d+)(?:@openssh\.com)?$/.exec(type);
  return match ? CURVES[match[1]!] : undefined;
}

function verifyingKeyFromBlob(blob: Buffer): VerifyingKey {
  const reader = new WireReader(blob, 'the public key');
  const type = reader.text('the key type');
  if (type === ED25519 || type === SK_ED25519) {
    const point = reader.bytes('the ed25519 key');
    if (point.length !== 32) fail(`the ed25519 public key is ${point.length} bytes, expected 32`);
    const application = type === SK_ED25519 ? reader.text('the application') : undefined;
    reader.end('the key');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url') }, format: 'jwk' });
    return application === undefined ? { type, key } : { type, key, application };
  }
  const curve = curveOfKeyType(type);
  if (curve) {
    const curveName = reader.text('the curve name');
    if (curveName !== curve.name) fail(`the public key's curve ${quote(curveName)} does not match its type ${quote(type)}`);
    const point = ecPointToJwk(curve, reader.bytes('the ECDSA point'));
    const application = type === SK_ECDSA ? reader.text('the application') : undefined;
    reader.end('the key');
    const key = createPublicKey({ key: { kty: 'EC', crv: curve.jwk, ...point }, format: 'jwk' });
    return application === undefined ? { type, key, curve } : { type, key, curve, application };
  }
  if (type === RSA) {
    const e = reader.mpint('the RSA exponent');
    const n = reader.mpint('the RSA modulus');
    reader.end('the key');
    const key = createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') }, format: 'jwk' });
    return { type, key };
  }
  fail(`unsupported key type ${quote(type)}`);
}

function blobFromJwk(jwk: JsonWebKey): Buffer {
  const field = (name: 'x' | 'y' | 'n' | 'e'): Buffer => Buffer.from(jwk[name] ?? '', 'base64url');
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return Buffer.concat([string(ED25519), string(field('x'))]);
  if (jwk.kty === 'EC') {
    const curve = CURVES_BY_JWK.get(jwk.crv ?? '');
    if (!curve) fail(`unsupported elliptic curve ${quote(jwk.crv ?? '?')}; SSH uses P-256, P-384 or P-521`);
    const point = Buffer.concat([Buffer.of(0x04), field('x'), field('y')]);
    return Buffer.concat([string(`ecdsa-sha2-${curve.name}`), string(curve.name), string(point)]);
  }
  if (jwk.kty === 'RSA') return Buffer.concat([string(RSA), mpint(field('e')), mpint(field('n'))]);
  fail(`unsupported key type ${quote(jwk.kty ?? '?')}`);
}

function sshPublicKeyFromBlob(blob: Buffer, comment: string | undefined): SshPublicKey {
  const type = new WireReader(blob, 'the public key').text('the key type');
  // A key file's comment may hold anything; only a one-line printable one can follow the key.
  const usableComment = comment !== undefined && /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]+$/.test(comment) ? comment : undefined;
  const parsed = parseSshPublicKey(`${type} ${blob.toString('base64')}${usableComment ? ` ${usableComment}` : ''}`);
  if (!parsed.ok) fail(parsed.reason);
  return parsed.key;
}

/**
 * The SSH public key of a node:crypto key (public, or private: its public half), e.g. from
 * `generateKeyPairSync`. Ed25519, ECDSA P-256/384/521 and RSA (2048 bits and more).
 */
export function sshPublicKeyFromKeyObject(key: KeyObject, comment?: string): SshPublicKey {
  try {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    const type = publicKey.asymmetricKeyType;
    if (type === 'rsa-pss') fail('RSA-PSS keys cannot make SSH signatures; use a plain RSA key');
    if (type !== 'ed25519' && type !== 'ec' && type !== 'rsa') fail(`unsupported key type ${quote(type ?? publicKey.type)}`);
    return sshPublicKeyFromBlob(blobFromJwk(publicKey.export({ format: 'jwk' })), comment);
  } catch (error) {
    if (error instanceof FormatError) throw new TfguardError('key', error.message, 'Use an ed25519, ECDSA or RSA key');
    throw error;
  }
}

/** The one-line form of a public key, as in a .pub file or an allowed_signers entry (after the principal). */
export function formatSshPublicKey(key: SshPublicKey): string {
  return `${key.algorithm} ${key.blob.toString('base64')}${key.comment ? ` ${key.comment}` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// SSHSIG

interface SignatureBlob {
  publicKey: Buffer;
  namespace: string;
  hashAlgorithm: string;
  signature: Buffer;
}

function parseSignatureBlob(blob: Buffer): SignatureBlob {
  const reader = new WireReader(blob, 'the signature');
  if (blob.length < SIG_MAGIC.length || !blob.subarray(0, SIG_MAGIC.length).equals(SIG_MAGIC)) {
    fail('not an SSH signature: the data does not start with "SSHSIG"');
  }
  reader.raw(SIG_MAGIC.length, 'the magic');
  const version = reader.u32('the version');
  if (version !== SIG_VERSION) fail(`unsupported SSH signature version ${version}; only version ${SIG_VERSION} exists`);
  const publicKey = reader.bytes('the public key');
  const namespace = reader.text('the namespace');
  // Reserved for future use; PROTOCOL.sshsig says to ignore its contents, and it is not signed.
  reader.bytes('the reserved field');
  const hashAlgorithm = reader.text('the hash algorithm');
  const signature = reader.bytes('the signature value');
  reader.end('the signature value');
  return { publicKey, namespace, hashAlgorithm, signature };
}

/** What the SSH signature algorithm signs (PROTOCOL.sshsig §3): never the message itself. */
function signedData(namespace: string, hashAlgorithm: string, message: Buffer): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([SIG_MAGIC, string(namespace), string(''), string(hashAlgorithm), string(digest)]);
}

/** r and s of an SSH ECDSA signature (RFC 5656 §3.1.2) as the fixed-width r||s that node:crypto takes. */
function ecdsaSignature(encoded: Buffer, curve: Curve): Buffer {
  const reader = new WireReader(encoded, 'the ECDSA signature');
  const r = reader.mpint('r');
  const s = reader.mpint('s');
  reader.end('s');
  return Buffer.concat([leftPad(r, curve.coordinateBytes, 'r'), leftPad(s, curve.coordinateBytes, 's')]);
}

/**
 * The data a FIDO security key signed: sha256(application) || flags || counter || sha256(data)
 * (PROTOCOL.u2f; ssh-ed25519-sk.c, ssh-ecdsa-sk.c).
 */
function securityKeySignedData(application: string, flags: number, counter: number, data: Buffer): Buffer {
  return Buffer.concat([sha256(Buffer.from(application, 'utf8')), Buffer.of(flags), u32(counter), sha256(data)]);
}

function readSecurityKeyFlags(reader: WireReader): { flags: number; counter: number } {
  const flags = reader.u8('the security-key flags');
  const counter = reader.u32('the security-key counter');
  reader.end('the security-key counter');
  if ((flags & SK_USER_PRESENT) === 0) fail('the security key did not confirm user presence (nobody touched it) when signing');
  return { flags, counter };
}

function verifyRsa(key: VerifyingKey, algorithm: string, reader: WireReader, data: Buffer): boolean {
  if (algorithm === RSA) fail('RSA signatures with SHA-1 ("ssh-rsa") are not accepted; sign with rsa-sha2-256 or rsa-sha2-512');
  const hash = RSA_SIGNATURE_HASHES[algorithm];
  if (!hash) fail(`the signature algorithm ${quote(algorithm)} does not fit the key type "${key.type}"`);
  const modulusBytes = ((key.key.asymmetricKeyDetails?.modulusLength ?? 0) + 7) >> 3;
  // OpenSSH accepts signatures shorter than the modulus and left-pads them (ssh-rsa.c).
  const signature = leftPad(reader.bytes('the RSA signature'), modulusBytes, 'the RSA signature');
  reader.end('the RSA signature');
  return verify(hash, data, key.key, signature);
}

function verifyEd25519(key: VerifyingKey, reader: WireReader, data: Buffer): boolean {
  const signature = reader.bytes('the ed25519 signature');
  if (signature.length !== 64) fail(`the ed25519 signature is ${signature.length} bytes, expected 64`);
  if (key.application === undefined) {
    reader.end('the ed25519 signature');
    return verify(null, data, key.key, signature);
  }
  const { flags, counter } = readSecurityKeyFlags(reader);
  return verify(null, securityKeySignedData(key.application, flags, counter, data), key.key, signature);
}

function verifyEcdsa(key: VerifyingKey, curve: Curve, reader: WireReader, data: Buffer): boolean {
  const signature = ecdsaSignature(reader.bytes('the ECDSA signature'), curve);
  let signed = data;
  if (key.application === undefined) {
    reader.end('the ECDSA signature');
  } else {
    const { flags, counter } = readSecurityKeyFlags(reader);
    signed = securityKeySignedData(key.application, flags, counter, data);
  }
  return verify(curve.hash, signed, { key: key.key, dsaEncoding: 'ieee-p1363' }, signature);
}

/** Checks the SSH signature value over `data`; returns the signature algorithm. */
function checkSignatureValue(key: VerifyingKey, value: Buffer, data: Buffer): string {
  const reader = new WireReader(value, 'the signature value');
  const algorithm = reader.text('the signature algorithm');
  if (key.type !== RSA && algorithm !== key.type) {
    fail(`the signature algorithm ${quote(algorithm)} does not fit the key type "${key.type}"`);
  }
  const valid =
    key.type === RSA
      ? verifyRsa(key, algorithm, reader, data)
      : key.curve
        ? verifyEcdsa(key, key.curve, reader, data)
        : verifyEd25519(key, reader, data);
  if (!valid) fail('the signature does not match: the file was changed after signing, or the signature is not for it');
  return algorithm;
}

function checkRequest(input: SshSignatureCheck): void {
  if (input === null || typeof input !== 'object') fail('nothing to verify');
  if (!(input.message instanceof Uint8Array)) fail('the message must be bytes');
  if (typeof input.armoredSignature !== 'string') fail('the signature must be text');
  if (typeof input.namespace !== 'string' || input.namespace === '') fail('the expected namespace must be a non-empty string');
  if (!(input.publicKey?.blob instanceof Uint8Array)) fail('no public key to verify against');
}

function verifyOrFail(input: SshSignatureCheck): SshSignatureResult {
  checkRequest(input);
  const { namespace, publicKey } = input;
  const blob = dearmor(input.armoredSignature, SIG_BEGIN, SIG_END, 'the signature');
  const parsed = parseSignatureBlob(blob);
  if (parsed.namespace !== namespace) {
    fail(`the signature is for namespace ${quote(parsed.namespace)}, expected "${asciiSafe(namespace)}" (ssh-keygen -Y sign -n ${asciiSafe(namespace)})`);
  }
  if (!HASH_ALGORITHMS.includes(parsed.hashAlgorithm)) {
    fail(`unsupported hash algorithm ${quote(parsed.hashAlgorithm)}; expected sha256 or sha512`);
  }
  const expectedBlob = Buffer.from(publicKey.blob);
  if (!parsed.publicKey.equals(expectedBlob)) {
    fail(`the signature was made with key ${fingerprintOf(parsed.publicKey)}, not ${fingerprintOf(expectedBlob)}`);
  }
  const data = signedData(namespace, parsed.hashAlgorithm, Buffer.from(input.message));
  const signatureAlgorithm = checkSignatureValue(verifyingKeyFromBlob(expectedBlob), parsed.signature, data);
  return {
    ok: true,
    fingerprint: fingerprintOf(expectedBlob),
    signatureAlgorithm,
    hashAlgorithm: parsed.hashAlgorithm as SshSigHashAlgorithm,
  };
}

/**
 * Verifies an armored SSH signature (`ssh-keygen -Y sign` output) of `message`, made in `namespace`
 * by `publicKey`. Never throws: anything malformed, unsupported or wrong is `{ ok: false, reason }`.
 */
export function verifySshSignature(input: SshSignatureCheck): SshSignatureResult {
  try {
    return verifyOrFail(input);
  } catch (error) {
    if (error instanceof FormatError) return { ok: false, reason: error.message };
    return { ok: false, reason: `the signature could not be checked (${errorText(error)})` };
  }
}

function signatureValue(publicKey: SshPublicKey, privateKey: KeyObject, data: Buffer, rsaAlgorithm: RsaSignatureAlgorithm): Buffer {
  const type = publicKey.algorithm;
  if (type === ED25519) return Buffer.concat([string(ED25519), string(sign(null, data, privateKey))]);
  if (type === RSA) {
    const hash = RSA_SIGNATURE_HASHES[rsaAlgorithm];
    if (!hash) fail(`unsupported RSA signature algorithm ${quote(String(rsaAlgorithm))}; expected rsa-sha2-256 or rsa-sha2-512`);
    return Buffer.concat([string(rsaAlgorithm), string(sign(hash, data, privateKey))]);
  }
  const curve = curveOfKeyType(type);
  if (curve && !type.startsWith('sk-')) {
    const rs = sign(curve.hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    const r = rs.subarray(0, curve.coordinateBytes);
    const s = rs.subarray(curve.coordinateBytes);
    return Buffer.concat([string(type), string(Buffer.concat([mpint(r), mpint(s)]))]);
  }
  fail(`cannot sign with a ${quote(type)} key in-process`);
}

/**
 * Signs `message` exactly as `ssh-keygen -Y sign -n NAMESPACE` would with this key, and returns the
 * armored signature (the `.sig` file's text). Ed25519 and RSA signatures are deterministic, so for
 * those keys the output is byte-for-byte ssh-keygen's. Throws TfguardError for a key it cannot use.
 */
export function signSshSignature(request: SshSignRequest): string {
  const { message, namespace, privateKey, hashAlgorithm = 'sha512', rsaSignatureAlgorithm = 'rsa-sha2-512' } = request;
  const where = 'signing';
  if (typeof namespace !== 'string' || namespace === '' || namespace.includes('\0')) {
    throw new TfguardError(where, 'the namespace must be a non-empty string without NUL bytes');
  }
  if (!HASH_ALGORITHMS.includes(hashAlgorithm)) {
    throw new TfguardError(where, `unsupported hash algorithm ${quote(String(hashAlgorithm))}`, 'Use sha256 or sha512');
  }
  if (privateKey?.type !== 'private') throw new TfguardError(where, 'signing needs a private key');
  const derived = sshPublicKeyFromKeyObject(privateKey);
  const publicKey = request.publicKey ?? derived;
  if (!derived.blob.equals(publicKey.blob)) {
    throw new TfguardError(where, `the private key (${derived.fingerprint}) does not belong to the public key ${publicKey.fingerprint}`);
  }
  try {
    const data = signedData(namespace, hashAlgorithm, Buffer.from(message));
    const value = signatureValue(publicKey, privateKey, data, rsaSignatureAlgorithm);
    const blob = Buffer.concat([
      SIG_MAGIC,
      u32(SIG_VERSION),
      string(publicKey.blob),
      string(namespace),
      string(''),
      string(hashAlgorithm),
      string(value),
    ]);
    return armor(blob);
  } catch (error) {
    if (error instanceof FormatError) throw new TfguardError(where, error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Private keys

interface PrivateKeyFields {
  /** The public blob rebuilt from the private section, to compare with the file's public key. */
  publicBlob: Buffer;
  jwk: JsonWebKey;
}

function readEd25519Private(reader: WireReader): PrivateKeyFields {
  const point = reader.bytes('the ed25519 public key');
  const secret = reader.bytes('the ed25519 private key');
  // OpenSSH stores the 32-byte seed followed by the public key.
  if (point.length !== 32 || secret.length !== 64 || !secret.subarray(32).equals(point)) {
    fail('the ed25519 key is malformed');
  }
  return {
    publicBlob: Buffer.concat([string(ED25519), string(point)]),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: point.toString('base64url'), d: secret.subarray(0, 32).toString('base64url') },
  };
}

function readEcdsaPrivate(reader: WireReader, type: string, curve: Curve): PrivateKeyFields {
  const curveName = reader.text('the curve name');
  if (curveName !== curve.name) fail(`the curve ${quote(curveName)} does not match the key type "${type}"`);
  const point = reader.bytes('the ECDSA point');
  const d = leftPad(reader.mpint('the ECDSA private key'), curve.coordinateBytes, 'the ECDSA private key');
  return {
    publicBlob: Buffer.concat([string(type), string(curve.name), string(point)]),
    jwk: { kty: 'EC', crv: curve.jwk, ...ecPointToJwk(curve, point), d: d.toString('base64url') },
  };
}

const toBigInt = (magnitude: Buffer): bigint => (magnitude.length === 0 ? 0n : BigInt('0x' + magnitude.toString('hex')));

function fromBigInt(value: bigint): Buffer {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : '0' + hex, 'hex');
}

function readRsaPrivate(reader: WireReader): PrivateKeyFields {
  const n = reader.mpint('the RSA modulus');
  const e = reader.mpint('the RSA exponent');
  const d = reader.mpint('the RSA private exponent');
  const iqmp = reader.mpint('the RSA CRT coefficient');
  const p = reader.mpint('the RSA prime p');
  const q = reader.mpint('the RSA prime q');
  const [bigD, bigP, bigQ] = [toBigInt(d), toBigInt(p), toBigInt(q)];
  if (bigP < 2n || bigQ < 2n || bigP * bigQ !== toBigInt(n)) fail('the RSA key is malformed: n is not p*q');
  const b64 = (value: Buffer): string => value.toString('base64url');
  return {
    publicBlob: Buffer.concat([string(RSA), mpint(e), mpint(n)]),
    jwk: {
      kty: 'RSA',
      n: b64(n),
      e: b64(e),
      d: b64(d),
      p: b64(p),
      q: b64(q),
      // openssh-key-v1 does not store the CRT exponents; JWK needs them.
      dp: b64(fromBigInt(bigD % (bigP - 1n))),
      dq: b64(fromBigInt(bigD % (bigQ - 1n))),
      qi: b64(iqmp),
    },
  };
}

function readPrivateFields(reader: WireReader, type: string): PrivateKeyFields {
  if (type === ED25519) return readEd25519Private(reader);
  if (type === RSA) return readRsaPrivate(reader);
  if (type === SK_ED25519 || type === SK_ECDSA) {
    throw new NeedsExternalSigner(`this is a FIDO security-key key (${type}): only the security key itself can sign`);
  }
  const curve = curveOfKeyType(type);
  if (curve) return readEcdsaPrivate(reader, type, curve);
  fail(`unsupported key type ${quote(type)}; expected ed25519, ECDSA or RSA`);
}

interface OpenSshKeyFile {
  publicBlob: Buffer;
  fields: PrivateKeyFields;
  comment: string;
}

/** The openssh-key-v1 container (OpenSSH PROTOCOL.key), unencrypted. */
function parseOpenSshKeyFile(text: string): OpenSshKeyFile {
  const data = dearmor(text, KEY_BEGIN, KEY_END, 'the key file');
  if (data.length < KEY_MAGIC.length || !data.subarray(0, KEY_MAGIC.length).equals(KEY_MAGIC)) {
    fail('the key file is not in the openssh-key-v1 format');
  }
  const outer = new WireReader(data.subarray(KEY_MAGIC.length), 'the key file');
  const cipher = outer.text('the cipher name');
  const kdf = outer.text('the KDF name');
  if (cipher !== 'none' || kdf !== 'none') throw new NeedsExternalSigner(ENCRYPTED);
  outer.bytes('the KDF options');
  const count = outer.u32('the number of keys');
  if (count !== 1) fail(`the key file holds ${count} keys; expected exactly one`);
  const publicBlob = outer.bytes('the public key');
  const section = outer.bytes('the private key section');
  outer.end('the private key section');

  const reader = new WireReader(section, 'the private key section');
  const check1 = reader.u32('the first check number');
  const check2 = reader.u32('the second check number');
  if (check1 !== check2) fail('the key file is corrupt: its check numbers differ');
  const type = reader.text('the key type');
  const fields = readPrivateFields(reader, type);
  const comment = reader.bytes('the comment').toString('utf8');
  // Padding to the cipher block size (8 for "none"): the bytes 1, 2, 3, ...
  const padding = reader.raw(reader.remaining, 'the padding');
  if (padding.length >= 8 || padding.some((byte, index) => byte !== index + 1)) fail('the key file is corrupt: bad padding');
  if (!fields.publicBlob.equals(publicBlob)) fail('the key file is corrupt: its public and private parts are different keys');
  return { publicBlob, fields, comment };
}

/** A key tfguard cannot sign with but ssh-keygen can (passphrase, security key); its message is the reason. */
class NeedsExternalSigner extends Error {}

const ENCRYPTED = 'the private key is encrypted with a passphrase';

function assertKeyPairMatches(publicKey: SshPublicKey, privateKey: KeyObject): void {
  const mismatch = 'the key file is corrupt: its private key does not match its public key';
  if (!sshPublicKeyFromKeyObject(privateKey).blob.equals(publicKey.blob)) fail(mismatch);
  // Not every wrong private value changes the public key node:crypto derives (an RSA d, an EC
  // scalar imported next to its point): sign once to be sure.
  const probe = Buffer.from('tfguard key check', 'latin1');
  const namespace = 'tfguard-key-check';
  const signature = signSshSignature({ message: probe, namespace, privateKey, publicKey });
  if (!verifySshSignature({ message: probe, armoredSignature: signature, namespace, publicKey }).ok) fail(mismatch);
}

function readOpenSshFormat(text: string): SshSigningKey {
  const file = parseOpenSshKeyFile(text);
  const publicKey = sshPublicKeyFromBlob(file.publicBlob, file.comment.trim() || undefined);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: file.fields.jwk, format: 'jwk' });
  } catch (error) {
    fail(`the key file is corrupt: its private key cannot be loaded (${errorText(error)})`);
  }
  assertKeyPairMatches(publicKey, privateKey);
  return { publicKey, privateKey };
}

function readPemFormat(text: string): SshSigningKey {
  if (/^-----BEGIN ENCRYPTED PRIVATE KEY-----|^Proc-Type: *4, *ENCRYPTED/m.test(text)) throw new NeedsExternalSigner(ENCRYPTED);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: text, format: 'pem' });
  } catch (error) {
    fail(`the PEM private key cannot be read (${errorText(error)})`);
  }
  return { publicKey: sshPublicKeyFromKeyObject(privateKey), privateKey };
}

/**
 * Reads a private key file: `-----BEGIN OPENSSH PRIVATE KEY-----` (ssh-keygen's default;
 * unencrypted, ed25519, ECDSA or RSA) or PEM (PKCS#8, PKCS#1 RSA, SEC1 EC). `source` names the file
 * in errors. Throws TfguardError for anything it cannot use, including encrypted keys.
 */
export function readOpenSshPrivateKey(text: string, source = 'private key'): SshSigningKey {
  try {
    if (typeof text !== 'string') fail('expected the text of a private key file');
    const trimmed = stripBom(text).trim();
    if (trimmed.startsWith(KEY_BEGIN)) return readOpenSshFormat(trimmed);
    if (/^-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(trimmed) || trimmed.startsWith('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
      return readPemFormat(trimmed);
    }
    if (trimmed.startsWith('PuTTY-User-Key-File-')) fail('this is a PuTTY key; export it with `puttygen KEY -O private-openssh -o FILE`');
    if (/^(?:ssh-|ecdsa-|sk-)\S+ +AAAA/.test(trimmed)) fail('this is a public key; give the private key file (without .pub)');
    fail(`not a private key file; expected "${KEY_BEGIN}"`);
  } catch (error) {
    if (error instanceof NeedsExternalSigner) throw new TfguardError(source, error.message, SIGN_YOURSELF);
    if (error instanceof FormatError) {
      throw new TfguardError(source, error.message, READABLE_KEYS);
    }
    if (error instanceof TfguardError) throw new TfguardError(source, error.message, error.fix);
    throw new TfguardError(source, `the private key cannot be used (${errorText(error)})`);
  }
}
