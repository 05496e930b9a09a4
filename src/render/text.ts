import { approvalAsk, authorText, downgradeText, holdsText, kindText, orderText, provenanceBasisText, whyText } from '../report/explain.js';
import type { Report, ReportChange, ReportFinding } from '../report/report.js';
import { terminalSafe as safe } from '../shared/escape.js';
import { PLAIN, type Palette } from './palette.js';
import type { Renderer } from './renderer.js';

const VERDICT_TEXT: Record<Report['verdict'], string> = {
  allow: 'ALLOWED',
  warn: 'ALLOWED WITH WARNINGS',
  block: 'BLOCKED',
  error: 'ERROR',
};

/** The terminal report: what blocks first, then what warns, then notes, each replace with its cause. */
export function renderText(report: Report, palette: Palette = PLAIN): string {
  const lines: string[] = [];
  const { plan } = report;
  const producer = plan.terraform_version ? `${plan.tool === 'opentofu' ? 'OpenTofu' : 'Terraform'} ${safe(plan.terraform_version)}, ` : '';
  lines.push(`${palette.bold('tfguard')} ${safe(plan.source)} ${palette.dim(`(${producer}plan format ${safe(plan.format_version)})`)}`);
  lines.push('');

  const blocking = report.findings.filter((finding) => finding.effect === 'block' && !finding.approved);
  const warnings = report.findings.filter((finding) => finding.effect === 'warn');
  if (blocking.length > 0) {
    lines.push(palette.red(palette.bold(`✖ Blocking (${blocking.length})`)));
    pushFindings(lines, blocking, report, palette);
  }
  if (warnings.length > 0) {
    lines.push(palette.yellow(palette.bold(`▲ Warnings (${warnings.length})`)));
    pushFindings(lines, warnings, report, palette);
  }
  if (report.notices.length > 0) {
    lines.push(palette.cyan(palette.bold(`ℹ Notes (${report.notices.length})`)));
    for (const notice of report.notices) {
      lines.push(`  ${notice.address ? `${safe(notice.address)}: ` : ''}${safe(notice.message)}`);
    }
    lines.push('');
  }
  if (report.approvals.length > 0) {
    lines.push(palette.bold(`✎ Approvals (${report.approvals.length})`));
    for (const approval of report.approvals) {
      const who = approval.approver ?? (approval.reviewer ? `@${approval.reviewer}` : 'unknown');
      const what = approval.via === 'ssh' ? `signed record ${approval.file}` : `GitHub review ${approval.review}`;
      const reason = approval.reason === null ? '' : safe(approval.reason);
      const outcome = approval.reason === null ? palette.green('counts') : approval.valid ? palette.yellow(reason) : palette.red(`does not count: ${reason}`);
      lines.push(`  ${safe(who)}  ${safe(what)}: ${outcome}`);
    }
    lines.push('');
  }
  if (report.findings.length === 0) {
    lines.push(palette.green('No destructive changes that need attention.'));
    lines.push('');
  }

  const { provenance } = report;
  lines.push(`Provenance  ${provenance.ai ? 'AI-generated' : 'human'} (${safe(provenanceBasisText(provenance))})`);
  if (provenance.range) {
    const { base, head, commits, source } = provenance.range;
    lines.push(`Commits     ${safe(base.slice(0, 12))}..${safe(head.slice(0, 12))}: ${commits} commit${commits === 1 ? '' : 's'} read from ${source}${provenance.range.truncated ? ' (the API listing stops at 250)' : ''}`);
  }
  if (provenance.authors.length > 0) {
    const shown = provenance.authors.slice(0, 5).map((author) => safe(authorText(author)));
    lines.push(`Authors     ${shown.join(', ')}${provenance.authors.length > 5 ? `, and ${provenance.authors.length - 5} more` : ''}`);
  }
  lines.push(`Changes     ${report.summary.destructive} destructive, ${report.summary.stateful_destructive} on stateful resources; ${report.whole_environment.destroyed} of ${report.whole_environment.existing} existing resources destroyed or replaced`);
  lines.push(`Digest      ${plan.digest}`);
  lines.push(`Policy      ${report.policy.sources.map(safe).join(', ')}${report.policy.environment ? ` (environment ${safe(report.policy.environment)})` : ''}`);
  for (const item of report.policy.loosened) lines.push(`            ${safe(item.source)} loosens on purpose: ${safe(item.what)}`);
  lines.push('');
  lines.push(verdictLine(report, palette));
  return `${lines.join('\n')}\n`;
}

