import { formatPath } from '../catalogue/catalogue.js';
import type { Report, ReportChange, ReportDowngrade, ReportFinding } from './report.js';
import { terminalSafe as safe, type Palette } from './terminal.js';

const KIND_TEXT: Record<string, string> = {
  delete: 'delete',
  replace: 'replace',
  forget: 'forget (removed from state, object kept)',
  'forget-replace': 'replace, old object forgotten (kept, unmanaged)',
  'import-replace': 'import, then replace (destroys the imported object)',
  unknown: 'unknown actions (treated as destructive)',
};

const VERDICT_TEXT: Record<Report['verdict'], string> = {
  allow: 'ALLOWED',
  warn: 'ALLOWED WITH WARNINGS',
  block: 'BLOCKED',
  error: 'ERROR',
};

/** The terminal report: what blocks first, then what warns, then notes, each replace with its cause. */
export function renderText(report: Report, palette: Palette): string {
  const lines: string[] = [];
  const { plan } = report;
  const producer = plan.terraform_version ? `${plan.tool === 'opentofu' ? 'OpenTofu' : 'Terraform'} ${safe(plan.terraform_version)}, ` : '';
  lines.push(`${palette.bold('tfguard')} ${safe(plan.source)} ${palette.dim(`(${producer}plan format ${safe(plan.format_version)})`)}`);
  lines.push('');

  const byAddress = new Map<string, ReportChange>();
  for (const change of report.changes) byAddress.set(key(change.address, change.deposed), change);
  const blocking = report.findings.filter((finding) => finding.effect === 'block' && !finding.approved);
  const warnings = report.findings.filter((finding) => finding.effect === 'warn');

  if (blocking.length > 0) {
    lines.push(palette.red(palette.bold(`✖ Blocking (${blocking.length})`)));
    lines.push(...renderFindings(blocking, byAddress, report, palette));
  }
  if (warnings.length > 0) {
    lines.push(palette.yellow(palette.bold(`▲ Warnings (${warnings.length})`)));
    lines.push(...renderFindings(warnings, byAddress, report, palette));
  }
  if (report.notices.length > 0) {
    lines.push(palette.cyan(palette.bold(`ℹ Notes (${report.notices.length})`)));
    for (const notice of report.notices) {
      lines.push(`  ${notice.address ? `${safe(notice.address)}: ` : ''}${safe(notice.message)}`);
    }
    lines.push('');
  }
  if (report.findings.length === 0) {
    lines.push(palette.green('No destructive changes that need attention.'));
    lines.push('');
  }

  const basis = report.provenance.basis === 'declared' ? 'declared' : 'unknown provenance, counted by policy';
  lines.push(`Provenance  ${report.provenance.ai ? 'AI-generated' : 'human'} (${basis})`);
  lines.push(`Changes     ${report.summary.destructive} destructive, ${report.summary.stateful_destructive} on stateful resources; ${report.whole_environment.destroyed} of ${report.whole_environment.existing} existing resources destroyed or replaced`);
  lines.push(`Digest      ${plan.digest}`);
  lines.push(`Policy      ${report.policy.sources.map(safe).join(', ')}${report.policy.environment ? ` (environment ${safe(report.policy.environment)})` : ''}`);
  for (const item of report.policy.loosened) lines.push(`            ${safe(item.source)} loosens on purpose: ${safe(item.what)}`);
  lines.push('');
  lines.push(verdictLine(report, palette));
  return `${lines.join('\n')}\n`;
}

function renderFindings(
  findings: ReportFinding[],
  byAddress: Map<string, ReportChange>,
  report: Report,
  palette: Palette,
): string[] {
  const lines: string[] = [];
  for (const finding of findings) {
    const approval = finding.approvals_required > 0 ? `, needs ${finding.approvals_required} senior approval${finding.approvals_required > 1 ? 's' : ''}` : '';
    const rule = palette.dim(`[${finding.rule}: ${finding.enforcement}${approval}]`);
    if (finding.address === null) {
      lines.push(`  ${palette.bold('whole environment')}  ${safe(finding.message)} ${rule}`);
      continue;
    }
    const change = byAddress.get(key(finding.address, finding.deposed));
    if (finding.attribute !== undefined) {
      const downgrade = report.protection_downgrades.find(
        (item) => item.address === finding.address && item.deposed === finding.deposed && item.attribute === finding.attribute,
      );
      lines.push(`  ${palette.bold(safe(finding.address))}  ${safe(finding.message)} ${rule}`);
      if (downgrade) lines.push(`      ${describeDowngrade(downgrade)}`);
      continue;
    }
    lines.push(`  ${palette.bold(safe(finding.address))}${finding.deposed ? palette.dim(` (deposed object ${safe(finding.deposed)})`) : ''}  ${safe(finding.message)} ${rule}`);
    if (change) lines.push(...describeChange(change));
  }
  lines.push('');
  return lines;
}

