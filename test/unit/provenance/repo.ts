import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Real git repositories in temporary folders, for the provenance tests. */

export interface Person {
  name: string;
  email: string;
}

export const JANE: Person = { name: 'Jane Doe', email: 'jane@example.com' };

/** git isolated from the machine's configuration. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tfguard-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export class Repo {
  readonly dir: string;

  constructor(dir?: string) {
    this.dir = dir ?? tempDir('repo');
    if (dir === undefined) this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-C', this.dir, '-c', `user.name=${JANE.name}`, '-c', `user.email=${JANE.email}`, ...args], {
      encoding: 'utf8',
      env: GIT_ENV,
      stdio: ['pipe', 'pipe', 'pipe'],
    }).trim();
  }

  /** An empty commit with exactly this message; returns its sha. */
  commit(message: string, people: { author?: Person; committer?: Person } = {}): string {
    const author = people.author ?? JANE;
    const committer = people.committer ?? author;
    execFileSync('git', ['-C', this.dir, 'commit', '-q', '--allow-empty', '--cleanup=verbatim', '-F', '-'], {
      input: message,
      env: {
        ...GIT_ENV,
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
      },
    });
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  remove(): void {
    removeDir(this.dir);
  }
}
