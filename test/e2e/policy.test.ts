import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, example, plan, ROOT } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { runCli } from '../helpers/run-cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'tfguard-policy-'));
function file(name: string, content: string): string {
  const path = join(scratch, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

const STRICT_DB = file(
  'strict-db.hcl',
  `rule "db" {
  match {
    categories = ["database"]
  }
  enforcement = "hard-mandatory"
  message     = "Databases are never destroyed by a pipeline"
}
`,
);
const JSON_POLICY = file('advisory.json', JSON.stringify({ rule: { all: { enforcement: 'advisory', message: 'Anything destructive' } } }));

const report = async (args: string[], options = {}) => {
  const result = (await runMain(['--format', 'json', ...args], options));
  return { ...result, report: result.stdout ? JSON.parse(result.stdout) : undefined };
};

describe('--policy', () => {
  it('uses an HCL policy instead of the built-in default, and says so', async () => {
    const { report: r, status } = (await report(['--policy', STRICT_DB, '--provenance', 'human', example('environment-recreation')]));
    expect(r.policy.sources).toEqual([STRICT_DB]);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'db', address: 'aws_db_instance.main', enforcement: 'hard-mandatory', effect: 'block', approvals_required: 0 })]);
    expect(status).toBe(1);
  });

  it('uses a JSON policy', async () => {
    const { report: r, status } = (await report(['--policy', JSON_POLICY, example('environment-recreation')]));
    expect(r.findings.every((finding: { rule: string; effect: string }) => finding.rule === 'all' && finding.effect === 'warn')).toBe(true);
    expect(r.findings).toHaveLength(9);
    expect(status).toBe(0);
  });

  it('layers files in order, on top of the built-in default when asked', async () => {
    const { report: r } = (await report(['--policy', 'builtin:default', '--policy', STRICT_DB, '--provenance', 'human', example('environment-recreation')]));
    expect(r.policy.sources).toEqual(['builtin:default', STRICT_DB]);
    expect(r.findings.map((finding: { rule: string }) => finding.rule)).toEqual(expect.arrayContaining(['whole-environment', 'db', 'stateful-destroy']));
  });

  it('reports a knowing loosening in the report', async () => {
    const loosen = file('loosen.hcl', 'rule "db" {\n  match {\n    categories = ["database"]\n  }\n  enforcement = "advisory"\n  loosen      = true\n}\n');
    const { report: r } = (await report(['--policy', STRICT_DB, '--policy', loosen, example('environment-recreation')]));
    expect(r.policy.loosened).toEqual([{ source: loosen, what: 'rule "db" lowers enforcement from hard-mandatory to advisory' }]);
    const text = (await runMain(['--policy', STRICT_DB, '--policy', loosen, example('environment-recreation')])).stdout;
    expect(text).toContain('loosens on purpose: rule "db" lowers enforcement from hard-mandatory to advisory');
  });

  it('refuses a malformed policy with exit 2, every error on its own line, and no report', async () => {
    const bad = file('bad.hcl', 'rule "x" {\n  enforcment = "advisory"\n  match {\n    kinds = ["explode"]\n  }\n}\n');
    const result = (await runMain(['--policy', bad, example('environment-recreation')]));
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.every((line) => line.startsWith(`tfguard: error: ${bad}:`))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a loosening that does not say so', async () => {
    const quiet = file('quiet.hcl', 'rule "db" {\n  match {\n    categories = ["database"]\n  }\n  enforcement = "advisory"\n}\n');
    const result = (await runMain(['--policy', STRICT_DB, '--policy', quiet, example('environment-recreation')]));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/rule "db" lowers enforcement from hard-mandatory to advisory, which loosens .*strict-db\.hcl\. Set `loosen = true`/);
  });

  it('refuses a missing policy file and a file of another kind', async () => {
    expect((await runMain(['--policy', join(scratch, 'nope.hcl'), plan('delete')])).stderr).toMatch(/nope\.hcl: no such policy file/);
    expect((await runMain(['--policy', file('policy.yaml', 'a: 1'), plan('delete')])).stderr).toMatch(/must end in \.hcl or \.json/);
  });

  it('--environment selects environment-scoped rules; TF_WORKSPACE is the default', async () => {
    const scoped = file('scoped.hcl', 'rule "prod-only" {\n  match {\n    environments = ["prod*"]\n  }\n  enforcement = "hard-mandatory"\n}\n');
    expect((await report(['--policy', scoped, '--environment', 'staging', example('environment-recreation')])).status).toBe(0);
    expect((await report(['--policy', scoped, '--environment', 'production', example('environment-recreation')])).status).toBe(1);
    expect((await report(['--policy', scoped, example('environment-recreation')], { env: { TF_WORKSPACE: 'staging' } })).report.policy.environment).toBe('staging');
    const unknown = (await report(['--policy', scoped, example('environment-recreation')]));
    expect(unknown.status).toBe(1);
    expect(unknown.report.notices.map((notice: { kind: string }) => notice.kind)).toContain('environment-unknown');
  });
});

