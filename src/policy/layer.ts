import { TfguardError, TfguardErrors } from '../shared/errors.js';
import type { PolicyDocument, RuleDocument } from './document.js';
import { catalogueOnly } from '../catalogue/stateful-settings.js';
import { ENFORCEMENT_STRENGTH, type Policy, type Rule } from './model.js';

export interface PolicyLayer {
  source: string;
  document: PolicyDocument;
}

/**
 * Layers policy files in order (an organisation's, then a repository's). A later file adds to
 * what came before and may tighten it freely; anything that loosens an earlier file (a weaker
 * rule, a rule switched off, the catalogue off, exclusions, more approvers, unknown provenance
 * counted as human) must say `loosen = true` where it does so, and is refused when the earlier
 * rule says `lock = true`. Every loosening is recorded in the policy and the report.
 */
export function layerPolicies(layers: readonly PolicyLayer[]): Policy {
  const policy: Policy = {
    sources: [],
    stateful: catalogueOnly(),
    rules: [],
    approvers: [],
    provenance: { unknown: 'ai', noEvidence: 'human', aiSignatures: { trailers: [], authors: [], labels: [], branchPrefixes: [], messages: [] } },
    agents: { allowStateSurgery: [] },
    loosened: [],
  };
  const errors: TfguardError[] = [];
  layers.forEach((layer, index) => {
    const earlier = index > 0;
    const before = [...policy.sources];
    const loosen = (explicit: boolean | undefined, field: string, what: string) => {
      if (!earlier) return;
      if (explicit) policy.loosened.push({ source: layer.source, what });
      else errors.push(new TfguardError(layer.source, `${field}: ${what}, which loosens ${before.join(', ')}`, `Set \`loosen = true\` there if that is intended`));
    };
    applyStateful(policy, layer, loosen);
    applyProvenance(policy, layer, loosen);
    applyApprovers(policy, layer, loosen);
    applyAgents(policy, layer, loosen);
    for (const [name, document] of Object.entries(layer.document.rule ?? {})) {
      const error = applyRule(policy, name, document, layer.source, earlier);
      if (error) errors.push(error);
    }
    policy.sources.push(layer.source);
  });
  if (errors.length === 0 && !policy.rules.some((rule) => rule.enabled)) {
    errors.push(
      new TfguardError(
        policy.sources.join(', '),
        'the policy has no enabled rules, so it would let every destructive change through',
        'Add rules, or layer the file on the built-in default with --policy builtin:default --policy <file>',
      ),
    );
  }
  if (errors.length > 0) throw new TfguardErrors(errors);
  return policy;
}

type Loosen = (explicit: boolean | undefined, field: string, what: string) => void;

function applyStateful(policy: Policy, { document }: PolicyLayer, loosen: Loosen): void {
  const stateful = document.stateful;
  if (!stateful) return;
  const settings = policy.stateful;
  if (stateful.catalogue === false && settings.catalogue) {
    loosen(stateful.loosen, 'stateful.catalogue', 'turns the built-in catalogue off');
    settings.catalogue = false;
  } else if (stateful.catalogue === true) {
    settings.catalogue = true;
  }
  for (const [key, target] of [['exclude_types', settings.excludeTypes], ['exclude_addresses', settings.excludeAddresses]] as const) {
    const added = (stateful[key] ?? []).filter((glob) => !target.includes(glob));
    if (added.length > 0) loosen(stateful.loosen, `stateful.${key}`, `excludes ${added.join(', ')} from stateful`);
    target.push(...added);
  }
  union(settings.types, stateful.types);
  union(settings.addresses, stateful.addresses);
  union(settings.modules, stateful.modules);
  // Each file's tags are a selector of their own: a later file can only widen what is stateful.
  if (stateful.tags && Object.keys(stateful.tags).length > 0) settings.tagSelectors.push({ ...stateful.tags });
  if (stateful.severity) {
    if (SEVERITY_RANK[stateful.severity] < SEVERITY_RANK[settings.severity]) {
      loosen(stateful.loosen, 'stateful.severity', `lowers the severity of resources the policy declares stateful from ${settings.severity} to ${stateful.severity}`);
    }
    settings.severity = stateful.severity;
  }
}

const SEVERITY_RANK = { medium: 0, high: 1, critical: 2 } as const;

