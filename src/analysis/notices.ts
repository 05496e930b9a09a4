import type { Change } from '../plan/changes.js';
import type { PlanFacts } from '../plan/plan-facts.js';
import { isKnownReason } from '../plan/reasons.js';
import type { Policy } from '../policy/model.js';

export type NoticeKind =
  | 'errored'
  | 'incomplete'
  | 'refresh-only'
  | 'destroy-mode'
  | 'deferred'
  | 'action-invocations'
  | 'drift-deleted'
  | 'moved'
  | 'imported'
  | 'unknown-actions'
  | 'unknown-reason'
  | 'no-prior-state'
  | 'environment-unknown'
  | 'policy-loosened'
  | 'policy-changed';

/** Something the reader should know that is not a finding: what the plan is, and what tfguard could not assess. */
export interface Notice {
  kind: NoticeKind;
  address?: string;
  message: string;
}

/** A policy file in use that the change under review added or changed (compared with the range's base). */
export interface PolicyChange {
  source: string;
  base: string;
  change: 'added' | 'changed' | 'unverified';
}

export interface NoticeInput {
  policyChanges?: readonly PolicyChange[];
  facts: PlanFacts;
  changes: readonly Change[];
  policy: Policy;
  environmentName?: string;
}

export function planNotices({ facts, changes, policy, environmentName, policyChanges = [] }: NoticeInput): Notice[] {
  const list: Notice[] = [];
  for (const item of policyChanges) {
    const what = item.change === 'added' ? 'is new in' : item.change === 'changed' ? 'differs from the base of' : 'could not be compared with the base of';
    list.push({
      kind: 'policy-changed',
      message: `The policy file ${item.source} ${what} the change under review (${item.base.slice(0, 12)}): its rules and approvers come from the branch being checked; read the policy from the base branch with --policy-ref`,
    });
  }
  // First and one by one: a policy file in the change under review may be what loosened the gate.
  for (const item of policy.loosened) {
    list.push({ kind: 'policy-loosened', message: `${item.source} loosens the built-in or an earlier policy: ${item.what}` });
  }
  if (facts.errored) {
    list.push({ kind: 'errored', message: 'The plan errored (errored: true): only the changes planned before the error are listed, and the plan cannot be applied' });
  }
  if (facts.complete === false && !facts.errored) {
    list.push({ kind: 'incomplete', message: 'The plan is incomplete (complete: false): planned with -target or with deferred changes, so later plans will hold more changes' });
  }
  if (facts.mode === 'refresh-only') {
    list.push({ kind: 'refresh-only', message: 'A refresh-only plan: it only updates state to match real infrastructure and plans no resource changes' });
  }
  if (facts.mode === 'destroy') {
    list.push({ kind: 'destroy-mode', message: 'Every managed resource is deleted with no reason given: this looks like `terraform plan -destroy`' });
  }
  const scoped = policy.rules.filter((rule) => rule.enabled && (rule.match.environments ?? []).length > 0);
  if (scoped.length > 0 && environmentName === undefined) {
    list.push({
      kind: 'environment-unknown',
      message: `No environment given (--environment or TF_WORKSPACE), so rules scoped to environments apply everywhere: ${scoped.map((rule) => rule.name).join(', ')}`,
    });
  }
  if (facts.format === 'hcp-redacted') {
    list.push({ kind: 'no-prior-state', message: 'HCP Terraform redacted plan JSON: it has no prior state, so the environment size is counted from resource_changes' });
  }
  const deferred = changes.filter((change) => change.deferredReason !== undefined).length;
  if (deferred > 0) {
    list.push({ kind: 'deferred', message: `${deferred} change(s) are deferred to a later plan; destructive ones are reported and gated now` });
  }
  if (facts.actionInvocations > 0) {
    list.push({ kind: 'action-invocations', message: `The plan invokes ${facts.actionInvocations} provider action(s): side effects outside resources that tfguard does not assess` });
  }
  for (const address of facts.driftDeletions) {
    list.push({ kind: 'drift-deleted', address, message: 'Deleted outside Terraform since the last apply (resource_drift)' });
  }
  for (const change of changes) {
    if (change.kind === 'unknown') {
      list.push({ kind: 'unknown-actions', address: change.address, message: `Unknown actions ${JSON.stringify(change.actions)}: treated as destructive` });
    }
    if (change.actionReason !== undefined && !isKnownReason(change.actionReason)) {
      list.push({ kind: 'unknown-reason', address: change.address, message: `Unknown action_reason ${JSON.stringify(change.actionReason)}` });
    }
    if (change.destructive) continue;
    if (change.previousAddress !== undefined) {
      list.push({ kind: 'moved', address: change.address, message: `Moved from ${change.previousAddress}; nothing is destroyed` });
    }
    if (change.importing !== undefined) {
      list.push({ kind: 'imported', address: change.address, message: 'Imported into state; nothing is destroyed' });
    }
  }
  return list;
}