describe('discovery', () => {
  it('layers .tfguard.hcl or .tfguard.json from the working directory on top of the built-in default', async () => {
    const withHcl = mkdtempSync(join(scratch, 'hcl-'));
    copyFileSync(STRICT_DB, join(withHcl, '.tfguard.hcl'));
    const hcl = await report([example('environment-recreation')], { cwd: withHcl });
    expect(hcl.report.policy.sources).toEqual(['builtin:default', '.tfguard.hcl']);
    expect(hcl.report.findings.map((finding: { rule: string }) => finding.rule)).toEqual(expect.arrayContaining(['db', 'stateful-destroy', 'whole-environment']));
    const withJson = mkdtempSync(join(scratch, 'json-'));
    copyFileSync(JSON_POLICY, join(withJson, '.tfguard.json'));
    expect((await report([example('environment-recreation')], { cwd: withJson })).report.policy.sources).toEqual(['builtin:default', '.tfguard.json']);
    const empty = mkdtempSync(join(scratch, 'none-'));
    expect((await report([example('environment-recreation')], { cwd: empty })).report.policy.sources).toEqual(['builtin:default']);
  });

  // The attack: the agent being gated commits a policy file next to its plan that makes every rule advisory.
  const quieting = `rule "whole-environment" {
  match {
    whole_environment {
      min_count = 5
      min_share = 0.5
    }
  }
  enforcement = "advisory"
}
rule "stateful-destroy" {
  match {
    stateful = true
  }
  enforcement = "advisory"
}
`;

  it('a discovered file in the change under review cannot switch the gate off quietly', async () => {
    const dir = mkdtempSync(join(scratch, 'attack-'));
    writeFileSync(join(dir, '.tfguard.hcl'), quieting);
    const result = await runMain([example('environment-recreation')], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/\.tfguard\.hcl(:\d+)?: .*rule "whole-environment".* loosens builtin:default.*loosen = true/);
    // An advisory rule of its own adds a warning and takes nothing away.
    writeFileSync(join(dir, '.tfguard.hcl'), 'rule "note" {\n  enforcement = "advisory"\n}\n');
    expect((await runMain([example('environment-recreation')], { cwd: dir })).status).toBe(1);
  });

  it('a discovered file that loosens on purpose is reported loudly, in text and JSON', async () => {
    const dir = mkdtempSync(join(scratch, 'loosen-'));
    writeFileSync(join(dir, '.tfguard.hcl'), quieting.replaceAll('  enforcement = "advisory"\n', '  enforcement = "advisory"\n  loosen      = true\n'));
    const text = await runMain([example('environment-recreation')], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(text.stdout).toMatch(/ℹ Notes[\s\S]*\.tfguard\.hcl loosens the built-in or an earlier policy: rule "whole-environment" lowers enforcement/);
    const json = await report([example('environment-recreation')], { cwd: dir });
    expect(json.report.policy.loosened.map((item: { what: string }) => item.what)).toEqual(expect.arrayContaining([expect.stringMatching(/lowers enforcement/)]));
    expect(json.report.notices.filter((notice: { kind: string }) => notice.kind === 'policy-loosened').length).toBe(json.report.policy.loosened.length);
  });

  it('refuses to guess between two conventional files', async () => {
    const both = mkdtempSync(join(scratch, 'both-'));
    copyFileSync(STRICT_DB, join(both, '.tfguard.hcl'));
    copyFileSync(JSON_POLICY, join(both, '.tfguard.json'));
    const result = (await runMain([example('environment-recreation')], { cwd: both }));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/both \.tfguard\.hcl and \.tfguard\.json exist/);
  });
});