function applyProvenance(policy: Policy, { document }: PolicyLayer, loosen: Loosen): void {
  const provenance = document.provenance;
  if (!provenance) return;
  if (provenance.unknown === 'human' && policy.provenance.unknown === 'ai') {
    loosen(provenance.loosen, 'provenance.unknown', 'counts changes of unknown provenance as human');
  }
  if (provenance.unknown) policy.provenance.unknown = provenance.unknown;
  if (provenance.no_evidence === 'human' && policy.provenance.noEvidence === 'ai') {
    loosen(provenance.loosen, 'provenance.no_evidence', 'counts changes whose history holds no AI signal as human');
  }
  if (provenance.no_evidence) policy.provenance.noEvidence = provenance.no_evidence;
  const signatures = provenance.ai_signatures ?? {};
  const target = policy.provenance.aiSignatures;
  union(target.trailers, signatures.trailers);
  union(target.authors, signatures.authors);
  union(target.labels, signatures.labels);
  union(target.branchPrefixes, signatures.branch_prefixes);
  union(target.messages, signatures.messages);
}

function applyAgents(policy: Policy, { document }: PolicyLayer, loosen: Loosen): void {
  const agents = document.agents;
  if (!agents) return;
  const added = (agents.allow_state_surgery ?? []).filter((item) => !policy.agents.allowStateSurgery.includes(item));
  if (added.length > 0) loosen(agents.loosen, 'agents.allow_state_surgery', `lets AI-generated runs use ${added.join(', ')} without a plan`);
  policy.agents.allowStateSurgery.push(...added);
}

function applyApprovers(policy: Policy, layer: PolicyLayer, loosen: Loosen): void {
  for (const [id, approver] of Object.entries(layer.document.approver ?? {})) {
    const existing = policy.approvers.find((item) => item.id === id);
    const next = { id, github: approver.github, sshKeys: approver.ssh_keys ?? [], emails: (approver.emails ?? []).map((email) => email.toLowerCase()), source: layer.source, ...(approver.name ? { name: approver.name } : {}) };
    if (!existing) {
      loosen(approver.loosen, `approver "${id}"`, 'adds an approver');
      policy.approvers.push(next);
      continue;
    }
    const sameIdentity = existing.github === next.github && existing.sshKeys.join('\n') === next.sshKeys.join('\n') && existing.emails.join('\n') === next.emails.join('\n');
    if (!sameIdentity) loosen(approver.loosen, `approver "${id}"`, 'changes who this approver is (login or keys)');
    Object.assign(existing, next);
  }
}

function applyRule(policy: Policy, name: string, document: RuleDocument, source: string, earlier: boolean): TfguardError | undefined {
  const next: Rule = {
    name,
    enabled: document.enabled ?? true,
    match: document.match ?? {},
    enforcement: document.enforcement,
    message: document.message ?? document.description ?? name,
    source,
    locked: document.lock ?? false,
  };
  if (document.description !== undefined) next.description = document.description;
  if (document.approval) next.approval = { when: document.approval.when ?? 'ai', count: document.approval.count };
  const index = policy.rules.findIndex((rule) => rule.name === name);
  if (index < 0) {
    policy.rules.push(next);
    return undefined;
  }
  const previous = policy.rules[index]!;
  const weaker = loosenings(previous, next);
  if (earlier && weaker.length > 0) {
    const what = `rule "${name}" ${weaker.join(', ')}`;
    if (previous.locked) {
      return new TfguardError(source, `${what}, but ${previous.source} locks that rule (lock = true)`, 'Leave the rule as it is, or ask the owners of that policy');
    }
    if (!document.loosen) {
      return new TfguardError(source, `${what}, which loosens ${previous.source}`, `Set \`loosen = true\` in rule "${name}" if that is intended`);
    }
    policy.loosened.push({ source, what });
  }
  policy.rules[index] = { ...next, locked: previous.locked || next.locked };
  return undefined;
}

/** How `next` is weaker than `previous`; empty when it is as strict or stricter. */
function loosenings(previous: Rule, next: Rule): string[] {
  const weaker: string[] = [];
  if (previous.enabled && !next.enabled) weaker.push('is switched off');
  if (ENFORCEMENT_STRENGTH[next.enforcement] < ENFORCEMENT_STRENGTH[previous.enforcement]) {
    weaker.push(`lowers enforcement from ${previous.enforcement} to ${next.enforcement}`);
  }
  if (previous.approval && next.approval) {
    if (next.approval.count < previous.approval.count) weaker.push(`needs ${next.approval.count} approval(s) instead of ${previous.approval.count}`);
    if (previous.approval.when === 'always' && next.approval.when === 'ai') weaker.push('asks approval for AI-generated changes only');
  }
  if (JSON.stringify(canonical(withDefaults(previous.match))) !== JSON.stringify(canonical(withDefaults(next.match)))) weaker.push('changes what it matches');
  return weaker;
}

function withDefaults(match: Rule['match']): Rule['match'] {
  return match.whole_environment ? { ...match, whole_environment: { destroy_mode: true, ...match.whole_environment } } : match;
}

/** Key order and the order of list entries carry no meaning in a match. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([key, item]) => [key, canonical(item)]));
}

function union(target: string[], extra: readonly string[] | undefined): void {
  for (const item of extra ?? []) if (!target.includes(item)) target.push(item);
}
