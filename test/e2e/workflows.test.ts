import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, ROOT } from '../helpers/paths.js';

/**
 * The example workflows stay true: they parse, the Action's inputs they use exist in action.yml
 * (and the required ones are given), and the CLI flags they use exist in the built CLI.
 */

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

const read = (path: string): any => parse(readFileSync(join(ROOT, path), 'utf8'));
const action = read('action.yml') as { runs: { using: string; main: string }; inputs: Record<string, ActionInput>; outputs: Record<string, { description?: string }> };
const WORKFLOWS = join('examples', 'workflows');

/** The long options of `tfguard check`, from its --help. */
const cliOptions = (): Set<string> => new Set(execFileSync(process.execPath, [CLI, 'check', '--help'], { encoding: 'utf8' }).match(/--[a-z][a-z-]*/g) ?? []);

/** The `--option`s a shell command gives tfguard (npx's own left out). */
const tfguardOptions = (command: string): string[] => {
  const [, args = ''] = /\btfguard\b(.*)$/s.exec(command.replace(/\bnpx\s+(--yes\s+)?/g, '')) ?? [];
  return args.match(/(?<=\s)--[a-z][a-z-]*/g) ?? [];
};

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'action-dist/index.js' });
    expect(existsSync(join(ROOT, action.runs.main))).toBe(true);
  });

  it('every input is kebab-case and documented, and every optional one has a default', () => {
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['plan', 'policy', 'policy-ref', 'provenance', 'base', 'approvals', 'environment', 'github-token', 'comment', 'sarif-file', 'junit-file', 'working-directory', 'terraform-bin']),
    );
    expect(action.inputs).not.toHaveProperty('fail-on-error');
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(name, name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(input.description?.length ?? 0, `${name}: description`).toBeGreaterThan(20);
      if (!input.required) expect(typeof input.default, `${name}: default`).toBe('string');
    }
    expect(action.inputs.plan!.required).toBe(true);
    expect(action.inputs.provenance!.default).toBe('auto');
    expect(action.inputs.comment!.default).toBe('true');
    expect(action.inputs['working-directory']!.default).toBe('.');
    expect(action.inputs['github-token']!.default).toBe('${{ github.token }}');
  });

  it('declares the outputs the Action sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(['blocking', 'digest', 'report', 'verdict', 'warnings']);
    for (const [name, output] of Object.entries(action.outputs)) expect(output.description?.length ?? 0, name).toBeGreaterThan(10);
  });
});

describe('examples/workflows/github-actions.yml', () => {
  const workflow = read(join(WORKFLOWS, 'github-actions.yml'));
  const jobs = Object.values(workflow.jobs) as { steps: { uses?: string; run?: string; with?: Record<string, unknown>; id?: string }[] }[];
  const steps = jobs.flatMap((job) => job.steps);
  const ours = steps.filter((step) => step.uses === './' || /^tfguard\/tfguard@/.test(step.uses ?? ''));

  it('uses this Action with inputs action.yml declares, the required ones given', () => {
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      const given = Object.keys(step.with ?? {});
      expect(given.filter((name) => !(name in action.inputs))).toEqual([]);
      const required = Object.entries(action.inputs).filter(([, input]) => input.required).map(([name]) => name);
      expect(required.filter((name) => !given.includes(name))).toEqual([]);
    }
  });

  it('asks for no more than it needs: contents read, pull-requests write', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    for (const job of Object.values(workflow.jobs) as { permissions?: unknown }[]) expect(job.permissions).toBeUndefined();
  });

  it('plans, turns the plan into JSON, then checks that JSON', () => {
    const checkout = steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const setup = steps.find((step) => step.uses?.startsWith('hashicorp/setup-terraform@'));
    expect(setup?.with?.terraform_wrapper).toBe(false);
    const runs = steps.map((step) => step.run ?? '');
    const planAt = runs.findIndex((run) => /terraform plan\b.*-out=(\S+)/.test(run));
    const showAt = runs.findIndex((run) => /terraform show -json/.test(run));
    const checkAt = steps.indexOf(ours[0]!);
    expect(runs.findIndex((run) => /terraform init/.test(run))).toBeGreaterThanOrEqual(0);
    expect(planAt).toBeGreaterThan(0);
    expect(showAt).toBeGreaterThan(planAt);
    expect(checkAt).toBeGreaterThan(showAt);
    const planFile = /-out=(\S+)/.exec(runs[planAt]!)![1]!;
    const [, shown, jsonFile] = /terraform show -json (\S+) > (\S+)/.exec(runs[showAt]!)!;
    expect(shown).toBe(planFile);
    expect(ours[0]!.with!.plan).toBe(jsonFile);
  });

  it('reads the outputs the Action declares', () => {
    const used = [...readFileSync(join(ROOT, WORKFLOWS, 'github-actions.yml'), 'utf8').matchAll(/steps\.tfguard\.outputs\.([a-z-]+)/g)].map((match) => match[1]!);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !(name in action.outputs))).toEqual([]);
  });
});

