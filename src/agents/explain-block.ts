import type { Report, ReportFinding } from '../report/report.js';
import { terminalSafe as safe } from '../shared/escape.js';

const MAX_FINDINGS = 12;

/**
 * A blocked report, told to the agent that is about to run the apply: what blocks and why, what
 * would pass (the report's guidance: a moved block, keeping the attribute that forces the
 * replacement), and which senior approval of which change set is missing. Never a way around it.
 */
export function explainBlock(report: Report, context: { what: string; where: string; agent: string }): string {
  const blocking = report.findings.filter((finding) => finding.effect === 'block' && !finding.approved);
  const lines = [
    `tfguard blocked ${context.what} in ${safe(context.where)}: the policy blocks this plan (a change ${context.agent} makes counts as AI-generated) and no senior engineer has approved it. Nothing was applied.`,
    'Blocking:',
  ];
  for (const finding of blocking.slice(0, MAX_FINDINGS)) lines.push(...findingLines(report, finding));
  if (blocking.length > MAX_FINDINGS) lines.push(`  … and ${blocking.length - MAX_FINDINGS} more (\`tfguard ${safe(report.plan.source)}\` prints them all)`);

  const { summary } = report;
  if (summary.hard_mandatory_blocking > 0) {
    lines.push(`${summary.hard_mandatory_blocking} of these come from hard-mandatory rules: no approval can clear them; the plan must change.`);
  }
  if (summary.approvals_needed > 0 && summary.hard_mandatory_blocking < blocking.length) {
    const approvers = report.policy.approvers.map((approver) => approver.id);
    const as = approvers.length === 1 ? approvers[0]! : '<approver-id>';
    lines.push(
      `What it takes otherwise: ${summary.approvals_missing} more senior approval${summary.approvals_missing === 1 ? '' : 's'} of change set ${report.plan.digest} ` +
        `(${summary.approvals_needed} needed). A senior engineer reviews this plan and records it with \`tfguard approve ${safe(report.plan.source)} --as ${safe(as)} --key ~/.ssh/id_ed25519\`; ` +
        'then the same plan passes. Tell the user; do not create or sign an approval yourself.',
    );
  }
  return lines.join('\n');
}

function findingLines(report: Report, finding: ReportFinding): string[] {
  const change = finding.change_index !== undefined ? report.changes[finding.change_index] : undefined;
  const subject =
    change !== undefined
      ? `${safe(change.address)}${change.deposed !== undefined ? ` (deposed ${safe(change.deposed)})` : ''}: ${safe(change.kind)} (${safe(change.type)}${change.category ? `, ${safe(change.category)}` : ''})`
      : finding.address !== null
        ? `${safe(finding.address)}${finding.attribute !== undefined ? ` ${safe(finding.attribute)}` : ''}`
        : 'the whole plan';
  const lines = [`  - ${subject} — ${safe(finding.message)} [rule ${safe(finding.rule)}, ${safe(finding.enforcement)}]`];
  for (const guidance of finding.guidance ?? []) {
    if (guidance.action === 'moved-block' || guidance.action === 'keep-attribute') lines.push(`      What would pass: ${safe(guidance.text)}`);
  }
  return lines;
}