describe('policy commands', () => {
  it('validate: exit 0 for valid files, 2 with every error otherwise', async () => {
    const ok = (await runMain(['policy', 'validate', 'policies/default.hcl', JSON_POLICY]));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('policies/default.hcl: valid (5 rules, 0 approvers)');
    const bad = (await runMain(['policy', 'validate', file('two.hcl', 'rule "a" {\n  enforcement = "x"\n}\nrule "b" {\n  enforcement = "y"\n}\n'), file('empty.json', '')]));
    expect(bad.status).toBe(2);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(3);
  });

  it('validate takes directories too, layering their files in name order like --policy', async () => {
    const dir = mkdtempSync(join(scratch, 'dir-'));
    copyFileSync(STRICT_DB, join(dir, '10-org.hcl'));
    copyFileSync(JSON_POLICY, join(dir, '20-repo.json'));
    const result = (await runMain(['policy', 'validate', dir]));
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/10-org\.hcl: valid[\s\S]*20-repo\.json: valid/);
  });

  it('print: the effective layered policy as JSON', async () => {
    const printed = JSON.parse((await runMain(['policy', 'print', '--policy', 'builtin:default', '--policy', STRICT_DB])).stdout);
    expect(printed.sources).toEqual(['builtin:default', STRICT_DB]);
    expect(Object.keys(printed.rule)).toContain('db');
    expect(printed.rule.db).toMatchObject({ enforcement: 'hard-mandatory', source: STRICT_DB });
    expect(JSON.parse((await runMain(['policy', 'print'])).stdout).sources).toEqual(['builtin:default']);
  });

  it('test: passes, fails with exit 1 and says why, and refuses a broken test file with exit 2', async () => {
    const planPath = join(ROOT, 'examples', 'environment-recreation', 'plan.json');
    const dir = mkdtempSync(join(scratch, 'tests-'));
    file(`${dir.slice(scratch.length + 1)}/ok.test.hcl`, `policy = ["builtin:default"]\ncase "blocks" {\n  plan = "${planPath}"\n  expect {\n    verdict = "block"\n    finding {\n      rule = "whole-environment"\n      approvals_required = 2\n    }\n  }\n}\n`);
    const pass = (await runMain(['policy', 'test', dir]));
    expect(pass.status, pass.stdout + pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/PASS .*ok\.test\.hcl › blocks/);
    expect(pass.stdout).toContain('1 case(s): 1 passed, 0 failed');

    file(`${dir.slice(scratch.length + 1)}/wrong.test.json`, JSON.stringify({ policy: ['builtin:default'], case: { allows: { plan: planPath, provenance: 'human', expect: { verdict: 'allow', no_finding: [{ rule: 'whole-environment' }] } } } }));
    const fail = (await runMain(['policy', 'test', dir]));
    expect(fail.status).toBe(1);
    expect(fail.stdout).toMatch(/FAIL .*wrong\.test\.json › allows\n\s+expected verdict allow, got block\n\s+expected no finding rule whole-environment; found one/);

    file(`${dir.slice(scratch.length + 1)}/broken.test.hcl`, 'case "x" {\n  plan = "p.json"\n  expect {\n    verdikt = "allow"\n  }\n}\n');
    const broken = (await runMain(['policy', 'test', dir]));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/broken\.test\.hcl:4: case\.x\.expect\.verdikt: unknown field \(did you mean "verdict"\?\)/);
  });
});

describe('start-up stays small', () => {
  it('runs without any HCL parser (or any other package) when no HCL policy is read', async () => {
    const alone = mkdtempSync(join(scratch, 'alone-'));
    cpSync(join(CLI, '..'), alone, { recursive: true });
    writeFileSync(join(alone, 'package.json'), '{"type":"module"}');
    const run = (args: string[]) => runCli(args, { cwd: alone, cli: join(alone, 'cli.js') });
    expect(run(['--format', 'json', example('environment-recreation')]).status).toBe(1);
    const json = run(['--policy', JSON_POLICY, example('environment-recreation')]);
    expect(json.status).toBe(0);
    const hcl = run(['--policy', STRICT_DB, example('environment-recreation')]);
    expect(hcl.status).toBe(2);
    expect(hcl.stderr).toMatch(/cannot load the HCL parser @cdktf\/hcl2json/);
  });
});
