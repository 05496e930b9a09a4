import type { Policy } from './model.js';

/**
 * The effective layered policy for `tfguard policy print`, in the field names of policy files.
 * For reading: several files' `tags` selectors are shown as `tag_selectors`, which no single
 * policy file can express.
 */
export function effectivePolicyJson(policy: Policy): object {
  const { stateful, provenance } = policy;
  return {
    sources: policy.sources,
    loosened: policy.loosened,
    stateful: {
      catalogue: stateful.catalogue,
      types: stateful.types,
      addresses: stateful.addresses,
      modules: stateful.modules,
      tag_selectors: stateful.tagSelectors,
      exclude_types: stateful.excludeTypes,
      exclude_addresses: stateful.excludeAddresses,
      severity: stateful.severity,
    },
    rule: Object.fromEntries(
      policy.rules.map((rule) => [
        rule.name,
        {
          ...(rule.description !== undefined ? { description: rule.description } : {}),
          enabled: rule.enabled,
          match: rule.match,
          enforcement: rule.enforcement,
          ...(rule.approval ? { approval: rule.approval } : {}),
          message: rule.message,
          lock: rule.locked,
          source: rule.source,
        },
      ]),
    ),
    approver: Object.fromEntries(
      policy.approvers.map((approver) => [
        approver.id,
        { ...(approver.name ? { name: approver.name } : {}), ...(approver.github ? { github: approver.github } : {}), ssh_keys: approver.sshKeys, ...(approver.emails.length > 0 ? { emails: approver.emails } : {}), source: approver.source },
      ]),
    ),
    agents: { allow_state_surgery: policy.agents.allowStateSurgery },
    provenance: {
      unknown: provenance.unknown,
      no_evidence: provenance.noEvidence,
      ai_signatures: {
        trailers: provenance.aiSignatures.trailers,
        authors: provenance.aiSignatures.authors,
        labels: provenance.aiSignatures.labels,
        branch_prefixes: provenance.aiSignatures.branchPrefixes,
        messages: provenance.aiSignatures.messages,
      },
    },
  };
}