function describeChange(change: ReportChange): string[] {
  const lines: string[] = [];
  const kind = KIND_TEXT[change.kind] ?? change.kind;
  const order = change.order === 'create-first' ? ', new object created first' : change.order === 'delete-first' ? ', old object destroyed first' : '';
  const what = change.stateful
    ? `${change.category}, ${change.severity}`
    : change.not_stateful_reason !== undefined ? 'holds no data' : 'not in the stateful catalogue';
  lines.push(`      ${safe(kind)}${order} · ${safe(change.type)} (${safe(what)}) · actions ${safe(change.actions.join(', '))}`);
  if (change.why) lines.push(`      holds: ${safe(change.why)}`);
  if (change.not_stateful_reason) lines.push(`      holds no data: ${safe(change.not_stateful_reason)}`);
  const because: string[] = [];
  if (change.reason_text) because.push(change.reason_text);
  if (change.replace_paths && change.replace_paths.length > 0) {
    because.push(`changed: ${change.replace_paths.map((path) => formatPath(path)).join(', ')}`);
  }
  if (change.replace_forcing && change.replace_forcing.length > 0) {
    because.push(`${change.replace_forcing.join(', ')} forces a new resource`);
  }
  if (because.length > 0) lines.push(`      why: ${safe(because.join('; '))}`);
  else if (change.kind === 'delete' && change.deposed) lines.push('      why: a deposed object left behind by an earlier create-before-destroy replacement');
  else if (change.kind === 'delete') lines.push('      why: no reason given (a -destroy plan, or Terraform older than 1.1)');
  if (change.previous_address) lines.push(`      moved from ${safe(change.previous_address)}`);
  if (change.importing) lines.push(`      imported${change.importing.id ? ` (id ${safe(change.importing.id)})` : ''} in this plan`);
  if (change.deferred_reason) lines.push(`      deferred to a later plan (${safe(change.deferred_reason)})`);
  if (change.deletion_note) lines.push(`      note: ${safe(change.deletion_note)}`);
  return lines;
}

function describeDowngrade(downgrade: ReportDowngrade): string {
  const after = downgrade.after_unknown ? '(known after apply)' : JSON.stringify(downgrade.after);
  return `${safe(downgrade.attribute)}: ${safe(JSON.stringify(downgrade.before))} → ${safe(after)}`;
}

function verdictLine(report: Report, palette: Palette): string {
  const head = VERDICT_TEXT[report.verdict];
  switch (report.verdict) {
    case 'block': {
      const blocking = report.findings.filter((item) => item.effect === 'block' && !item.approved);
      const hard = blocking.filter((item) => item.enforcement === 'hard-mandatory').length;
      // One approval of the digest covers every finding, so the most any finding asks for is what is needed.
      const needed = Math.max(0, ...blocking.map((item) => item.approvals_required));
      const ask = hard > 0
        ? `: ${hard} hard-mandatory finding(s) allow no approval, so the plan must change`
        : `: ${needed} senior approver${needed > 1 ? 's' : ''} must approve change set ${report.plan.digest}, or the plan must change`;
      return `${palette.red(palette.bold(head))} — ${report.summary.blocking} blocking finding(s)${ask} (exit 1)`;
    }
    case 'error':
      return palette.red(palette.bold(head)) + ' — the plan errored; an errored plan is never a pass (exit 2)';
    case 'warn':
      return palette.yellow(palette.bold(head)) + ` — ${report.summary.warnings} warning(s) (exit 0)`;
    case 'allow':
      return palette.green(palette.bold(head)) + ' (exit 0)';
  }
}

function key(address: string, deposed: string | undefined): string {
  return deposed === undefined ? address : `${address}\u0000${deposed}`;
}
