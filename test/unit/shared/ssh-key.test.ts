import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { str, u32, wire } from '../../helpers/ssh-wire.js';
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey, type SshPublicKey } from '../../../src/shared/ssh-key.js';
import { ROOT } from '../../helpers/paths.js';

// Real keys made by scripts/generate-ssh-fixtures.sh (ssh-keygen); see test/fixtures/ssh/README.md.
const SSH = join(ROOT, 'test', 'fixtures', 'ssh');
const pubLine = (name: string): string => readFileSync(join(SSH, `${name}.pub`), 'utf8');
const blobOf = (name: string): Buffer => Buffer.from(pubLine(name).split(' ')[1]!, 'base64');

/** `ssh-keygen -lf` output, keyed by comment (each fixture's comment is tfguard-fixture-<name>). */
const keygen = new Map(
  readFileSync(join(SSH, 'fingerprints.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((row) => {
      const [, bits, fingerprint, comment, type] = /^(\d+) (SHA256:\S+) (.*) \((\w+)\)$/.exec(row)!;
      return [comment!, { bits: Number(bits), fingerprint: fingerprint!, type: type! }] as const;
    }),
);

const fieldsOf = (blob: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < blob.length; ) {
    const length = blob.readUInt32BE(at);
    out.push(blob.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
};
const keyLine = (type: string, blob: Buffer, comment = 'test'): string => `${type} ${blob.toString('base64')} ${comment}`;
const sha256 = (blob: Buffer): string => 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');

function accepts(line: string): SshPublicKey {
  const result = parseSshPublicKey(line);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.key;
}

/** Asserts a rejection whose reason matches, is one short printable line, and holds no key material. */
function rejects(line: string, reason: RegExp): string {
  const result = parseSshPublicKey(line);
  if (result.ok) throw new Error(`expected a rejection matching ${reason}, but the key parsed`);
  expect(result.reason).toMatch(reason);
  expect(result.reason).toMatch(/^[\x20-\x7e]+$/);
  expect(result.reason.length).toBeLessThan(200);
  for (const token of line.split(/\s+/).filter((t) => /^[A-Za-z0-9+/=]{16,}$/.test(t))) {
    for (let i = 0; i + 12 <= token.length; i += 4) expect(result.reason).not.toContain(token.slice(i, i + 12));
  }
  return result.reason;
}

const ed25519 = fieldsOf(blobOf('ed25519'));
const [, rsaE, rsaN] = fieldsOf(blobOf('rsa-3072')) as [Buffer, Buffer, Buffer];
const p256Point = fieldsOf(blobOf('ecdsa-p256'))[2]!;
const ed25519Key = ed25519[1]!;

describe('parseSshPublicKey: real ssh-keygen keys', () => {
  const accepted = [
    ['ed25519', 'ssh-ed25519'],
    ['rsa-3072', 'ssh-rsa'],
    ['ecdsa-p256', 'ecdsa-sha2-nistp256'],
    ['ecdsa-p384', 'ecdsa-sha2-nistp384'],
    ['ecdsa-p521', 'ecdsa-sha2-nistp521'],
  ] as const;

  it('has an ssh-keygen fingerprint for every fixture', () => {
    expect([...keygen.keys()].sort()).toEqual(
      ['ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519', 'rsa-1024', 'rsa-3072'].map((n) => `tfguard-fixture-${n}`),
    );
  });

  it.each(accepted)('%s parses with the fingerprint ssh-keygen printed', (name, algorithm) => {
    const key = accepts(pubLine(name));
    const expected = keygen.get(`tfguard-fixture-${name}`)!;
    expect(key.algorithm).toBe(algorithm);
    expect(key.comment).toBe(`tfguard-fixture-${name}`);
    expect(key.fingerprint).toBe(expected.fingerprint);
    expect(key.blob.equals(blobOf(name))).toBe(true);
  });

  it('rejects the real 1024-bit RSA key as weak', () => {
    expect(keygen.get('tfguard-fixture-rsa-1024')!.bits).toBe(1024);
    rejects(pubLine('rsa-1024'), /^RSA key is 1024 bits; at least 2048 are required \(weak key\)$/);
  });

  it('trims surrounding whitespace, accepts tabs, keeps inner comment spacing, and allows no comment', () => {
    const [type, data] = pubLine('ed25519').split(' ') as [string, string];
    const fingerprint = keygen.get('tfguard-fixture-ed25519')!.fingerprint;
    expect(accepts(`\n  ${type}\t${data}  alice@laptop  (yubikey 5) \r\n`)).toMatchObject({ comment: 'alice@laptop  (yubikey 5)', fingerprint });
    const bare = accepts(`${type} ${data}`);
    expect(bare.comment).toBeUndefined();
    expect(bare.fingerprint).toBe(fingerprint);
  });

  it('accepts RSA at exactly 2048 bits and rejects 2047', () => {
    // Built from the real 3072-bit modulus by keeping its top bytes (odd, so structurally valid).
    const n2048 = Buffer.from(rsaN.subarray(0, 257));
    n2048[256]! |= 1;
    const good = wire('ssh-rsa', rsaE, n2048);
    expect(accepts(keyLine('ssh-rsa', good)).fingerprint).toBe(sha256(good));
    const n2047 = Buffer.from(n2048.subarray(1));
    n2047[0] = 0x7f;
    rejects(keyLine('ssh-rsa', wire('ssh-rsa', rsaE, n2047)), /RSA key is 2047 bits; at least 2048 are required \(weak key\)/);
  });
});

describe('parseSshPublicKey: security keys (hand-built blobs; ssh-keygen needs a FIDO token for these)', () => {
  it('accepts sk-ssh-ed25519@openssh.com with an application string', () => {
    // PROTOCOL.u2f: string "sk-ssh-ed25519@openssh.com", string pubkey (32 bytes), string application.
    const blob = wire('sk-ssh-ed25519@openssh.com', ed25519Key, 'ssh:');
    const key = accepts(keyLine('sk-ssh-ed25519@openssh.com', blob, 'yubikey'));
    expect(key).toMatchObject({ algorithm: 'sk-ssh-ed25519@openssh.com', comment: 'yubikey', fingerprint: sha256(blob) });
  });

  it('accepts sk-ecdsa-sha2-nistp256@openssh.com with an application string', () => {
    const blob = wire('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', p256Point, 'ssh:tfguard');
    expect(accepts(keyLine('sk-ecdsa-sha2-nistp256@openssh.com', blob)).fingerprint).toBe(sha256(blob));
  });

  it('rejects sk keys without an application string', () => {
    rejects(keyLine('sk-ssh-ed25519@openssh.com', wire('sk-ssh-ed25519@openssh.com', ed25519Key)), /^sk-ssh-ed25519@openssh.com key has no application string; expected one such as "ssh:"$/);
    rejects(keyLine('sk-ssh-ed25519@openssh.com', wire('sk-ssh-ed25519@openssh.com', ed25519Key, '')), /no application string/);
    rejects(keyLine('sk-ecdsa-sha2-nistp256@openssh.com', wire('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp256', p256Point)), /^sk-ecdsa-sha2-nistp256@openssh.com key has no application string/);
  });

  it('rejects bytes after the application string', () => {
    const blob = Buffer.concat([wire('sk-ssh-ed25519@openssh.com', ed25519Key, 'ssh:'), Buffer.from([1, 2])]);
    rejects(keyLine('sk-ssh-ed25519@openssh.com', blob), /2 unexpected trailing byte\(s\) after the application string/);
  });
});

describe('parseSshPublicKey: line shape', () => {
  const ed = pubLine('ed25519').trim();

  it('rejects empty input', () => {
    rejects('', /^empty key; expected "<type> <base64> \[comment\]"$/);
    rejects(' \n\t ', /^empty key/);
  });

  it('rejects several lines', () => {
    rejects(`${ed}\n${pubLine('rsa-3072')}`, /^expected one key line, found 2 lines$/);
  });

  it('rejects authorized_keys options before the key type', () => {
    rejects(`from="10.0.0.0/8" ${ed}`, /^authorized_keys options are not allowed \(found "from" before the key type\)/);
    rejects(`restrict,command="echo hi" ${ed}`, /options are not allowed \(found "restrict"/);
    rejects(`no-pty ${ed}`, /options are not allowed \(found "no-pty"/);
    rejects(`whatever ${ed}`, /options are not allowed/);
  });

  it('rejects private keys and other formats with a hint', () => {
    // Not a real key: only the armour matters.
    rejects('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n', /^this is a private key; give the \.pub line$/);
    rejects('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----', /private key/);
    rejects('---- BEGIN SSH2 PUBLIC KEY ----\nAAAAC3NzaC1lZDI1NTE5\n---- END SSH2 PUBLIC KEY ----', /RFC 4716/);
    rejects('-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----', /PEM public key/);
    rejects(keygen.get('tfguard-fixture-ed25519')!.fingerprint, /^this is a key fingerprint; give the \.pub line$/);
  });

  it('rejects unsupported key types, naming them safely', () => {
    rejects('ssh-dss AAAAB3NzaC1kc3MAAACBAP1/U4EddRIpUt9KnC7s5Of2 dsa', /^unsupported key type "ssh-dss"; expected ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256\/384\/521 or sk-/);
    rejects('ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29t', /^unsupported key type "ssh-ed25519-cert-v01@openssh.com": certificates are not supported; give the plain public key$/);
    rejects('ssh\u2010ed25519 AAAA', /^unsupported key type "ssh\\u\{2010\}ed25519"/);
    rejects(`${'x-'.repeat(150)} AAAA`, /^unsupported key type "(x-){20}\.\.\."/);
    rejects('Ssh-Ed25519 AAAA', /unsupported key type "Ssh-Ed25519"/);
  });

  it('rejects a line that starts with the base64 data without echoing it', () => {
    rejects(ed.split(' ').slice(1).join(' '), /^missing key type; the line starts with base64 data, expected "<type> <base64> \[comment\]"$/);
    rejects('MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA', /^missing key type/);
    rejects('x'.repeat(300), /^missing key type/);
  });

  it('rejects a missing base64 field', () => {
    rejects('ssh-ed25519', /^missing key data after "ssh-ed25519"; expected "ssh-ed25519 <base64> \[comment\]"$/);
  });

  it('rejects control characters without echoing them raw', () => {
    rejects(`${ed} bell\u0007`, /^key line contains a control character \(\\x07\) at position \d+$/);
    rejects(`ssh-ed25519\u001b[31m AAAA`, /control character \(\\x1b\)/);
  });

  it('rejects non-string input', () => {
    expect(parseSshPublicKey(42 as unknown as string)).toEqual({ ok: false, reason: 'expected a string, found number' });
    expect(parseSshPublicKey(null as unknown as string)).toEqual({ ok: false, reason: 'expected a string, found null' });
  });
});

describe('parseSshPublicKey: strict base64', () => {
  const data = pubLine('ed25519').split(' ')[1]!;
  // 52 bytes, so the base64 ends in "==".
  const padded = Buffer.concat([blobOf('ed25519'), Buffer.from([0])]).toString('base64');

  it('rejects characters outside the alphabet', () => {
    rejects(`ssh-ed25519 ${data.slice(0, 20)}!${data.slice(21)}`, /^key data is not valid base64: "!" at position 21 is not in the base64 alphabet$/);
    rejects(`ssh-ed25519 ${data.slice(0, 20)}-${data.slice(21)}`, /"-" at position 21 .*\(URL-safe base64 is not accepted\)/);
    rejects(`ssh-ed25519 ${data.slice(0, 20)}\u00e9${data.slice(21)}`, /"\\xe9" at position 21/);
  });

  it('rejects wrong padding', () => {
    expect(padded.endsWith('==')).toBe(true);
    rejects(`ssh-ed25519 ${padded.slice(0, -2)}`, /^key data is not valid base64: length 70 is not a multiple of 4/);
    rejects(`ssh-ed25519 ${padded}=`, /3 "=" padding characters, at most 2 allowed/);
    rejects(`ssh-ed25519 ${data.slice(0, 8)}=${data.slice(9)}`, /"=" at position 9 is before the end/);
    rejects('ssh-ed25519 AB==', /non-zero unused bits/);
  });
});

describe('parseSshPublicKey: blob structure', () => {
  const edBlob = blobOf('ed25519');

  it('rejects a blob whose embedded type differs from the line', () => {
    rejects(keyLine('ssh-rsa', edBlob), /^key data is for type "ssh-ed25519" but the line says "ssh-rsa"$/);
    rejects(keyLine('ecdsa-sha2-nistp384', blobOf('ecdsa-p256')), /"ecdsa-sha2-nistp256" but the line says "ecdsa-sha2-nistp384"/);
    rejects(keyLine('ssh-ed25519', wire('ssh-ed\u0000\u00ff', ed25519Key)), /the key type contains a NUL byte/);
  });

  it('rejects truncated blobs', () => {
    rejects('ssh-ed25519 AA==', /^key data is truncated: the key type needs a 4-byte length, only 1 byte\(s\) remain$/);
    rejects(keyLine('ssh-ed25519', edBlob.subarray(0, edBlob.length - 1)), /^key data is truncated: the ed25519 public key needs 32 bytes, only 31 remain$/);
    rejects(keyLine('ssh-ed25519', wire('ssh-ed25519')), /^key data is truncated: the ed25519 public key is missing$/);
    rejects(keyLine('ssh-rsa', wire('ssh-rsa', rsaE)), /the RSA modulus is missing/);
  });

  it('rejects trailing bytes', () => {
    rejects(keyLine('ssh-ed25519', Buffer.concat([edBlob, Buffer.from([0])])), /^key data has 1 unexpected trailing byte\(s\) after the ed25519 public key$/);
    rejects(keyLine('ssh-rsa', Buffer.concat([blobOf('rsa-3072'), u32(0)])), /4 unexpected trailing byte\(s\) after the RSA modulus/);
    rejects(keyLine('ecdsa-sha2-nistp256', Buffer.concat([blobOf('ecdsa-p256'), str('ssh:')])), /after the ECDSA point/);
  });

  it('rejects an ed25519 key that is not 32 bytes', () => {
    rejects(keyLine('ssh-ed25519', wire('ssh-ed25519', ed25519Key.subarray(0, 31))), /^ed25519 public key must be 32 bytes, found 31$/);
    rejects(keyLine('ssh-ed25519', wire('ssh-ed25519', Buffer.concat([ed25519Key, Buffer.from([0])]))), /must be 32 bytes, found 33/);
  });
});

describe('parseSshPublicKey: RSA', () => {
  const rsa = (e: Buffer, n: Buffer): string => keyLine('ssh-rsa', wire('ssh-rsa', e, n));

  it('rejects a 1024-bit modulus re-encoded from the real 3072-bit key', () => {
    const n1024 = Buffer.from(rsaN.subarray(0, 129));
    n1024[128]! |= 1;
    rejects(rsa(rsaE, n1024), /^RSA key is 1024 bits; at least 2048 are required \(weak key\)$/);
  });

  it('rejects malformed exponents', () => {
    for (const e of [Buffer.alloc(0), Buffer.from([1]), Buffer.from([2]), Buffer.from([1, 0])]) {
      rejects(rsa(e, rsaN), /^RSA exponent is malformed: expected an odd integer >= 3$/);
    }
    rejects(rsa(Buffer.from([0x81]), rsaN), /^the RSA exponent is malformed: negative$/);
    rejects(rsa(Buffer.from([0, 3]), rsaN), /the RSA exponent is malformed: not minimally encoded/);
    rejects(rsa(rsaN, rsaN), /RSA exponent is malformed: not smaller than the modulus/);
  });

  it('rejects malformed moduli', () => {
    expect(rsaN[0]).toBe(0); // real mpint: leading zero because the top bit is set
    rejects(rsa(rsaE, rsaN.subarray(1)), /^the RSA modulus is malformed: negative$/);
    rejects(rsa(rsaE, Buffer.concat([Buffer.from([0]), rsaN])), /^the RSA modulus is malformed: not minimally encoded \(extra leading zero byte\)$/);
    const even = Buffer.from(rsaN);
    even[even.length - 1]! &= 0xfe;
    rejects(rsa(rsaE, even), /^RSA modulus is malformed: even$/);
    rejects(rsa(rsaE, Buffer.alloc(0)), /^RSA modulus is malformed: zero$/);
  });
});

describe('parseSshPublicKey: ECDSA', () => {
  const ecdsa = (type: string, curve: string, point: Buffer): string => keyLine(type, wire(type, curve, point));

  it('rejects a curve name that does not match the key type', () => {
    rejects(ecdsa('ecdsa-sha2-nistp256', 'nistp384', p256Point), /^ECDSA curve "nistp384" does not match key type "ecdsa-sha2-nistp256" \(expected "nistp256"\)$/);
    rejects(ecdsa('sk-ecdsa-sha2-nistp256@openssh.com', 'nistp521', p256Point), /curve "nistp521" does not match/);
  });

  it('rejects points of the wrong length', () => {
    rejects(ecdsa('ecdsa-sha2-nistp256', 'nistp256', p256Point.subarray(0, 64)), /^ECDSA nistp256 point must be 65 bytes, found 64$/);
    rejects(ecdsa('ecdsa-sha2-nistp384', 'nistp384', p256Point), /^ECDSA nistp384 point must be 97 bytes, found 65$/);
    rejects(ecdsa('ecdsa-sha2-nistp256', 'nistp256', Buffer.alloc(0)), /must be 65 bytes, found 0/);
  });

  it('rejects points not in uncompressed form', () => {
    const compressed = Buffer.concat([Buffer.from([2 + (p256Point[64]! & 1)]), p256Point.subarray(1, 33)]);
    rejects(ecdsa('ecdsa-sha2-nistp256', 'nistp256', compressed), /^ECDSA point must be uncompressed \(first byte 0x04\), found compressed form \(0x0[23]\)$/);
    const odd = Buffer.from(p256Point);
    odd[0] = 0x06;
    rejects(ecdsa('ecdsa-sha2-nistp256', 'nistp256', odd), /found first byte 0x06$/);
  });

  it('rejects points that are not on the curve', () => {
    const bent = Buffer.from(p256Point);
    bent[64]! ^= 1;
    rejects(ecdsa('ecdsa-sha2-nistp256', 'nistp256', bent), /^ECDSA point is not on curve nistp256$/);
  });
});
