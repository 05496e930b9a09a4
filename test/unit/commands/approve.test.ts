import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVALS_DIRECTORY, loadApprovalRecords } from '../../../src/approval/load-records.js';
import { parseApprovalPayload, type ApprovalRecord } from '../../../src/approval/record.js';
import { checkApprovalRecords, type ApprovalContext } from '../../../src/approval/verify.js';
import { runApprove, type ApproveRequest } from '../../../src/commands/approve.js';
import { runDigest } from '../../../src/commands/digest.js';
import { loadPolicy } from '../../../src/policy/load-policy.js';
import type { Policy } from '../../../src/policy/model.js';
import { TfguardError } from '../../../src/shared/errors.js';
import { derived, example, plan } from '../../helpers/paths.js';

const PLAN = example('environment-recreation');
const NOW = new Date('2025-03-01T10:00:00.250Z');
const HOUR = 3_600_000;

// Made at load time: the refusal table names key files.
const dir = mkdtempSync(join(tmpdir(), 'tfguard-approve-'));
let policy: Policy;
let digest: string;
const key = (name: string) => join(dir, 'keys', name);

function sshKeygen(name: string, type: string, extra: string[] = []): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `${name}@test`, '-f', key(name), ...extra]);
}
const publicLine = (name: string): string => readFileSync(`${key(name)}.pub`, 'utf8').trim();

let workspaces = 0;
/** A fresh directory to run `tfguard approve` in, as a repository's root. */
function workspace(): string {
  const path = join(dir, `ws-${workspaces++}`);
  mkdirSync(path);
  return path;
}

const approve = (cwd: string, overrides: Partial<ApproveRequest> = {}) =>
  runApprove({ plan: PLAN, approverId: 'alice', keyPath: key('alice'), unsigned: false, now: NOW, environment: 'production', repository: 'acme/infra', policy, cwd, ...overrides });

const recordIn = (cwd: string, file: string): ApprovalRecord => {
  const parsed = parseApprovalPayload(readFileSync(join(cwd, file)));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.record;
};

const checkContext = (overrides: Partial<ApprovalContext> = {}): ApprovalContext => ({
  digest,
  environment: 'production',
  repository: 'acme/infra',
  now: new Date(NOW.getTime() + HOUR),
  approvers: policy.approvers,
  authors: [{ email: 'junior@acme.io', roles: ['commit-author'] }],
  ...overrides,
});

/** Loads the records under `cwd` the way `tfguard check` does, and checks them. */
const checksIn = (cwd: string, paths: string[] = [], overrides: Partial<ApprovalContext> = {}) => checkApprovalRecords(loadApprovalRecords(paths, cwd), checkContext(overrides));

async function refusal(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (error) {
    expect(error).toBeInstanceOf(TfguardError);
    return (error as TfguardError).oneLine();
  }
  throw new Error('expected a TfguardError');
}

