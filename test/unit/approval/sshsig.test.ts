import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpint, str, u32 } from '../../helpers/ssh-wire.js';
import {
  formatSshPublicKey,
  readOpenSshPrivateKey,
  signSshSignature,
  sshPublicKeyFromKeyObject,
  verifySshSignature,
  type SshSignatureResult,
} from '../../../src/approval/sshsig.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { parseSshPublicKey, type SshPublicKey } from '../../../src/shared/ssh-key.js';
import { ROOT } from '../../helpers/paths.js';

// Real ssh-keygen keys and signatures made by scripts/generate-sshsig-fixtures.sh; see test/fixtures/sshsig/README.md.
const FIXTURES = join(ROOT, 'test', 'fixtures', 'sshsig');
const fixtureText = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const MESSAGE = readFileSync(join(FIXTURES, 'message.txt'));
const NAMESPACE = 'tfguard';

function publicKeyFromLine(line: string): SshPublicKey {
  const parsed = parseSshPublicKey(line);
  if (!parsed.ok) throw new Error(`test key does not parse: ${parsed.reason}`);
  return parsed.key;
}
const fixtureKey = (name: string): SshPublicKey => publicKeyFromLine(fixtureText(`${name}.pub`));

/** `ssh-keygen -lf` output, keyed by comment. */
const keygenFingerprints = new Map(
  fixtureText('fingerprints.txt')
    .trim()
    .split('\n')
    .map((row) => {
      const [, fingerprint, comment] = /^\d+ (SHA256:\S+) (\S+) \(\w+\)$/.exec(row)!;
      return [comment!, fingerprint!] as const;
    }),
);

// --- SSH wire format, written independently of the code under test (RFC 4251 §5, PROTOCOL.sshsig) ---

const sha = (algorithm: string, data: Buffer | string): Buffer => createHash(algorithm).update(data).digest();

function readStrings(data: Buffer, count: number): { fields: Buffer[]; rest: Buffer } {
  const fields: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = data.readUInt32BE(at);
    fields.push(data.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { fields, rest: data.subarray(at) };
}

interface SigParts {
  magic: Buffer;
  version: number;
  publicKey: Buffer;
  namespace: Buffer;
  reserved: Buffer;
  hashAlgorithm: Buffer;
  signature: Buffer;
  trailing: Buffer;
}

function armorBlob(blob: Buffer): string {
  const lines = blob.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN SSH SIGNATURE-----', ...lines, '-----END SSH SIGNATURE-----', ''].join('\n');
}
const dearmorBlob = (armored: string): Buffer =>
  Buffer.from(armored.replace(/-----(BEGIN|END) SSH SIGNATURE-----/g, '').replace(/\s/g, ''), 'base64');

function decodeSig(armored: string): SigParts {
  const blob = dearmorBlob(armored);
  const { fields, rest } = readStrings(blob.subarray(10), 5);
  const [publicKey, namespace, reserved, hashAlgorithm, signature] = fields as [Buffer, Buffer, Buffer, Buffer, Buffer];
  return { magic: blob.subarray(0, 6), version: blob.readUInt32BE(6), publicKey, namespace, reserved, hashAlgorithm, signature, trailing: rest };
}

function encodeSig(parts: SigParts): string {
  return armorBlob(
    Buffer.concat([
      parts.magic,
      u32(parts.version),
      ...[parts.publicKey, parts.namespace, parts.reserved, parts.hashAlgorithm, parts.signature].map(str),
      parts.trailing,
    ]),
  );
}

const modifySig = (armored: string, change: Partial<SigParts>): string => encodeSig({ ...decodeSig(armored), ...change });

/** The bytes the SSH signature algorithm signs (PROTOCOL.sshsig §3). */
const sshsigSignedData = (message: Buffer, namespace = NAMESPACE, hashAlgorithm = 'sha512'): Buffer =>
  Buffer.concat([Buffer.from('SSHSIG'), str(namespace), str(''), str(hashAlgorithm), str(sha(hashAlgorithm, message))]);

const signatureAlgorithmOf = (armored: string): string => readStrings(decodeSig(armored).signature, 1).fields[0]!.toString();

// --- assertions ---

const verifyWith = (publicKey: SshPublicKey, armoredSignature: string, message = MESSAGE, namespace = NAMESPACE): SshSignatureResult =>
  verifySshSignature({ message, armoredSignature, namespace, publicKey });

function expectVerified(result: SshSignatureResult, publicKey: SshPublicKey): void {
  if (!result.ok) throw new Error(`expected a valid signature, got: ${result.reason}`);
  expect(result.fingerprint).toBe(publicKey.fingerprint);
}

/** A rejection whose reason matches and is one short printable line. */
function expectRejected(result: SshSignatureResult, reason: RegExp): void {
  if (result.ok) throw new Error(`expected a rejection matching ${reason}, but the signature verified`);
  expect(result.reason).toMatch(reason);
  expect(result.reason).toMatch(/^[\x20-\x7e]+$/);
  expect(result.reason.length).toBeLessThan(200);
}

function expectTfguardError(run: () => unknown, message: RegExp, fix?: RegExp): TfguardError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TfguardError);
  const error = caught as TfguardError;
  expect(error.message).toMatch(message);
  if (fix) expect(error.fix).toMatch(fix);
  return error;
}

