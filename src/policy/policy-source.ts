import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TfguardError } from '../shared/errors.js';

/**
 * Where policy files are read from: the working tree, or a git ref (`--policy-ref`, the base
 * branch) so that a policy changed by the change under review cannot name its own approvers.
 * Paths are relative to the shell's working directory in both.
 */
export interface PolicySource {
  /** `working tree`, or `git ref origin/main`: for messages. */
  readonly name: string;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** File names in a directory. */
  list(path: string): string[];
  /** The file's text; throws TfguardError naming the file when it cannot be read. */
  read(path: string): string;
}

export function workingTree(cwd: string): PolicySource {
  return {
    name: 'working tree',
    exists: (path) => existsSync(resolve(cwd, path)),
    isDirectory: (path) => existsSync(resolve(cwd, path)) && statSync(resolve(cwd, path)).isDirectory(),
    list: (path) => readdirSync(resolve(cwd, path)),
    read: (path) => {
      try {
        return readFileSync(resolve(cwd, path), 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new TfguardError(path, code === 'ENOENT' ? 'no such policy file' : `cannot read the policy file (${code})`, 'Check the --policy path');
      }
    },
  };
}

/** The files as they are at `ref` in the repository `cwd` is in, read with `git cat-file`/`git show`; nothing is checked out. */
export function gitRef(cwd: string, ref: string): PolicySource {
  if (ref.startsWith('-') || /[\s\u0000-\u001f]/.test(ref)) throw new TfguardError('--policy-ref', `${JSON.stringify(ref)} is not a git ref`, 'Give a branch, tag or commit, e.g. origin/main');
  const git = (args: string[]) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 2 ** 20 });
  const object = (path: string) => `${ref}:./${path.replace(/^\.\//, '')}`;
  const type = (path: string): string | undefined => {
    try {
      return git(['cat-file', '-t', object(path)]).trim();
    } catch {
      return undefined;
    }
  };
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new TfguardError('--policy-ref', `${ref} is not a commit in the repository at ${cwd}`, 'Fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin main), or check the name');
  }
  return {
    name: `git ref ${ref}`,
    exists: (path) => type(path) !== undefined,
    isDirectory: (path) => type(path) === 'tree',
    list: (path) => git(['ls-tree', '--name-only', object(path)]).split('\n').filter(Boolean).map((name) => name.split('/').pop()!),
    read: (path) => {
      if (type(path) !== 'blob') throw new TfguardError(`${ref}:${path}`, 'no such policy file at that ref', 'Check the --policy path and --policy-ref');
      return git(['show', object(path)]);
    },
  };
}