describe('examples/workflows/gitlab-ci.yml', () => {
  const pipeline = read(join(WORKFLOWS, 'gitlab-ci.yml'));
  const jobs = Object.entries(pipeline).filter(([, job]) => typeof job === 'object' && job !== null && Array.isArray((job as { script?: unknown }).script)) as [string, { script: string[]; artifacts?: any; variables?: Record<string, string> }][];

  it('a job runs the CLI for a JUnit report and hands it to GitLab as the junit report', () => {
    const [, job] = jobs.find(([, candidate]) => candidate.script.some((line) => /\btfguard\b.*--format junit/.test(line)))!;
    const command = job.script.find((line) => /\btfguard\b/.test(line))!;
    expect(command).toMatch(/npx (--yes )?tfguard --format junit --output tfguard\.xml .*plan\.json$/);
    expect(job.artifacts.when).toBe('always');
    expect(job.artifacts.reports.junit).toBe('$TF_ROOT/tfguard.xml');
    expect(job.script[0]).toBe('cd "$TF_ROOT"');
    expect(job.variables?.GIT_DEPTH).toBe('0');
  });

  it('the plan job makes the plan.json the check reads', () => {
    const [, job] = jobs.find(([, candidate]) => candidate.script.some((line) => /terraform show -json/.test(line)))!;
    expect(job.script.join('\n')).toMatch(/terraform plan .*-out=plan\.tfplan[\s\S]*terraform show -json plan\.tfplan > plan\.json/);
    expect(job.artifacts.paths).toContain('$TF_ROOT/plan.json');
  });

  it('uses only options the CLI has', () => {
    const options = cliOptions();
    const used = jobs.flatMap(([, job]) => job.script).flatMap(tfguardOptions);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((option) => !options.has(option))).toEqual([]);
  });
});

describe('examples/workflows/atlantis.yaml', () => {
  const config = read(join(WORKFLOWS, 'atlantis.yaml'));

  it('a custom workflow runs tfguard on $SHOWFILE after the plan and show -json of $PLANFILE', () => {
    expect(config.version).toBe(3);
    const used = new Set((config.projects as { workflow?: string }[]).map((project) => project.workflow));
    for (const name of used) expect(config.workflows, String(name)).toHaveProperty(String(name));
    const steps = config.workflows.tfguard.plan.steps as (string | { run?: string })[];
    const runs = steps.map((step) => (typeof step === 'string' ? step : step.run ?? ''));
    const planAt = runs.indexOf('plan');
    const showAt = runs.findIndex((run) => run === 'terraform show -json "$PLANFILE" > "$SHOWFILE"');
    const checkAt = runs.findIndex((run) => /^tfguard\b.*"\$SHOWFILE"$/.test(run));
    expect(planAt).toBeGreaterThan(runs.indexOf('init'));
    expect(showAt).toBeGreaterThan(planAt);
    expect(checkAt).toBeGreaterThan(showAt);
  });

  it('uses only options the CLI has', () => {
    const options = cliOptions();
    const steps = config.workflows.tfguard.plan.steps as (string | { run?: string })[];
    const used = steps.flatMap((step) => (typeof step === 'object' && step.run?.startsWith('tfguard') ? tfguardOptions(step.run) : []));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((option) => !options.has(option))).toEqual([]);
  });
});
