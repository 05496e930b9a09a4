import type { Finding } from '../policy/evaluate.js';

/** A finding after approvals: `approved` set, and who counted towards it. */
export interface ApprovedFinding extends Finding {
  /** The distinct approvers that counted, in the order their first valid approval came; [] when the finding takes none. */
  approvedBy: string[];
}

/** A valid approval that still did not count, and why: the report has to say so. */
export interface UncountedApproval {
  approver: string;
  reason: 'hard-mandatory rule';
  /** The hard-mandatory rules it met. */
  rules: string[];
}

export interface AppliedApprovals {
  /** The findings in the order given. */
  findings: ApprovedFinding[];
  uncounted: UncountedApproval[];
}

/**
 * Counts valid approvals (signed records and GitHub reviews alike, by approver id) towards the
 * findings. An approval covers the whole change set its digest names, so every valid approver
 * counts towards every finding that takes approvals. A soft-mandatory finding is approved when
 * enough DISTINCT approvers approved (one person with two records, or a record and a review, is
 * one); a hard-mandatory finding never is.
 */
export function applyApprovals(findings: readonly Finding[], valid: readonly { approver: string }[]): AppliedApprovals {
  const approvers = [...new Set(valid.map((approval) => approval.approver))];
  const hardRules = new Set<string>();
  const applied = findings.map((finding): ApprovedFinding => {
    if (finding.enforcement === 'hard-mandatory') hardRules.add(finding.rule);
    const takesApprovals = finding.enforcement === 'soft-mandatory' && finding.approvalsRequired > 0;
    if (!takesApprovals) return { ...finding, approved: false, approvedBy: [] };
    return { ...finding, approved: approvers.length >= finding.approvalsRequired, approvedBy: [...approvers] };
  });
  const uncounted = hardRules.size === 0 ? [] : approvers.map((approver) => ({ approver, reason: 'hard-mandatory rule' as const, rules: [...hardRules] }));
  return { findings: applied, uncounted };
}

/** The approvals that count towards findings: the valid ones, from records and reviews alike. */
export function validApprovals(checks: readonly { valid: boolean; approver: string | null }[]): { approver: string }[] {
  return checks.flatMap((check) => (check.valid && check.approver !== null ? [{ approver: check.approver }] : []));
}