// --- ssh-keygen, run in a temporary directory ---

let work = '';
let fileCounter = 0;
const workFile = (name: string): string => join(work, `${++fileCounter}-${name}`);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tfguard-sshsig-'));
  const found = spawnSync('ssh-keygen', ['-V'], { encoding: 'utf8' });
  if (found.error) throw new Error('these tests need ssh-keygen on PATH (apt-get install openssh-client)');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function keygen(type: string, bits: number | undefined, extra: string[] = []): string {
  const path = workFile(`key-${type}`);
  const size = bits === undefined ? [] : ['-b', String(bits)];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...size, '-N', '', '-C', `alice-${type}`, ...extra, '-f', path], { stdio: 'pipe' });
  return path;
}

function keygenSign(keyPath: string, message: Buffer, options: string[] = []): string {
  const path = workFile('message');
  writeFileSync(path, message);
  execFileSync('ssh-keygen', ['-Y', 'sign', '-q', '-f', keyPath, '-n', NAMESPACE, ...options.flatMap((o) => ['-O', o]), path], { stdio: 'pipe' });
  return readFileSync(`${path}.sig`, 'utf8');
}

/** `ssh-keygen -Y verify -f allowed_signers -I alice -n tfguard -s FILE.sig < FILE` */
function keygenVerify(publicKey: SshPublicKey, armored: string, message = MESSAGE, namespace = NAMESPACE): { ok: boolean; output: string } {
  const allowed = workFile('allowed_signers');
  const signature = workFile('message.sig');
  writeFileSync(allowed, `alice ${formatSshPublicKey(publicKey)}\n`);
  writeFileSync(signature, armored);
  const run = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', 'alice', '-n', namespace, '-s', signature], {
    input: message,
    encoding: 'utf8',
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

function keygenFingerprint(publicKeyLine: string): string {
  const path = workFile('key.pub');
  writeFileSync(path, `${publicKeyLine}\n`);
  return execFileSync('ssh-keygen', ['-lf', path], { encoding: 'utf8' }).split(' ')[1]!;
}

// ---------------------------------------------------------------------------------------------

describe('signatures made by ssh-keygen (committed fixtures)', () => {
  it.each([
    ['ed25519', 'ed25519', 'ssh-ed25519', 'sha512'],
    ['ed25519-sha256', 'ed25519', 'ssh-ed25519', 'sha256'],
    ['ecdsa-p256', 'ecdsa-p256', 'ecdsa-sha2-nistp256', 'sha512'],
    ['ecdsa-p384', 'ecdsa-p384', 'ecdsa-sha2-nistp384', 'sha512'],
    ['ecdsa-p521', 'ecdsa-p521', 'ecdsa-sha2-nistp521', 'sha512'],
    ['rsa-3072', 'rsa-3072', 'rsa-sha2-512', 'sha512'],
    ['rsa-3072-sha256', 'rsa-3072', 'rsa-sha2-512', 'sha256'],
  ])('%s.sig verifies with %s.pub', (signature, key, signatureAlgorithm, hashAlgorithm) => {
    const publicKey = fixtureKey(key);
    const result = verifyWith(publicKey, fixtureText(`${signature}.sig`));
    expectVerified(result, publicKey);
    expect(result).toMatchObject({ signatureAlgorithm, hashAlgorithm, fingerprint: keygenFingerprints.get(`tfguard-sshsig-${key}`) });
  });
});

describe('interoperability with ssh-keygen, keys generated in the test', () => {
  it.each([
    ['ed25519', undefined],
    ['ecdsa', 256],
    ['ecdsa', 384],
    ['ecdsa', 521],
    ['rsa', 3072],
  ])('%s %s: ssh-keygen signs and tfguard verifies; tfguard signs and ssh-keygen verifies', (type, bits) => {
    const keyPath = keygen(type, bits);
    const key = readOpenSshPrivateKey(readFileSync(keyPath, 'utf8'), keyPath);
    const publicLine = readFileSync(`${keyPath}.pub`, 'utf8');
    expect(key.publicKey.blob.equals(publicKeyFromLine(publicLine).blob)).toBe(true);
    expect(key.publicKey.fingerprint).toBe(keygenFingerprint(publicLine));
    expect(key.publicKey.comment).toBe(`alice-${type}`);

    const byKeygen = keygenSign(keyPath, MESSAGE);
    expectVerified(verifyWith(key.publicKey, byKeygen), key.publicKey);

    const byTfguard = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, ...key });
    expect(keygenVerify(key.publicKey, byTfguard)).toEqual({
      ok: true,
      output: expect.stringContaining(`Good "tfguard" signature for alice`),
    });
    expectVerified(verifyWith(key.publicKey, byTfguard), key.publicKey);
    // Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic: the whole file must be ssh-keygen's.
    if (type !== 'ecdsa') expect(byTfguard).toBe(byKeygen);
  });

  it('an ECDSA signature from tfguard has the shape of ssh-keygen\'s: header, 70-column base64, footer, newline', () => {
    const key = readOpenSshPrivateKey(readFileSync(keygen('ecdsa', 521), 'utf8'));
    const armored = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, ...key });
    const lines = armored.split('\n');
    expect(lines[0]).toBe('-----BEGIN SSH SIGNATURE-----');
    expect(lines.at(-2)).toBe('-----END SSH SIGNATURE-----');
    expect(lines.at(-1)).toBe('');
    const body = lines.slice(1, -2);
    expect(body.slice(0, -1).every((line) => line.length === 70)).toBe(true);
    expect(body.at(-1)!.length).toBeLessThanOrEqual(70);
  });

  it('hashalg=sha256: byte-for-byte what `ssh-keygen -Y sign -O hashalg=sha256` writes', () => {
    const keyPath = keygen('ed25519', undefined);
    const key = readOpenSshPrivateKey(readFileSync(keyPath, 'utf8'));
    const byTfguard = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, ...key, hashAlgorithm: 'sha256' });
    expect(byTfguard).toBe(keygenSign(keyPath, MESSAGE, ['hashalg=sha256']));
    expect(verifyWith(key.publicKey, byTfguard)).toMatchObject({ ok: true, hashAlgorithm: 'sha256' });
  });

  it('rsa-sha2-256 (which ssh-keygen cannot write) is accepted by ssh-keygen -Y verify and by tfguard', () => {
    const key = readOpenSshPrivateKey(readFileSync(keygen('rsa', 2048), 'utf8'));
    const armored = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, ...key, rsaSignatureAlgorithm: 'rsa-sha2-256' });
    expect(signatureAlgorithmOf(armored)).toBe('rsa-sha2-256');
    expect(keygenVerify(key.publicKey, armored).ok).toBe(true);
    expect(verifyWith(key.publicKey, armored)).toMatchObject({ ok: true, signatureAlgorithm: 'rsa-sha2-256' });
  });

  it.each([
    ['ecdsa', 256, 'PEM', /^-----BEGIN EC PRIVATE KEY-----/],
    ['ecdsa', 384, 'PKCS8', /^-----BEGIN PRIVATE KEY-----/],
    ['rsa', 2048, 'PEM', /^-----BEGIN RSA PRIVATE KEY-----/],
    ['rsa', 2048, 'PKCS8', /^-----BEGIN PRIVATE KEY-----/],
  ])('a %s %s key written by ssh-keygen -m %s is read, and its signatures verify with ssh-keygen', (type, bits, format, header) => {
    const keyPath = keygen(type, bits, ['-m', format]);
    const text = readFileSync(keyPath, 'utf8');
    expect(text).toMatch(header);
    const key = readOpenSshPrivateKey(text);
    expect(key.publicKey.fingerprint).toBe(keygenFingerprint(readFileSync(`${keyPath}.pub`, 'utf8')));
    expect(keygenVerify(key.publicKey, signSshSignature({ message: MESSAGE, namespace: NAMESPACE, ...key })).ok).toBe(true);
  });

  it('a key file whose line endings were rewritten to CRLF is still read', () => {
    const keyPath = keygen('ed25519', undefined);
    const key = readOpenSshPrivateKey(readFileSync(keyPath, 'utf8').replace(/\n/g, '\r\n'));
    expect(key.publicKey.fingerprint).toBe(keygenFingerprint(readFileSync(`${keyPath}.pub`, 'utf8')));
  });
});

