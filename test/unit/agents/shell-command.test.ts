import { describe, expect, it } from 'vitest';
import { readShellCommand } from '../../../src/agents/shell-command.js';

const context = { cwd: '/repo', home: '/home/me' };
const commands = (text: string, cwd: string | undefined = '/repo') =>
  readShellCommand(text, { ...context, cwd }).commands.map((command) => ({ argv: command.argv, cwd: command.cwd, ...(command.nested ? { nested: true } : {}) }));

describe('readShellCommand', () => {
  it('cuts compound commands into simple ones and follows cd', () => {
    expect(commands('cd infra && terraform apply -auto-approve')).toEqual([{ argv: ['terraform', 'apply', '-auto-approve'], cwd: '/repo/infra' }]);
    expect(commands('ls; cd /abs || exit 1; terraform plan | tee out.txt')).toEqual([
      { argv: ['ls'], cwd: '/repo' },
      { argv: ['exit', '1'], cwd: '/abs' },
      { argv: ['terraform', 'plan'], cwd: '/abs' },
      { argv: ['tee', 'out.txt'], cwd: '/abs' },
    ]);
  });

  it('newlines separate commands; line continuations join them', () => {
    expect(commands('echo hi\nterraform apply p')).toEqual([
      { argv: ['echo', 'hi'], cwd: '/repo' },
      { argv: ['terraform', 'apply', 'p'], cwd: '/repo' },
    ]);
    expect(commands('terraform apply \\\n  -auto-approve')).toEqual([{ argv: ['terraform', 'apply', '-auto-approve'], cwd: '/repo' }]);
  });

  it('keeps quoted words whole and strips leading assignments', () => {
    const [command] = readShellCommand(`TF_VAR_x=1 TF_WORKSPACE=prod terraform apply -var 'a=b c' "plan file"`, context).commands;
    expect(command?.argv).toEqual(['terraform', 'apply', '-var', 'a=b c', 'plan file']);
    expect(command?.assignments).toEqual({ TF_VAR_x: '1', TF_WORKSPACE: 'prod' });
  });

  it('a cd in a subshell, a pipeline or the background ends there', () => {
    expect(commands('(cd infra && terraform apply p); terraform plan')).toEqual([
      { argv: ['terraform', 'apply', 'p'], cwd: '/repo/infra' },
      { argv: ['terraform', 'plan'], cwd: '/repo' },
    ]);
    expect(commands('cd infra | cat; terraform plan')).toEqual([
      { argv: ['cat'], cwd: '/repo' },
      { argv: ['terraform', 'plan'], cwd: '/repo' },
    ]);
    expect(commands('cd infra & terraform plan')).toEqual([{ argv: ['terraform', 'plan'], cwd: '/repo' }]);
  });

  it('cd to a variable, a substitution or `-` it cannot know leaves the directory unknown', () => {
    expect(commands('cd $DIR && terraform apply p')[0]?.cwd).toBeUndefined();
    expect(commands('cd "$(git rev-parse --show-toplevel)/infra" && terraform apply p').find((c) => c.argv[0] === 'terraform')?.cwd).toBeUndefined();
    expect(commands('cd - && terraform apply p')[0]?.cwd).toBeUndefined();
    expect(commands('cd && terraform apply p')[0]?.cwd).toBe('/home/me');
    expect(commands('cd ~/work/infra && terraform apply p')[0]?.cwd).toBe('/home/me/work/infra');
    expect(commands('pushd infra && terraform plan && popd && terraform apply p').map((c) => c.cwd)).toEqual(['/repo/infra', '/repo']);
  });

  it('opens sh -c, bash -lc, su -c and eval, and their cd stays inside', () => {
    expect(commands(`sh -c 'cd infra && terraform destroy'`)).toEqual([{ argv: ['terraform', 'destroy'], cwd: '/repo/infra' }]);
    expect(commands(`bash -lc "cd infra; terraform apply -auto-approve"; terraform plan`)).toEqual([
      { argv: ['terraform', 'apply', '-auto-approve'], cwd: '/repo/infra' },
      { argv: ['terraform', 'plan'], cwd: '/repo' },
    ]);
    expect(commands(`bash -e -o pipefail -c 'terraform apply'`)).toEqual([{ argv: ['terraform', 'apply'], cwd: '/repo' }]);
    expect(commands(`su deploy -c 'terraform apply'`)).toEqual([{ argv: ['terraform', 'apply'], cwd: '/repo' }]);
    expect(commands(`eval "terraform" apply`)).toEqual([{ argv: ['terraform', 'apply'], cwd: '/repo' }]);
    expect(commands(`bash deploy.sh`)).toEqual([{ argv: ['bash', 'deploy.sh'], cwd: '/repo' }]);
  });

  it('opens env: assignments, -u, -C and -S', () => {
    const [command] = readShellCommand('env -u CLAUDECODE TF_WORKSPACE=prod terraform apply p', context).commands;
    expect(command?.argv).toEqual(['terraform', 'apply', 'p']);
    expect(command?.assignments).toEqual({ CLAUDECODE: '', TF_WORKSPACE: 'prod' });
    expect(commands('env -C infra terraform apply p')).toEqual([{ argv: ['terraform', 'apply', 'p'], cwd: '/repo/infra' }]);
    expect(commands(`env -S 'terraform apply'`)).toEqual([{ argv: ['terraform', 'apply'], cwd: '/repo' }]);
  });

  it('reads command substitutions, backticks and process substitutions, also inside double quotes', () => {
    expect(commands('echo $(terraform destroy -auto-approve)')).toContainEqual({ argv: ['terraform', 'destroy', '-auto-approve'], cwd: '/repo', nested: true });
    expect(commands('echo "result: $(cd x && terraform apply)"')).toContainEqual({ argv: ['terraform', 'apply'], cwd: '/repo/x', nested: true });
    expect(commands('echo `terraform destroy`')).toContainEqual({ argv: ['terraform', 'destroy'], cwd: '/repo', nested: true });
    expect(commands('diff <(terraform show -json a) b')).toContainEqual({ argv: ['terraform', 'show', '-json', 'a'], cwd: '/repo', nested: true });
    expect(commands(`echo '$(terraform destroy)'`)).toEqual([{ argv: ['echo', '$(terraform destroy)'], cwd: '/repo' }]);
  });

  it('skips comments and here-document bodies, but reads the substitutions an unquoted body runs', () => {
    expect(commands('terraform plan # then terraform apply')).toEqual([{ argv: ['terraform', 'plan'], cwd: '/repo' }]);
    expect(commands('echo a#b')).toEqual([{ argv: ['echo', 'a#b'], cwd: '/repo' }]);
    expect(commands(`cat > notes.md <<'EOF'\nterraform destroy\nEOF\nterraform plan`)).toEqual([
      { argv: ['cat'], cwd: '/repo' },
      { argv: ['terraform', 'plan'], cwd: '/repo' },
    ]);
    expect(commands(`cat <<EOF\n$(terraform destroy)\nEOF`)).toContainEqual({ argv: ['terraform', 'destroy'], cwd: '/repo', nested: true });
  });

  it('drops redirections and their file descriptors', () => {
    expect(commands('terraform apply p 2>&1 > out.txt < /dev/null')).toEqual([{ argv: ['terraform', 'apply', 'p'], cwd: '/repo' }]);
    expect(commands('terraform apply p &>log')).toEqual([{ argv: ['terraform', 'apply', 'p'], cwd: '/repo' }]);
  });

  it('reserved words of compound commands are not programs', () => {
    expect(commands('if true; then terraform apply p; fi')).toEqual([
      { argv: ['true'], cwd: '/repo' },
      { argv: ['terraform', 'apply', 'p'], cwd: '/repo' },
    ]);
    expect(commands('for d in a b; do (cd $d && terraform apply -auto-approve); done').map((c) => c.argv[0])).toEqual(['terraform']);
    expect(commands('{ cd infra; terraform apply p; }')).toEqual([{ argv: ['terraform', 'apply', 'p'], cwd: '/repo/infra' }]);
  });

  it('bounds nesting', () => {
    let text = 'terraform apply';
    for (let depth = 0; depth < 8; depth += 1) text = `sh -c ${JSON.stringify(text)}`;
    expect(readShellCommand(text, context).unreadable.length).toBeGreaterThan(0);
  });
});