/** `ssh-keygen -Y verify -f allowed_signers -I ID -n tfguard -s FILE.sig < FILE`, as the docs give it. */
function keygenVerify(cwd: string, file: string, principal: string, signers: string): { status: number | null; output: string } {
  const allowed = join(cwd, 'allowed_signers');
  writeFileSync(allowed, signers);
  const result = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', allowed, '-I', principal, '-n', 'tfguard', '-s', `${file}.sig`], {
    cwd,
    input: readFileSync(join(cwd, file)),
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(async () => {
  mkdirSync(join(dir, 'keys'));
  sshKeygen('alice', 'ed25519');
  sshKeygen('bob', 'ecdsa', ['-b', '256']);
  sshKeygen('carol', 'rsa', ['-b', '3072']);
  sshKeygen('locked', 'ed25519');
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'correct horse', '-f', key('locked')]);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      version: 1,
      rule: { 'stateful-destroy': { match: { stateful: true }, enforcement: 'soft-mandatory', approval: { when: 'always', count: 2 }, message: 'needs two seniors' } },
      approver: {
        alice: { name: 'Alice', github: 'alice-gh', ssh_keys: [publicLine('alice'), publicLine('locked')], emails: ['alice@acme.io'] },
        bob: { github: 'bob-gh', ssh_keys: [publicLine('bob')] },
        carol: { ssh_keys: [publicLine('carol')] },
        gina: { github: 'gina-gh' },
      },
    }),
  );
  policy = await loadPolicy([policyFile]);
  digest = (await runDigest({ plan: PLAN })).digest;
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runApprove: signed', () => {
  it('writes the record and its signature under .tfguard/approvals/, named by approver and digest', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { reason: 'agreed in CAB-42' });
    const file = `${DEFAULT_APPROVALS_DIRECTORY}/alice-${digest.slice(7, 19)}.json`;
    expect(outcome).toEqual({ file, signatureFile: `${file}.sig`, digest, expiresAt: '2025-03-02T10:00:00Z', unchanged: false, exitCode: 0 });
    const payload = readFileSync(join(cwd, file), 'utf8');
    expect(payload).not.toMatch(/[\r\n]/);
    expect(readFileSync(join(cwd, `${file}.sig`), 'utf8')).toMatch(/^-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----\n$/);
    expect(recordIn(cwd, file)).toMatchObject({
      digest,
      approver: 'alice',
      environment: 'production',
      repository: 'acme/infra',
      createdAt: '2025-03-01T10:00:00Z',
      expiresAt: '2025-03-02T10:00:00Z',
      reason: 'agreed in CAB-42',
    });
  });

  it('writes a record `tfguard check` counts, from the default directory', async () => {
    const cwd = workspace();
    await approve(cwd);
    const [check] = checksIn(cwd);
    expect(check).toMatchObject({ approver: 'alice', valid: true, via: 'ssh' });
  });

  it.each([
    ['alice', 'ed25519'],
    ['bob', 'ECDSA P-256'],
    ['carol', 'RSA 3072'],
  ])('a record %s signed with tfguard (%s) verifies with real `ssh-keygen -Y verify`', async (approver) => {
    const cwd = workspace();
    const { file } = await approve(cwd, { approverId: approver, keyPath: key(approver) });
    const verified = keygenVerify(cwd, file, approver, `${approver} ${publicLine(approver)}\n`);
    expect(verified.output).toContain(`Good "tfguard" signature for ${approver}`);
    expect(verified.status).toBe(0);
    expect(checksIn(cwd)[0]).toMatchObject({ approver, valid: true });
  });

  it('ssh-keygen refuses the same record for another principal or namespace (the check is real)', async () => {
    const cwd = workspace();
    const { file } = await approve(cwd);
    expect(keygenVerify(cwd, file, 'alice', `alice ${publicLine('bob')}\n`).status).not.toBe(0);
    const wrongNamespace = spawnSync('ssh-keygen', ['-Y', 'verify', '-f', join(cwd, 'allowed_signers'), '-I', 'alice', '-n', 'git', '-s', `${file}.sig`], { cwd, input: readFileSync(join(cwd, file)) });
    expect(wrongNamespace.status).not.toBe(0);
  });

  it('honours --expires and --output, creating the folder', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { expires: '7d', output: 'approvals/prod/alice.json' });
    expect(outcome).toMatchObject({ file: 'approvals/prod/alice.json', signatureFile: 'approvals/prod/alice.json.sig', expiresAt: '2025-03-08T10:00:00Z' });
    expect(existsSync(join(cwd, 'approvals/prod/alice.json.sig'))).toBe(true);
    expect(checksIn(cwd, ['approvals/prod'])[0]!.valid).toBe(true);
  });

  it('records the scope, so the record does not count for another environment or repository', async () => {
    const cwd = workspace();
    const { file } = await approve(cwd, { environment: 'staging', repository: undefined });
    expect(recordIn(cwd, file)).toMatchObject({ environment: 'staging', repository: null });
    expect(checksIn(cwd)[0]!.rejection).toBe('other-environment');
    expect(checksIn(cwd, [], { environment: 'staging' })[0]!.rejection).toBe('other-repository');
    expect(checksIn(cwd, [], { environment: 'staging', repository: null })[0]!.valid).toBe(true);
  });

  it('reads the plan from stdin', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { plan: '-', stdin: () => readFileSync(PLAN) });
    expect(outcome.digest).toBe(digest);
  });

  it('reads a key given as ~/…', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    copyFileSync(key('alice'), join(home, '.ssh', 'id_ed25519'));
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const outcome = await approve(workspace(), { keyPath: '~/.ssh/id_ed25519' });
      expect(outcome.signatureFile).toBeDefined();
    } finally {
      process.env.HOME = saved;
    }
  });

  it('approves a plan that only lowers a protection', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { plan: derived('protection-downgrade') });
    expect(recordIn(cwd, outcome.file).downgrades.length).toBeGreaterThan(0);
    expect(checksIn(cwd, [], { digest: outcome.digest })[0]!.valid).toBe(true);
  });
});