describe('keys generated with node:crypto', () => {
  const cases: [string, () => { privateKey: KeyObject; publicKey: KeyObject }][] = [
    ['ed25519', () => generateKeyPairSync('ed25519')],
    ['ecdsa P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' })],
    ['ecdsa P-384', () => generateKeyPairSync('ec', { namedCurve: 'P-384' })],
    ['ecdsa P-521', () => generateKeyPairSync('ec', { namedCurve: 'P-521' })],
    ['rsa 2048', () => generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ];

  it.each(cases)('%s: tfguard signs, ssh-keygen -Y verify accepts, and the key reads back from PKCS#8', (_name, generate) => {
    const pair = generate();
    const publicKey = sshPublicKeyFromKeyObject(pair.publicKey, 'alice@example');
    expect(publicKey.fingerprint).toBe(keygenFingerprint(formatSshPublicKey(publicKey)));
    expect(sshPublicKeyFromKeyObject(pair.privateKey).blob.equals(publicKey.blob)).toBe(true);

    const armored = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, privateKey: pair.privateKey });
    expect(keygenVerify(publicKey, armored)).toMatchObject({ ok: true });
    expectVerified(verifyWith(publicKey, armored), publicKey);

    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(readOpenSshPrivateKey(pem).publicKey.fingerprint).toBe(publicKey.fingerprint);
  });

  it.each([
    ['ed448', () => generateKeyPairSync('ed448').privateKey, /unsupported key type "ed448"/],
    ['secp256k1', () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, /unsupported elliptic curve "secp256k1"/],
    ['rsa 1024', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, /1024 bits; at least 2048/],
    ['rsa-pss', () => generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey, /RSA-PSS/],
    ['dsa', () => generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey, /unsupported key type "dsa"/],
    ['x25519', () => generateKeyPairSync('x25519').privateKey, /unsupported key type "x25519"/],
  ])('a %s key cannot sign: TfguardError', (_name, generate, message) => {
    expectTfguardError(() => signSshSignature({ message: MESSAGE, namespace: NAMESPACE, privateKey: generate() }), message);
  });

  it('signing with a private key that is not the given public key is refused', () => {
    const mine = generateKeyPairSync('ed25519');
    const other = sshPublicKeyFromKeyObject(generateKeyPairSync('ed25519').publicKey);
    expectTfguardError(
      () => signSshSignature({ message: MESSAGE, namespace: NAMESPACE, privateKey: mine.privateKey, publicKey: other }),
      /does not belong to the public key SHA256:/,
    );
  });

  it('an empty namespace is refused when signing', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expectTfguardError(() => signSshSignature({ message: MESSAGE, namespace: '', privateKey }), /namespace/);
  });
});

