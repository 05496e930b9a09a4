import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

const examples = readdirSync(EXAMPLES).filter((name) => existsSync(join(EXAMPLES, name, 'plan.json')));

/**
 * A fresh clone of a repository holding the examples, as a reader of the README has after
 * `git clone`: on main, with nothing beyond origin/main, so the Provenance line reads the same
 * history on every machine.
 */
function freshClone(): string {
  const root = mkdtempSync(join(tmpdir(), 'tfguard-examples-'));
  const origin = join(root, 'origin');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', env: { PATH: process.env.PATH, HOME: root, GIT_CONFIG_NOSYSTEM: '1' } });
  mkdirSync(origin);
  git(origin, 'init', '-q', '-b', 'main');
  for (const name of examples) {
    mkdirSync(join(origin, 'examples', name), { recursive: true });
    copyFileSync(join(EXAMPLES, name, 'plan.json'), join(origin, 'examples', name, 'plan.json'));
  }
  git(origin, 'add', '.');
  git(origin, '-c', 'user.name=Example', '-c', 'user.email=example@example.com', 'commit', '-q', '-m', 'Examples');
  git(root, 'clone', '-q', 'origin', 'clone');
  return join(root, 'clone');
}

describe('examples print what their tfguard-output.txt says (re-record with node scripts/update-examples.mjs)', () => {
  const clone = freshClone();

  it('has the environment-recreation and safe-change examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['environment-recreation', 'safe-change']));
  });

  it.each(examples)('%s', (name) => {
    const plan = `examples/${name}/plan.json`;
    const result = runCli([plan], { cwd: clone, env: { NO_COLOR: '1' } });
    const output = `$ tfguard ${plan}\n${result.stdout}${result.stderr}[exit code ${result.status}]\n`;
    const recorded = join(EXAMPLES, name, 'tfguard-output.txt');
    if (process.env.UPDATE_EXAMPLES === '1') writeFileSync(recorded, output);
    expect(output).toBe(readFileSync(recorded, 'utf8'));
  });
});
