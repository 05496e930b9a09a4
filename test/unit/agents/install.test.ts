import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installHook } from '../../../src/agents/install.js';
import { runMain } from '../../helpers/run-main.js';

const project = () => mkdtempSync(join(tmpdir(), 'tfguard-install-'));
const settingsOf = (dir: string, file = '.claude/settings.json') => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, any>;
/** tfguard as a dependency of the project: the hook command is then the same in every checkout. */
function withDependency(dir: string): void {
  mkdirSync(join(dir, 'node_modules', 'tfguard', 'dist'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'tfguard', 'dist', 'cli.js'), '');
}

describe('tfguard hook install claude-code', () => {
  it('creates .claude/settings.json with a PreToolUse hook for Bash', () => {
    const dir = project();
    withDependency(dir);
    const outcome = installHook({ agent: 'claude-code', projectDir: dir, dryRun: false });
    expect(outcome).toMatchObject({ file: '.claude/settings.json', changed: true, created: true, notes: [] });
    expect(settingsOf(dir)).toEqual({
      hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'node "${CLAUDE_PROJECT_DIR}/node_modules/tfguard/dist/cli.js" hook claude-code' }] }] },
    });
  });

  it('keeps what is there: other settings, other hooks, key order and indentation', () => {
    const dir = project();
    withDependency(dir);
    mkdirSync(join(dir, '.claude'));
    const before = {
      $schema: 'https://json.schemastore.org/claude-code-settings.json',
      permissions: { allow: ['Bash(npm test)'], deny: ['Read(.env)'] },
      hooks: {
        PreToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: './lint.sh' }] }],
        PostToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: './log.sh' }] }],
      },
      model: 'opus',
    };
    writeFileSync(join(dir, '.claude', 'settings.json'), `${JSON.stringify(before, null, 4)}\n`);
    installHook({ agent: 'claude-code', projectDir: dir, dryRun: false });
    const text = readFileSync(join(dir, '.claude', 'settings.json'), 'utf8');
    const after = JSON.parse(text);
    expect(Object.keys(after)).toEqual(['$schema', 'permissions', 'hooks', 'model']);
    expect(after.permissions).toEqual(before.permissions);
    expect(after.hooks.PostToolUse).toEqual(before.hooks.PostToolUse);
    expect(after.hooks.PreToolUse).toHaveLength(2);
    expect(after.hooks.PreToolUse[0]).toEqual(before.hooks.PreToolUse[0]);
    expect(text).toMatch(/^\{\n {4}"\$schema"/);
  });

  it('is idempotent: a second run changes nothing, whatever path the first one wrote', () => {
    const dir = project();
    const first = installHook({ agent: 'claude-code', projectDir: dir, dryRun: false, command: '/opt/tfguard/bin/tfguard hook claude-code --policy org.hcl' });
    expect(first.changed).toBe(true);
    const text = readFileSync(join(dir, '.claude', 'settings.json'), 'utf8');
    const second = installHook({ agent: 'claude-code', projectDir: dir, dryRun: false, cliPath: '/x/dist/cli.js' });
    expect(second).toMatchObject({ changed: false, diff: '' });
    expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(text);
  });

  it('--dry-run shows the change as a diff and writes nothing', () => {
    const dir = project();
    const outcome = installHook({ agent: 'claude-code', projectDir: dir, dryRun: true, cliPath: '/opt/tf guard/dist/cli.js' });
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    expect(outcome.diff).toContain('+++ .claude/settings.json');
    expect(outcome.diff).toContain(`+            "command": "node '/opt/tf guard/dist/cli.js' hook claude-code"`);
    expect(outcome.diff.startsWith('--- /dev/null\n+++ .claude/settings.json\n')).toBe(true);
    expect(outcome.notes[0]).toContain('a path on this machine');
  });

  it('refuses to touch a file it cannot read as settings', () => {
    for (const text of ['{ "hooks": ', '[]', '{"hooks": []}', '{"hooks": {"PreToolUse": {}}}']) {
      const dir = project();
      mkdirSync(join(dir, '.claude'));
      writeFileSync(join(dir, '.claude', 'settings.json'), text);
      expect(() => installHook({ agent: 'claude-code', projectDir: dir, dryRun: false, command: 'tfguard hook claude-code' }), text).toThrow(/leaves (it|the file) alone/);
      expect(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')).toBe(text);
    }
  });

  it('never writes a package lookup such as npx: without a dependency or a known CLI path it asks for --command', () => {
    expect(() => installHook({ agent: 'claude-code', projectDir: project(), dryRun: false })).toThrow(/tfguard is not installed in this project/);
  });
});

describe('tfguard hook install gemini-cli', () => {
  it('adds a BeforeTool hook for run_shell_command to .gemini/settings.json, with a timeout that leaves the check time', () => {
    const dir = project();
    withDependency(dir);
    mkdirSync(join(dir, '.gemini'));
    writeFileSync(join(dir, '.gemini', 'settings.json'), '{"theme": "GitHub"}');
    installHook({ agent: 'gemini-cli', projectDir: dir, dryRun: false });
    expect(settingsOf(dir, '.gemini/settings.json')).toEqual({
      theme: 'GitHub',
      hooks: {
        BeforeTool: [
          {
            matcher: 'run_shell_command',
            hooks: [
              {
                name: 'tfguard',
                type: 'command',
                command: 'node $GEMINI_PROJECT_DIR/node_modules/tfguard/dist/cli.js hook gemini-cli',
                timeout: 600000,
                description: 'tfguard: checks terraform, tofu and terragrunt applies before they run',
              },
            ],
          },
        ],
      },
    });
    expect(installHook({ agent: 'gemini-cli', projectDir: dir, dryRun: false }).changed).toBe(false);
  });
});

describe('through the CLI', () => {
  it('tfguard hook install claude-code [--dry-run]', async () => {
    const dir = project();
    withDependency(dir);
    const dry = await runMain(['hook', 'install', 'claude-code', '--dry-run'], { cwd: dir });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('--- /dev/null');
    expect(dry.stdout).toContain("Would add tfguard's hook to .claude/settings.json (a new file)");
    expect(existsSync(join(dir, '.claude'))).toBe(false);
    const real = await runMain(['hook', 'install', 'claude-code'], { cwd: dir });
    expect(real.stdout).toContain("Added tfguard's hook to .claude/settings.json (a new file)");
    const again = await runMain(['hook', 'install', 'claude-code', '--dry-run'], { cwd: dir });
    expect(again.stdout).toContain('.claude/settings.json: nothing to change');
    expect((await runMain(['hook', 'install', 'cursor'], { cwd: dir })).status).toBe(2);
  });
});