// --- security keys: built from node:crypto keys following PROTOCOL.u2f, since ssh-keygen needs a FIDO token ---

interface SecurityKey {
  type: 'sk-ssh-ed25519@openssh.com' | 'sk-ecdsa-sha2-nistp256@openssh.com';
  privateKey: KeyObject;
  publicKey: SshPublicKey;
}

function securityKey(type: SecurityKey['type'], application = 'ssh:'): SecurityKey {
  if (type === 'sk-ssh-ed25519@openssh.com') {
    const pair = generateKeyPairSync('ed25519');
    const point = Buffer.from(pair.publicKey.export({ format: 'jwk' }).x!, 'base64url');
    const blob = Buffer.concat([str(type), str(point), str(application)]);
    return { type, privateKey: pair.privateKey, publicKey: publicKeyFromLine(`${type} ${blob.toString('base64')}`) };
  }
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pair.publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.of(4), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const blob = Buffer.concat([str(type), str('nistp256'), str(point), str(application)]);
  return { type, privateKey: pair.privateKey, publicKey: publicKeyFromLine(`${type} ${blob.toString('base64')}`) };
}

/** What a FIDO authenticator returns for SSHSIG signed data, wrapped as ssh-keygen would. */
function securityKeySign(key: SecurityKey, { flags = 0x01, counter = 42, application = 'ssh:', message = MESSAGE } = {}): string {
  const signed = Buffer.concat([sha('sha256', application), Buffer.of(flags), u32(counter), sha('sha256', sshsigSignedData(message))]);
  const value =
    key.type === 'sk-ssh-ed25519@openssh.com'
      ? str(sign(null, signed, key.privateKey))
      : (() => {
          const rs = sign('sha256', signed, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
          return str(Buffer.concat([mpint(rs.subarray(0, 32)), mpint(rs.subarray(32))]));
        })();
  const signature = Buffer.concat([str(key.type), value, Buffer.of(flags), u32(counter)]);
  return armorBlob(
    Buffer.concat([Buffer.from('SSHSIG'), u32(1), str(key.publicKey.blob), str(NAMESPACE), str(''), str('sha512'), str(signature)]),
  );
}

describe('security-key (sk-) signatures', () => {
  const types = ['sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com'] as const;

  it.each(types)('%s: verified by tfguard and by ssh-keygen -Y verify', (type) => {
    const key = securityKey(type);
    const armored = securityKeySign(key);
    expect(keygenVerify(key.publicKey, armored)).toMatchObject({ ok: true });
    expect(verifyWith(key.publicKey, armored)).toMatchObject({ ok: true, signatureAlgorithm: type, fingerprint: key.publicKey.fingerprint });
  });

  // Stricter than ssh-keygen 9.2, whose -Y verify accepts such signatures.
  it.each(types)('%s: a signature without the user-presence flag is rejected', (type) => {
    const key = securityKey(type);
    expectRejected(verifyWith(key.publicKey, securityKeySign(key, { flags: 0x04 })), /user presence/);
  });

  it.each(types)('%s: flags or counter changed after signing do not verify', (type) => {
    const key = securityKey(type);
    const parts = decodeSig(securityKeySign(key, { flags: 0x01, counter: 1 }));
    const length = parts.signature.length;
    const withFlags = Buffer.from(parts.signature);
    withFlags[length - 5] = 0x05;
    const withCounter = Buffer.from(parts.signature);
    withCounter[length - 1] = 2;
    expectRejected(verifyWith(key.publicKey, encodeSig({ ...parts, signature: withFlags })), /does not match/);
    expectRejected(verifyWith(key.publicKey, encodeSig({ ...parts, signature: withCounter })), /does not match/);
  });

  it.each(types)('%s: a signature for another application does not verify', (type) => {
    const key = securityKey(type);
    expectRejected(verifyWith(key.publicKey, securityKeySign(key, { application: 'ssh:other' })), /does not match/);
  });

  it('an sk- private key file is refused with the way to sign it instead', () => {
    const key = securityKey('sk-ssh-ed25519@openssh.com');
    const point = readStrings(key.publicKey.blob, 2).fields[1]!;
    const secret = Buffer.concat([
      u32(7),
      u32(7),
      str(key.type),
      str(point),
      str('ssh:'),
      Buffer.of(0x01),
      str(Buffer.alloc(64, 9)), // key handle
      str(''), // reserved
      str('alice'),
    ]);
    const padded = Buffer.concat([secret, Buffer.from([1, 2, 3, 4, 5, 6, 7].slice(0, (8 - (secret.length % 8)) % 8))]);
    const file = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(key.publicKey.blob), str(padded)]);
    const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${file.toString('base64').match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    expectTfguardError(() => readOpenSshPrivateKey(text), /security-key/, /--unsigned.*ssh-keygen -Y sign/);
  });
});

