import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in `terraform` (and `tofu`, `terragrunt`, `git`) on PATH for the exec and hook tests: every
 * invocation is recorded in a log; `plan -out=FILE` writes the plan JSON named by STANDIN_PLAN_JSON
 * into FILE; `show -json FILE` prints FILE (a missing file fails as Terraform does); STANDIN_FAIL
 * names the commands that fail, STANDIN_KILL those that end by a signal, STANDIN_SLEEP_MS makes
 * `plan` slow, STANDIN_SHOW_OUTPUT replaces what `show` prints.
 */
const SCRIPT = `#!/usr/bin/env node
const { appendFileSync, existsSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const tool = path.basename(process.argv[1]);
const argv = process.argv.slice(2);
const outArg = argv.find((arg) => arg.startsWith('-out='));
const outDirMode = outArg ? require('node:fs').statSync(path.dirname(outArg.slice(5))).mode & 0o777 : undefined;
appendFileSync(process.env.STANDIN_LOG, JSON.stringify({ tool, argv, cwd: process.cwd(), automation: process.env.TF_IN_AUTOMATION ?? null, outDirMode }) + '\\n');
if (tool === 'git') process.exit(128);
const COMMANDS = ['plan', 'show', 'apply', 'destroy', 'init', 'validate', 'output', 'fmt', 'version', 'state', 'workspace', 'import', 'force-unlock', 'refresh'];
const command = argv.find((arg) => COMMANDS.includes(arg));
const list = (name) => (process.env[name] ?? '').split(',').filter(Boolean);
if (list('STANDIN_KILL').includes(command)) process.kill(process.pid, 'SIGKILL');
if (list('STANDIN_FAIL').includes(command)) {
  process.stderr.write('\\u2577\\n\\u2502 Error: stand-in ' + command + ' failed\\n\\u2575\\n');
  process.exit(1);
}
if (command === 'plan') {
  const out = argv.find((arg) => arg.startsWith('-out='))?.slice(5);
  const finish = () => {
    if (out) writeFileSync(out, readFileSync(process.env.STANDIN_PLAN_JSON, 'utf8'));
    process.stdout.write('stand-in: planned\\n');
  };
  const sleep = Number(process.env.STANDIN_SLEEP_MS ?? 0);
  if (sleep > 0) {
    process.on('SIGTERM', () => { process.stderr.write('stand-in: plan interrupted\\n'); process.exit(143); });
    setTimeout(finish, sleep);
  } else finish();
} else if (command === 'show') {
  const chdir = argv.find((arg) => arg.startsWith('-chdir='))?.slice(7);
  const last = argv[argv.length - 1];
  const file = path.resolve(chdir ?? '.', last);
  if (process.env.STANDIN_SHOW_OUTPUT !== undefined) process.stdout.write(process.env.STANDIN_SHOW_OUTPUT);
  else if (last === 'show') process.stdout.write('stand-in: show\\n');
  else if (!existsSync(file)) {
    process.stderr.write('\\u2577\\n\\u2502 Error: Failed to read the given file as a state or plan file\\n\\u2575\\n');
    process.exit(1);
  } else process.stdout.write(readFileSync(file));
} else if (command === 'apply' || command === 'destroy') {
  process.stdout.write('stand-in: Apply complete!\\n');
} else {
  process.stdout.write('stand-in: ' + (command ?? '(none)') + '\\n');
  process.exit(Number(process.env.STANDIN_EXIT ?? 0));
}
`;

export interface Run {
  tool: string;
  argv: string[];
  cwd: string;
  automation: string | null;
  /** plan -out=FILE: the permissions of FILE's directory while terraform plans into it. */
  outDirMode?: number;
}

export interface StandIn {
  /** The directory holding the stand-ins: put it first on PATH. */
  bin: string;
  /** A scratch directory for plan files and projects. */
  work: string;
  /** The environment a run gets: PATH with the stand-ins first, the log, and what is given. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  runs(): Run[];
  /** The runs of a command (`apply`, `show` …) by any of the tools. */
  runsOf(command: string): Run[];
}

export function standInTerraform(): StandIn {
  const bin = mkdtempSync(join(tmpdir(), 'tfguard-standin-'));
  const work = mkdtempSync(join(tmpdir(), 'tfguard-work-'));
  const log = join(bin, 'runs.log');
  writeFileSync(log, '');
  for (const tool of ['terraform', 'tofu', 'terragrunt', 'git']) {
    writeFileSync(join(bin, tool), SCRIPT, { mode: 0o755 });
    chmodSync(join(bin, tool), 0o755);
  }
  // The script is CommonJS; a package.json next to it keeps it so whatever is around it.
  writeFileSync(join(bin, 'package.json'), '{"type":"commonjs"}');
  const runs = (): Run[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Run)
      : [];
  const commands = ['plan', 'show', 'apply', 'destroy', 'init', 'validate', 'output', 'fmt', 'version', 'state', 'workspace', 'import', 'force-unlock', 'refresh'];
  const commandOf = (run: Run) => run.argv.find((arg) => commands.includes(arg));
  return {
    bin,
    work,
    env: (extra = {}) => ({ PATH: `${bin}:${process.env.PATH}`, HOME: work, STANDIN_LOG: log, ...extra }),
    runs,
    runsOf: (command) => runs().filter((run) => run.tool !== 'git' && commandOf(run) === command),
  };
}

/** A senior, alice, in the project's policy (.tfguard.hcl) with a fresh ed25519 key; returns the private key's path. */
export function seniorApprover(project: string): string {
  const key = join(mkdtempSync(join(tmpdir(), 'tfguard-key-')), 'alice');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice', '-f', key]);
  const pub = readFileSync(`${key}.pub`, 'utf8').trim();
  writeFileSync(join(project, '.tfguard.hcl'), `approver "alice" {\n  ssh_keys = ["${pub}"]\n  loosen   = true\n}\n`);
  return key;
}
