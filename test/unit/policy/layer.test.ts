import { describe, expect, it } from 'vitest';
import { TfguardErrors } from '../../../src/shared/errors.js';
import type { PolicyDocument, RuleDocument } from '../../../src/policy/document.js';
import { layerPolicies } from '../../../src/policy/layer.js';

const org: PolicyDocument = {
  stateful: { types: ['custom_db'] },
  rule: {
    db: { match: { stateful: true }, enforcement: 'soft-mandatory', approval: { when: 'ai', count: 2 }, message: 'db' },
    env: { match: { whole_environment: { min_count: 5, min_share: 0.5 } }, enforcement: 'hard-mandatory', lock: true },
  },
  approver: { alice: { github: 'alice' } },
};
const layer = (...documents: PolicyDocument[]) => layerPolicies(documents.map((document, index) => ({ source: `p${index}.hcl`, document })));
const messages = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TfguardErrors);
    return (error as TfguardErrors).errors.map((item) => item.oneLine());
  }
  throw new Error('expected layering to fail');
};
const withRule = (name: string, rule: RuleDocument): PolicyDocument => ({ rule: { [name]: rule } });

describe('layerPolicies', () => {
  it('adds what later files add: stateful globs, tags, new rules', () => {
    const policy = layer(org, { stateful: { addresses: ['module.legacy.**'], tags: { data: 'customer' } }, rule: { extra: { enforcement: 'advisory' } } });
    expect(policy.sources).toEqual(['p0.hcl', 'p1.hcl']);
    expect(policy.stateful.types).toEqual(['custom_db']);
    expect(policy.stateful.addresses).toEqual(['module.legacy.**']);
    expect(policy.stateful.tagSelectors).toEqual([{ data: 'customer' }]);
    expect(policy.rules.map((rule) => rule.name)).toEqual(['db', 'env', 'extra']);
    expect(policy.loosened).toEqual([]);
  });

  it('lets a later file tighten a rule without saying so', () => {
    const policy = layer(org, withRule('db', { match: { stateful: true }, enforcement: 'hard-mandatory', message: 'stricter' }));
    expect(policy.rules.find((rule) => rule.name === 'db')).toMatchObject({ enforcement: 'hard-mandatory', source: 'p1.hcl' });
    const more = layer(org, withRule('db', { match: { stateful: true }, enforcement: 'soft-mandatory', approval: { when: 'always', count: 3 } }));
    expect(more.rules[0]!.approval).toEqual({ when: 'always', count: 3 });
  });

  it.each([
    ['fewer approvals', { match: { stateful: true }, enforcement: 'soft-mandatory', approval: { count: 1 } }, /needs 1 approval\(s\) instead of 2/],
    ['weaker enforcement', { match: { stateful: true }, enforcement: 'advisory' }, /lowers enforcement from soft-mandatory to advisory/],
    ['switched off', { match: { stateful: true }, enforcement: 'soft-mandatory', approval: { count: 2 }, enabled: false }, /is switched off/],
    ['a different match', { match: { stateful: true, severities: ['critical'] }, enforcement: 'soft-mandatory', approval: { count: 2 } }, /changes what it matches/],
  ] as [string, RuleDocument, RegExp][])('refuses an accidental loosening of a rule: %s', (_name, rule, pattern) => {
    const [line] = messages(() => layer(org, withRule('db', rule)));
    expect(line).toMatch(pattern);
    expect(line).toMatch(/^p1\.hcl: rule "db" .* which loosens p0\.hcl\. Set `loosen = true`/);
    const policy = layer(org, withRule('db', { ...rule, loosen: true }));
    expect(policy.loosened).toEqual([{ source: 'p1.hcl', what: expect.stringMatching(pattern) }]);
  });

  it('never lets a later file loosen a locked rule, even on purpose', () => {
    const [line] = messages(() => layer(org, withRule('env', { match: { whole_environment: { min_count: 5, min_share: 0.5 } }, enforcement: 'advisory', loosen: true })));
    expect(line).toMatch(/p0\.hcl locks that rule \(lock = true\)/);
    // Tightening a locked rule is fine, and the lock stays.
    const policy = layer(org, withRule('env', { match: { whole_environment: { min_count: 5, min_share: 0.5 } }, enforcement: 'hard-mandatory', message: 'x' }));
    expect(policy.rules.find((rule) => rule.name === 'env')!.locked).toBe(true);
  });

  it.each([
    ['the catalogue off', { stateful: { catalogue: false } }, /turns the built-in catalogue off/],
    ['state surgery for agents', { agents: { allow_state_surgery: ['state rm'] } }, /agents\.allow_state_surgery: lets AI-generated runs use state rm without a plan/],
    ['exclusions', { stateful: { exclude_types: ['aws_instance'] } }, /excludes aws_instance from stateful/],
    ['a new approver', { approver: { mallory: { github: 'mallory' } } }, /approver "mallory": adds an approver/],
    ['a changed approver', { approver: { alice: { github: 'mallory' } } }, /changes who this approver is/],
    ['unknown provenance as human', { provenance: { unknown: 'human' } }, /counts changes of unknown provenance as human/],
  ] as [string, PolicyDocument, RegExp][])('treats %s in a later file as loosening', (_name, document, pattern) => {
    expect(messages(() => layer(org, document))[0]).toMatch(pattern);
    const flagged = JSON.parse(JSON.stringify(document)) as PolicyDocument;
    for (const block of [flagged.stateful, flagged.provenance, flagged.agents, ...Object.values(flagged.approver ?? {})]) if (block) block.loosen = true;
    expect(layer(org, flagged).loosened).toHaveLength(1);
  });

  it('keeps each file\'s tags a selector of its own, so a later file can only widen', () => {
    const policy = layer({ ...org, stateful: { tags: { env: 'prod' } } }, { stateful: { tags: { team: 'payments' } } });
    expect(policy.stateful.tagSelectors).toEqual([{ env: 'prod' }, { team: 'payments' }]);
    expect(policy.loosened).toEqual([]);
  });

  it('treats lowering the severity of declared resources as loosening', () => {
    const base = { ...org, stateful: { severity: 'critical' as const } };
    expect(messages(() => layer(base, { stateful: { severity: 'medium' } }))[0]).toMatch(/stateful\.severity: lowers the severity .* from critical to medium, which loosens p0\.hcl\./);
    expect(layer(base, { stateful: { severity: 'medium', loosen: true } }).loosened).toHaveLength(1);
  });

  it('names only the earlier files as the ones loosened', () => {
    expect(messages(() => layer(org, { stateful: { catalogue: true } }, { stateful: { catalogue: false } }))[0]).toMatch(/which loosens p0\.hcl, p1\.hcl\. Set/);
  });

  it('does not count list order or defaults in a match as a change', () => {
    const env = org.rule!.env!;
    const reordered = layer(org, withRule('env', { ...env, match: { whole_environment: { min_share: 0.5, min_count: 5, destroy_mode: true } }, lock: undefined }));
    expect(reordered.loosened).toEqual([]);
    const kinds = layer(withRule('k', { match: { kinds: ['delete', 'replace'] }, enforcement: 'advisory' }), withRule('k', { match: { kinds: ['replace', 'delete'] }, enforcement: 'advisory' }));
    expect(kinds.loosened).toEqual([]);
  });

  it('refuses a policy with no enabled rules: it would gate nothing', () => {
    expect(messages(() => layer({ stateful: { catalogue: true } }))[0]).toMatch(/no enabled rules, so it would let every destructive change through/);
    expect(messages(() => layer(org, withRule('db', { ...org.rule!.db!, enabled: false, loosen: true }), withRule('env', { match: {}, enforcement: 'advisory', enabled: false })))).not.toEqual([]);
  });

  it('reports every layering error at once', () => {
    expect(messages(() => layer(org, { stateful: { catalogue: false }, approver: { eve: { github: 'eve' } }, rule: { db: { enforcement: 'advisory' } } }))).toHaveLength(3);
  });

  it('a single file loosens nothing', () => {
    expect(layer({ stateful: { catalogue: false }, provenance: { unknown: 'human' }, rule: org.rule }).loosened).toEqual([]);
  });
});