describe('runApprove: never overwrites a record', () => {
  it('running the same approval again changes nothing (ed25519 signatures are deterministic)', async () => {
    const cwd = workspace();
    const first = await approve(cwd);
    const again = await approve(cwd);
    expect(again).toEqual({ ...first, unchanged: true });
  });

  it('keeps an existing ECDSA signature of the same record by the same key', async () => {
    const cwd = workspace();
    const first = await approve(cwd, { approverId: 'bob', keyPath: key('bob') });
    const before = readFileSync(join(cwd, first.signatureFile!), 'utf8');
    expect((await approve(cwd, { approverId: 'bob', keyPath: key('bob') })).unchanged).toBe(true);
    expect(readFileSync(join(cwd, first.signatureFile!), 'utf8')).toBe(before);
  });

  it('refuses to replace a record with another one', async () => {
    const cwd = workspace();
    const first = await approve(cwd);
    const before = readFileSync(join(cwd, first.file));
    expect(await refusal(approve(cwd, { now: new Date(NOW.getTime() + 60_000) }))).toMatch(/already exists with other content, and an approval record is never overwritten/);
    expect(readFileSync(join(cwd, first.file))).toEqual(before);
  });

  it('refuses to replace a signature made by someone else', async () => {
    const cwd = workspace();
    const { file } = await approve(cwd, { unsigned: true, keyPath: undefined });
    writeFileSync(join(cwd, `${file}.sig`), 'forged');
    expect(await refusal(approve(cwd))).toMatch(/\.sig: already exists with other content/);
  });
});

describe('runApprove: --unsigned', () => {
  it('writes only the payload and gives the exact ssh-keygen command', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { unsigned: true, keyPath: undefined });
    expect(outcome.signatureFile).toBeUndefined();
    expect(outcome.signCommand).toBe(`ssh-keygen -Y sign -f ~/.ssh/id_ed25519 -n tfguard ${outcome.file}`);
    expect(existsSync(join(cwd, `${outcome.file}.sig`))).toBe(false);
    expect(checksIn(cwd)[0]!.rejection).toBe('no-signature');
  });

  it('a record written with --unsigned and signed by real `ssh-keygen -Y sign -n tfguard` counts', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { unsigned: true, keyPath: undefined });
    const command = outcome.signCommand!.replace('~/.ssh/id_ed25519', key('alice')).split(' ');
    execFileSync(command[0]!, ['-q', ...command.slice(1)], { cwd });
    expect(checksIn(cwd)[0]).toMatchObject({ approver: 'alice', valid: true });
  });

  it('a passphrase-protected key can sign an --unsigned record with ssh-keygen', async () => {
    const cwd = workspace();
    const { file } = await approve(cwd, { unsigned: true, keyPath: undefined });
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', key('locked'), '-P', 'correct horse', '-n', 'tfguard', file], { cwd });
    expect(checksIn(cwd)[0]).toMatchObject({ approver: 'alice', valid: true });
  });

  it('quotes a file name the shell would split', async () => {
    const cwd = workspace();
    const outcome = await approve(cwd, { unsigned: true, keyPath: undefined, output: "my approvals/alice's.json" });
    expect(outcome.signCommand).toBe(`ssh-keygen -Y sign -f ~/.ssh/id_ed25519 -n tfguard 'my approvals/alice'\\''s.json'`);
  });
});

