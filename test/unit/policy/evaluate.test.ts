import { describe, expect, it } from 'vitest';
import { decideVerdict } from '../../../src/analysis/verdict.js';
import { builtinCatalogue } from '../../../src/catalogue/data.js';
import { classifyChanges } from '../../../src/catalogue/classify.js';
import { builtinPolicy } from '../../../src/policy/default-policy.js';
import { evaluatePolicy } from '../../../src/policy/evaluate.js';
import type { Policy, Rule } from '../../../src/policy/model.js';
import type { EnvironmentImpact } from '../../../src/plan/whole-environment.js';
import { changeOf } from '../../helpers/changes.js';
import type { PlanFacts } from '../../../src/plan/plan-facts.js';

const classified = classifyChanges(
  [
    changeOf({ address: 'aws_db_instance.main', type: 'aws_db_instance', change: { actions: ['delete', 'create'], before: {}, after: {} } }),
    changeOf({ address: 'aws_security_group_rule.r', type: 'aws_security_group_rule', change: { actions: ['delete'], before: {}, after: null } }),
    changeOf({ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', change: { actions: ['forget'], before: {}, after: null } }),
    changeOf({ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', change: { actions: ['update'], before: {}, after: {} } }),
  ],
  builtinCatalogue(),
);
const calm: EnvironmentImpact = { destroyed: 2, existing: 10, share: 0.2, destroyMode: false };
const ai = { ai: true };
const human = { ai: false };

const policy = (...rules: Rule[]): Policy => ({ ...builtinPolicy(), sources: ['test'], rules });
const rule = (match: Rule['match'], extra: Partial<Rule> = {}): Rule => ({
  name: 'r',
  enabled: true,
  match,
  enforcement: 'soft-mandatory',
  approval: { when: 'ai', count: 1 },
  message: 'm',
  source: 'test',
  locked: false,
  ...extra,
});
const evaluate = (p: Policy, provenance = ai, environment = calm) => evaluatePolicy(p, { classified, environmentImpact: environment, provenance });
const addresses = (findings: ReturnType<typeof evaluate>) => findings.map((finding) => finding.change?.change.address ?? null);

describe('evaluatePolicy', () => {
  it('matches destructive changes by stateful and kind, never updates', () => {
    expect(addresses(evaluate(policy(rule({ stateful: true }))))).toEqual(['aws_db_instance.main', 'aws_s3_bucket.b']);
    expect(addresses(evaluate(policy(rule({ stateful: false }))))).toEqual(['aws_security_group_rule.r']);
    expect(addresses(evaluate(policy(rule({ kinds: ['forget'] }))))).toEqual(['aws_s3_bucket.b']);
    expect(addresses(evaluate(policy(rule({ destructive: true }))))).toHaveLength(3);
  });

  it('soft-mandatory blocks AI changes that need approval and warns on human ones', () => {
    expect(evaluate(policy(rule({ stateful: true })))[0]).toMatchObject({ effect: 'block', approvalsRequired: 1, approved: false });
    expect(evaluate(policy(rule({ stateful: true })), human)[0]).toMatchObject({ effect: 'warn', approvalsRequired: 0 });
    const always = rule({ stateful: true }, { approval: { when: 'always', count: 2 } });
    expect(evaluate(policy(always), human)[0]).toMatchObject({ effect: 'block', approvalsRequired: 2 });
  });

  it('hard-mandatory blocks whoever wrote the change and asks for no approval; advisory only warns', () => {
    const hard = rule({ stateful: true }, { enforcement: 'hard-mandatory' });
    expect(evaluate(policy(hard), human)[0]).toMatchObject({ effect: 'block', approvalsRequired: 0 });
    const advisory = rule({ stateful: true }, { enforcement: 'advisory' });
    expect(evaluate(policy(advisory))[0]).toMatchObject({ effect: 'warn', approvalsRequired: 0 });
  });

  it('whole-environment rules look at the plan, by count and share or destroy mode', () => {
    const whole = rule({ whole_environment: { min_count: 5, min_share: 0.5, destroy_mode: true } }, { approval: { when: 'always', count: 2 } });
    expect(evaluate(policy(whole))).toEqual([]);
    const [finding] = evaluate(policy(whole), ai, { destroyed: 6, existing: 10, share: 0.6, destroyMode: false });
    expect(finding).toMatchObject({ effect: 'block', approvalsRequired: 2, message: 'm: 6 of 10 managed resources (60%) destroyed or replaced' });
    expect(finding!.change).toBeUndefined();
    expect(evaluate(policy(whole), ai, { destroyed: 4, existing: 5, share: 0.8, destroyMode: false })).toEqual([]);
    expect(evaluate(policy(whole), ai, { destroyed: 2, existing: 2, share: 1, destroyMode: true })).toHaveLength(1);
  });
});

describe('decideVerdict', () => {
  const facts = { errored: false } as PlanFacts;
  it('blocks on an unapproved blocking finding, warns on others, allows on none; an errored plan is an error', () => {
    expect(decideVerdict(facts, evaluate(policy(rule({ stateful: true }))))).toBe('block');
    expect(decideVerdict(facts, evaluate(policy(rule({ stateful: true })), human))).toBe('warn');
    expect(decideVerdict(facts, [])).toBe('allow');
    expect(decideVerdict({ errored: true } as PlanFacts, [])).toBe('error');
  });
});