describe('private key files that cannot be used', () => {
  it('an encrypted openssh key: TfguardError saying to sign with ssh-keygen or an agent', () => {
    const keyPath = keygen('ed25519', undefined);
    execFileSync('ssh-keygen', ['-q', '-p', '-N', 'secret', '-P', '', '-f', keyPath], { stdio: 'pipe' });
    const error = expectTfguardError(
      () => readOpenSshPrivateKey(readFileSync(keyPath, 'utf8'), keyPath),
      /encrypted with a passphrase/,
      /tfguard approve --unsigned.*ssh-keygen -Y sign -f KEY -n tfguard FILE.*ssh-agent/,
    );
    expect(error.where).toBe(keyPath);
  });

  it.each([
    ['PEM', 'rsa', 2048],
    ['PKCS8', 'ecdsa', 256],
  ])('an encrypted %s key: the same advice', (format, type, bits) => {
    const path = workFile('encrypted');
    execFileSync('ssh-keygen', ['-q', '-t', type, '-b', String(bits), '-m', format, '-N', 'secret', '-f', path], { stdio: 'pipe' });
    expectTfguardError(() => readOpenSshPrivateKey(readFileSync(path, 'utf8')), /encrypted/, /--unsigned/);
  });

  it.each([
    ['a public key', () => fixtureText('ed25519.pub'), /this is a public key/],
    ['empty text', () => '', /not a private key file/],
    ['a PuTTY key', () => 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n', /PuTTY/],
    ['a truncated key file', () => readFileSync(keygen('ed25519', undefined), 'utf8').slice(0, 200), /footer/],
    ['bad base64', () => '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blb!!!\n-----END OPENSSH PRIVATE KEY-----\n', /base64/],
    ['not openssh-key-v1', () => `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('hello world!').toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`, /openssh-key-v1/],
    ['a garbled PEM key', () => '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /cannot be read/],
    ['a DSA PEM key', () => generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), /unsupported key type "dsa"/],
  ])('%s: TfguardError', (_name, text, message) => {
    expectTfguardError(() => readOpenSshPrivateKey(text()), message);
  });

  /** The key file with one bit flipped in the `index`th string of its private section (0 = the key type). */
  function alterPrivateField(text: string, index: number): string {
    const lines = text.trim().split('\n');
    const data = Buffer.from(lines.slice(1, -1).join(''), 'base64');
    // magic (15 bytes), cipher, kdf, kdf options, uint32 key count, public key, private section
    const { rest } = readStrings(data.subarray(15), 3);
    const section = readStrings(rest.subarray(4), 2).fields[1]!;
    const sectionAt = data.indexOf(section);
    const { fields: privateFields } = readStrings(section.subarray(8), index + 1);
    const field = privateFields[index]!;
    const at = sectionAt + section.indexOf(field) + 1;
    data[at] = data[at]! ^ 0x02;
    return [lines[0], ...data.toString('base64').match(/.{1,70}/g)!, lines.at(-1), ''].join('\n');
  }

  it.each([
    ['ed25519', undefined, 2, 'the seed', /does not match its public key/],
    ['ecdsa', 256, 3, 'the private scalar', /does not match its public key/],
    ['rsa', 2048, 3, 'the private exponent d', /does not match its public key/],
    ['rsa', 2048, 5, 'the prime p', /n is not p\*q/],
    ['ecdsa', 384, 2, 'the public point', /public and private parts are different keys|not on curve|ECDSA point/],
  ])('a %s %s key file with field %d (%s) altered is refused', (type, bits, index, _what, message) => {
    const altered = alterPrivateField(readFileSync(keygen(type, bits), 'utf8'), index);
    expectTfguardError(() => readOpenSshPrivateKey(altered), message);
  });
});

describe('attacks and malformed signatures', () => {
  const key = fixtureKey('ed25519');
  const good = fixtureText('ed25519.sig');

  it('the baseline verifies', () => {
    expectVerified(verifyWith(key, good), key);
  });

  it('the message changed by one byte', () => {
    const changed = Buffer.from(MESSAGE);
    changed[10] = changed[10]! ^ 0x01;
    expectRejected(verifyWith(key, good, changed), /does not match/);
  });

  it('no single-byte change anywhere in the message verifies', () => {
    for (let at = 0; at < MESSAGE.length; at++) {
      const changed = Buffer.from(MESSAGE);
      changed[at] = changed[at]! ^ 0x80;
      expect(verifyWith(key, good, changed).ok).toBe(false);
    }
  });

  it('the signature value changed by one byte', () => {
    const parts = decodeSig(good);
    const signature = Buffer.from(parts.signature);
    signature[signature.length - 1] = signature[signature.length - 1]! ^ 0x01;
    expectRejected(verifyWith(key, encodeSig({ ...parts, signature })), /does not match/);
  });

  it('no single-byte change anywhere in the signature blob verifies, and none throws', () => {
    const blob = dearmorBlob(good);
    for (let at = 0; at < blob.length; at++) {
      const changed = Buffer.from(blob);
      changed[at] = changed[at]! ^ 0x01;
      expectRejected(verifyWith(key, armorBlob(changed)), /./);
    }
  });

  it('the wrong namespace', () => {
    expectRejected(verifyWith(key, good, MESSAGE, 'git'), /namespace "tfguard", expected "git"/);
    const forGit = modifySig(good, { namespace: Buffer.from('git') });
    expectRejected(verifyWith(key, forGit, MESSAGE, 'tfguard'), /namespace "git", expected "tfguard"/);
  });

  it('a signature made by another key type', () => {
    expectRejected(
      verifyWith(key, fixtureText('ecdsa-p256.sig')),
      new RegExp(`made with key ${escape(fixtureKey('ecdsa-p256').fingerprint)}, not ${escape(key.fingerprint)}`),
    );
  });

  it('a signature made by another ed25519 key', () => {
    const other = generateKeyPairSync('ed25519');
    const armored = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, privateKey: other.privateKey });
    expectRejected(verifyWith(key, armored), /made with key SHA256:\S+, not SHA256:/);
  });

  it('the embedded public key replaced: not the given key, and the signature is not that key\'s either', () => {
    const other = sshPublicKeyFromKeyObject(generateKeyPairSync('ed25519').publicKey);
    const swapped = modifySig(good, { publicKey: other.blob });
    expectRejected(verifyWith(key, swapped), /made with key SHA256:\S+, not SHA256:/);
    expectRejected(verifyWith(other, swapped), /does not match/);
  });

  it('another key\'s signature relabelled with the given key', () => {
    const other = generateKeyPairSync('ed25519');
    const armored = signSshSignature({ message: MESSAGE, namespace: NAMESPACE, privateKey: other.privateKey });
    expectRejected(verifyWith(key, modifySig(armored, { publicKey: key.blob })), /does not match/);
  });

  it('truncated armor: no footer', () => {
    expectRejected(verifyWith(key, good.slice(0, Math.floor(good.length / 2))), /no "-----END SSH SIGNATURE-----" footer/);
  });

  it('truncated armor: a base64 line missing', () => {
    const lines = good.split('\n');
    expectRejected(verifyWith(key, [...lines.slice(0, -3), ...lines.slice(-2)].join('\n')), /truncated|base64/);
  });

  it('every truncation of the signature blob is rejected without an exception', () => {
    const blob = dearmorBlob(good);
    for (let length = 0; length < blob.length; length++) {
      expectRejected(verifyWith(key, armorBlob(blob.subarray(0, length))), /./);
    }
    expectRejected(verifyWith(key, armorBlob(blob.subarray(0, 40))), /truncated: the namespace|truncated/);
  });

  it.each([
    ['empty text', ''],
    ['a word', 'hello'],
    ['binary noise', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151) % 256)).toString('latin1')],
    ['a PGP signature', '-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n'],
    ['text before the header', `signed by alice\n${good}`],
    ['an empty body', '-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n'],
    ['characters outside base64', '-----BEGIN SSH SIGNATURE-----\nU1NI!0lH\n-----END SSH SIGNATURE-----\n'],
    ['URL-safe base64', good.replace(/\+/g, '-').replace(/\//g, '_')],
    ['base64 that is not whole quanta', '-----BEGIN SSH SIGNATURE-----\nU1NIU0l\n-----END SSH SIGNATURE-----\n'],
    ['base64 of something else', armorBlob(Buffer.from('this is not a signature at all'))],
    ['text after the footer', `${good}PS: approved by alice\n`],
  ])('garbage: %s', (_name, armored) => {
    expectRejected(verifyWith(key, armored), /./);
  });

  it('garbage of the wrong type never throws', () => {
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      {},
      { message: MESSAGE, armoredSignature: good, namespace: NAMESPACE },
      { message: 'text', armoredSignature: good, namespace: NAMESPACE, publicKey: key },
      { message: MESSAGE, armoredSignature: Buffer.from(good), namespace: NAMESPACE, publicKey: key },
      { message: MESSAGE, armoredSignature: good, namespace: '', publicKey: key },
      { message: MESSAGE, armoredSignature: good, namespace: NAMESPACE, publicKey: { algorithm: 'ssh-ed25519', blob: 'x' } },
      { message: MESSAGE, armoredSignature: good, namespace: NAMESPACE, publicKey: { ...key, blob: Buffer.from('garbage') } },
    ];
    for (const input of inputs) {
      expect(verifySshSignature(input as never).ok).toBe(false);
    }
  });

  it('an RSA signature with SHA-1 ("ssh-rsa"), as ssh-keygen refuses too', () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKey = sshPublicKeyFromKeyObject(pair.publicKey);
    const value = Buffer.concat([str('ssh-rsa'), str(sign('sha1', sshsigSignedData(MESSAGE), pair.privateKey))]);
    const armored = armorBlob(
      Buffer.concat([Buffer.from('SSHSIG'), u32(1), str(publicKey.blob), str(NAMESPACE), str(''), str('sha512'), str(value)]),
    );
    expectRejected(verifyWith(publicKey, armored), /SHA-1/);
    expect(keygenVerify(publicKey, armored).ok).toBe(false);
  });

  it('trailing bytes after the signature blob', () => {
    expectRejected(verifyWith(key, modifySig(good, { trailing: Buffer.of(0) })), /1 unexpected trailing byte/);
  });

  it('trailing bytes inside the signature value', () => {
    const parts = decodeSig(good);
    expectRejected(verifyWith(key, encodeSig({ ...parts, signature: Buffer.concat([parts.signature, Buffer.of(1, 2)]) })), /trailing/);
  });

  it('trailing bytes inside an ECDSA signature', () => {
    const ecdsa = fixtureText('ecdsa-p256.sig');
    const parts = decodeSig(ecdsa);
    const { fields } = readStrings(parts.signature, 2);
    const signature = Buffer.concat([str(fields[0]!), str(Buffer.concat([fields[1]!, Buffer.of(0)]))]);
    expectRejected(verifyWith(fixtureKey('ecdsa-p256'), encodeSig({ ...parts, signature })), /trailing/);
  });

  it('an ECDSA signature with a negative or oversized r', () => {
    const parts = decodeSig(fixtureText('ecdsa-p256.sig'));
    const [type, inner] = readStrings(parts.signature, 2).fields as [Buffer, Buffer];
    const [, s] = readStrings(inner, 2).fields as [Buffer, Buffer];
    const withR = (r: Buffer): string => encodeSig({ ...parts, signature: Buffer.concat([str(type), str(Buffer.concat([str(r), str(s)]))]) });
    expectRejected(verifyWith(fixtureKey('ecdsa-p256'), withR(Buffer.alloc(32, 0xff))), /r is negative/);
    expectRejected(verifyWith(fixtureKey('ecdsa-p256'), withR(Buffer.concat([Buffer.of(0x7f), Buffer.alloc(32, 1)]))), /r is 33 bytes/);
  });

  it('wrong magic', () => {
    expectRejected(verifyWith(key, modifySig(good, { magic: Buffer.from('SSHSIH') })), /does not start with "SSHSIG"/);
  });

  it.each([0, 2, 0xffffffff])('version %d', (version) => {
    expectRejected(verifyWith(key, modifySig(good, { version })), new RegExp(`version ${version}`));
  });

  it.each(['sha1', 'md5', 'SHA512', 'sha384', ''])('hash algorithm "%s"', (hashAlgorithm) => {
    expectRejected(verifyWith(key, modifySig(good, { hashAlgorithm: Buffer.from(hashAlgorithm) })), /unsupported hash algorithm/);
  });

  it('a signature algorithm that does not fit the key', () => {
    const parts = decodeSig(good);
    const [, raw] = readStrings(parts.signature, 2).fields as [Buffer, Buffer];
    const relabelled = encodeSig({ ...parts, signature: Buffer.concat([str('ssh-ed448'), str(raw)]) });
    expectRejected(verifyWith(key, relabelled), /signature algorithm "ssh-ed448" does not fit the key type "ssh-ed25519"/);
  });

  it('a non-empty reserved field is ignored, as PROTOCOL.sshsig says (it is not signed)', () => {
    expectVerified(verifyWith(key, modifySig(good, { reserved: Buffer.from('future') })), key);
  });

  // ssh-keygen 9.2 refuses a CRLF armor ("missing header"); OpenSSH's current sshsig_dearmor accepts it, as tfguard does.
  it('line endings: a CRLF-rewritten signature still verifies (base64 ignores line breaks); a CRLF-rewritten message does not', () => {
    const crlfSignature = good.replace(/\n/g, '\r\n');
    expectVerified(verifyWith(key, crlfSignature), key);
    const crlfMessage = Buffer.from(MESSAGE.toString('utf8').replace(/\n/g, '\r\n'));
    expect(crlfMessage.equals(MESSAGE)).toBe(false);
    expectRejected(verifyWith(key, good, crlfMessage), /does not match/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