export const textRenderer: Renderer = {
  name: 'text',
  describe: 'for terminals: what blocks, then what warns, then notes',
  render: (report, options) => [renderText(report, options.palette)],
};

function pushFindings(lines: string[], findings: readonly ReportFinding[], report: Report, palette: Palette): void {
  for (const finding of findings) {
    const ask = approvalAsk(finding);
    const rule = palette.dim(`[${finding.rule}: ${finding.enforcement}${ask ? `, ${ask}` : ''}]`);
    if (finding.address === null) {
      lines.push(`  ${palette.bold('whole environment')}  ${safe(finding.message)} ${rule}`);
      continue;
    }
    if (finding.downgrade_index !== undefined) {
      lines.push(`  ${palette.bold(safe(finding.address))}  ${safe(finding.message)} ${rule}`);
      const { attribute, before, after } = downgradeText(report.protection_downgrades[finding.downgrade_index]!);
      lines.push(`      ${safe(attribute)}: ${safe(before)} → ${safe(after)}`);
      continue;
    }
    lines.push(`  ${palette.bold(safe(finding.address))}${finding.deposed ? palette.dim(` (deposed object ${safe(finding.deposed)})`) : ''}  ${safe(finding.message)} ${rule}`);
    if (finding.change_index !== undefined) pushChange(lines, report.changes[finding.change_index]!);
  }
  lines.push('');
}

function pushChange(lines: string[], change: ReportChange): void {
  const order = orderText(change);
  lines.push(`      ${safe(kindText(change))}${order ? `, ${order}` : ''} · ${safe(change.type)} (${safe(holdsText(change))}) · actions ${safe(change.actions.join(', '))}`);
  if (change.why) lines.push(`      holds: ${safe(change.why)}`);
  if (change.not_stateful_reason) lines.push(`      holds no data: ${safe(change.not_stateful_reason)}`);
  const why = whyText(change);
  if (why) lines.push(`      why: ${safe(why)}`);
  if (change.previous_address) lines.push(`      moved from ${safe(change.previous_address)}`);
  if (change.importing) lines.push(`      imported${change.importing.id ? ` (id ${safe(change.importing.id)})` : ''} in this plan`);
  if (change.deferred_reason) lines.push(`      deferred to a later plan (${safe(change.deferred_reason)})`);
  if (change.deletion_note) lines.push(`      note: ${safe(change.deletion_note)}`);
}

function verdictLine(report: Report, palette: Palette): string {
  const head = VERDICT_TEXT[report.verdict];
  const { summary } = report;
  switch (report.verdict) {
    case 'block': {
      const needed = summary.approvals_missing;
      const more = needed < summary.approvals_needed ? ' more' : '';
      const ask = summary.hard_mandatory_blocking > 0
        ? `: ${summary.hard_mandatory_blocking} hard-mandatory finding(s) allow no approval, so the plan must change`
        : `: ${needed}${more} senior approver${needed > 1 ? 's' : ''} must approve change set ${report.plan.digest}, or the plan must change`;
      const line = `${palette.red(palette.bold(head))} — ${summary.blocking} blocking finding(s)${ask} (exit 1)`;
      return summary.hard_mandatory_blocking > 0 ? line : `${line}\n${howToApprove(report)}`;
    }
    case 'error':
      return palette.red(palette.bold(head)) + ' — the plan errored; an errored plan is never a pass (exit 2)';
    case 'warn':
      return palette.yellow(palette.bold(head)) + ` — ${summary.warnings} warning(s) (exit 0)`;
    case 'allow':
      return palette.green(palette.bold(head)) + ' (exit 0)';
  }
}

/** The exact step a senior takes: a signed record with `tfguard approve`, or a review of the head commit. */
function howToApprove(report: Report): string {
  const { approvers } = report.policy;
  const ids = approvers.length > 0 ? approvers.map((approver) => safe(approver.id)).join(', ') : 'none yet: add approver blocks to the policy';
  const environment = report.policy.environment ? ` --environment ${safe(report.policy.environment)}` : '';
  const lines = [`To approve: a senior runs \`tfguard approve ${safe(report.plan.source)} --as <id> --key ~/.ssh/id_ed25519${environment}\` and commits the record (approvers: ${ids})`];
  if (approvers.some((approver) => approver.github !== null)) lines.push('            or approves the pull request\'s head commit on GitHub as a listed approver');
  return lines.join('\n');
}
