import { describe, expect, it } from 'vitest';
import { chdirOf, classifyInvocation, parseInvocation, planOutputOf, toolOf } from '../../../src/commands/terraform-invocation.js';

const step = (...argv: string[]) => classifyInvocation(parseInvocation(argv)!);

describe('terraform invocations', () => {
  it('knows the tools by their program name', () => {
    expect(toolOf('terraform')).toBe('terraform');
    expect(toolOf('/usr/local/bin/tofu')).toBe('tofu');
    expect(toolOf('C:\\tools\\terraform.exe')).toBe('terraform');
    expect(toolOf('terragrunt')).toBe('terragrunt');
    expect(toolOf('terraform-docs')).toBeUndefined();
    expect(parseInvocation(['make', 'apply'])).toBeUndefined();
  });

  it('global options come before the command', () => {
    const invocation = parseInvocation(['terraform', '-chdir=infra', 'apply', 'plan.tfplan'])!;
    expect(invocation).toMatchObject({ prefix: ['-chdir=infra'], command: 'apply', args: ['plan.tfplan'] });
    expect(chdirOf(invocation)).toBe('infra');
  });

  it('apply PLANFILE checks that file; flags with values are not taken for it', () => {
    expect(step('terraform', 'apply', 'plan.tfplan')).toEqual({ kind: 'saved-plan', planFile: 'plan.tfplan', planIndex: 0 });
    expect(step('terraform', 'apply', '-auto-approve', '-lock-timeout', '30s', 'tf.plan')).toEqual({ kind: 'saved-plan', planFile: 'tf.plan', planIndex: 3 });
    expect(step('tofu', 'apply', '--', 'plan')).toEqual({ kind: 'saved-plan', planFile: 'plan', planIndex: 1 });
  });

  it('apply without a plan plans first with the other arguments; only -auto-approve stays behind', () => {
    expect(step('terraform', 'apply', '-auto-approve', '-var', 'a=1', '-var-file=prod.tfvars', '-target', 'aws_s3_bucket.x', '-no-color')).toEqual({
      kind: 'plan-first',
      mode: 'apply',
      planArgs: ['-var', 'a=1', '-var-file=prod.tfvars', '-target', 'aws_s3_bucket.x', '-no-color'],
      applyArgs: ['-auto-approve', '-no-color'],
      autoApprove: true,
    });
    expect(step('terraform', 'apply')).toMatchObject({ kind: 'plan-first', mode: 'apply', planArgs: [], applyArgs: [], autoApprove: false });
    expect(step('terraform', 'apply', '-auto-approve=false')).toMatchObject({ autoApprove: false, planArgs: [] });
  });

  it('destroy, apply -destroy and refresh plan in their mode', () => {
    expect(step('terraform', 'destroy', '-auto-approve', '-var', 'a=1')).toEqual({ kind: 'plan-first', mode: 'destroy', planArgs: ['-destroy', '-var', 'a=1'], applyArgs: ['-auto-approve'], autoApprove: true });
    expect(step('terraform', 'apply', '-destroy')).toMatchObject({ mode: 'destroy', planArgs: ['-destroy'] });
    expect(step('terraform', 'refresh')).toMatchObject({ mode: 'refresh-only', planArgs: ['-refresh-only'], autoApprove: true });
  });

  it('everything else passes through', () => {
    for (const argv of [['init'], ['plan', '-out=p'], ['show', '-json', 'p'], ['validate'], ['output'], ['fmt'], ['version'], ['-version'], ['state', 'list'], ['workspace', 'select', 'prod'], ['taint', 'x'], ['apply', '-help']]) {
      expect(step('terraform', ...argv), argv.join(' ')).toEqual({ kind: 'pass-through' });
    }
  });

  it('state surgery is named with what to do instead', () => {
    expect(step('terraform', 'state', 'rm', 'aws_db_instance.main')).toMatchObject({ kind: 'state-surgery', operation: 'terraform state rm', instead: expect.stringContaining('removed {') });
    expect(step('tofu', 'state', 'mv', 'a', 'b')).toMatchObject({ operation: 'tofu state mv', instead: expect.stringContaining('moved {') });
    expect(step('terraform', 'state', 'push', 'x.tfstate')).toMatchObject({ kind: 'state-surgery' });
    expect(step('terraform', 'state', 'replace-provider', 'a', 'b')).toMatchObject({ kind: 'state-surgery' });
    expect(step('terraform', 'workspace', 'delete', '-force', 'prod')).toMatchObject({ operation: 'terraform workspace delete' });
    expect(step('terraform', 'force-unlock', '-force', 'id')).toMatchObject({ kind: 'state-surgery' });
    expect(step('terraform', 'import', 'aws_s3_bucket.x', 'name')).toMatchObject({ instead: expect.stringContaining('import {') });
  });

  it('plan -out is where the plan goes', () => {
    expect(planOutputOf(parseInvocation(['terraform', 'plan', '-out=tf.plan'])!)).toBe('tf.plan');
    expect(planOutputOf(parseInvocation(['terraform', 'plan', '-out', 'x'])!)).toBe('x');
    expect(planOutputOf(parseInvocation(['terraform', 'apply', 'x'])!)).toBeUndefined();
  });

  describe('terragrunt', () => {
    it('a single module is read like terraform, its own flags kept for every step', () => {
      expect(step('terragrunt', 'apply', 'plan.tfplan')).toMatchObject({ kind: 'saved-plan', planFile: 'plan.tfplan' });
      expect(step('terragrunt', '--working-dir', 'live/prod', 'apply', '--non-interactive', '-auto-approve')).toMatchObject({
        kind: 'plan-first',
        planArgs: ['--non-interactive'],
        applyArgs: ['-auto-approve', '--non-interactive'],
      });
      expect(parseInvocation(['terragrunt', '--working-dir', 'live/prod', 'apply'])!.prefix).toEqual(['--working-dir', 'live/prod']);
      expect(step('terragrunt', 'run', '--', 'apply', 'p')).toMatchObject({ kind: 'saved-plan', planFile: 'p' });
      expect(step('terragrunt', 'run', '--', 'state', 'rm', 'x')).toMatchObject({ kind: 'state-surgery' });
    });

    it('across a stack, an apply cannot be checked; a plan can run', () => {
      expect(step('terragrunt', 'run-all', 'apply')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'run', '--all', 'apply')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'run', '--all', '--', 'destroy')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'apply', '--all')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'apply-all')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'stack', 'run', 'apply')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'run-all', 'apply', 'plan.tfplan')).toMatchObject({ kind: 'all-modules' });
      expect(step('terragrunt', 'run-all', 'plan')).toEqual({ kind: 'pass-through' });
      expect(step('terragrunt', 'run', '--all', 'init')).toEqual({ kind: 'pass-through' });
    });
  });
});