describe('runApprove: refusals', () => {
  it.each<[string, Partial<ApproveRequest>, RegExp]>([
    ['an approver the policy does not list', { approverId: 'mallory' }, /^--as: "mallory" is not an approver of the policy \(its approvers: alice, bob, carol, gina\)/],
    ['no key without --unsigned', { keyPath: undefined }, /^--key: no signing key given\. Give --key/],
    ['--key with --unsigned', { unsigned: true }, /^--unsigned: cannot be combined with --key/],
    ['a key that is not the approver\'s', { keyPath: key('bob') }, /is not one of alice's ssh_keys in the policy/],
    ['a key for an approver with no SSH key', { approverId: 'gina' }, /is not one of gina's ssh_keys.*Add the key's \.pub line/],
    ['a passphrase-protected key', { keyPath: key('locked') }, /encrypted with a passphrase\. Write the payload with `tfguard approve --unsigned`/],
    ['a public key file', { keyPath: `${key('alice')}.pub` }, /this is a public key/],
    ['a key file that does not exist', { keyPath: key('nobody') }, /no such key file/],
    ['an unreadable --expires', { expires: '1 week' }, /^--expires: "1 week" is not a duration/],
    ['an --expires beyond the maximum', { expires: '31d' }, /^--expires: 31d is longer than the maximum of 30d/],
    ['an environment with a control character', { environment: 'prod\u001b[0m' }, /^--environment: the environment name contains a control/],
    ['a repository that is not owner/name', { repository: 'infra' }, /^--repository: the repository must be "owner\/name"/],
    ['an empty reason', { reason: '' }, /^--reason: the reason is empty/],
    ['a plan with nothing to approve', { plan: plan('create-only') }, /nothing to approve/],
    ['an errored plan', { plan: plan('errored-prevent-destroy') }, /the plan errored .* cannot be approved/],
  ])('refuses %s, and writes nothing', async (_, overrides, message) => {
    const cwd = workspace();
    expect(await refusal(approve(cwd, overrides))).toMatch(message);
    expect(existsSync(join(cwd, '.tfguard'))).toBe(false);
  });
});

describe('records committed through git', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Alice', '-c', 'user.email=alice@acme.io', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

  it.each([
    ['with', true],
    ['without', false],
  ])('still verify after a clone with core.autocrlf=true, %s the .gitattributes line', async (_, withAttributes) => {
    const origin = workspace();
    git(origin, 'init', '-q');
    git(origin, 'config', 'core.autocrlf', 'true');
    if (withAttributes) writeFileSync(join(origin, '.gitattributes'), '.tfguard/approvals/** -text\n');
    const { file } = await approve(origin);
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'approve');

    const clone = join(dir, `clone-${workspaces++}`);
    git(dir, 'clone', '-q', '-c', 'core.autocrlf=true', origin, clone);
    expect(readFileSync(join(clone, file))).toEqual(readFileSync(join(origin, file)));
    const signature = readFileSync(join(clone, `${file}.sig`), 'utf8');
    // Without the attribute git really rewrote the signature's line endings; the payload had none to rewrite.
    expect(signature.includes('\r\n')).toBe(!withAttributes);
    expect(checksIn(clone)[0]).toMatchObject({ approver: 'alice', valid: true });
    // ssh-keygen reads no CRLF armor ("missing header"): the .gitattributes line is what keeps `ssh-keygen -Y verify` working on such a checkout.
    expect(keygenVerify(clone, file, 'alice', `alice ${publicLine('alice')}\n`).status === 0).toBe(withAttributes);
  });
});
