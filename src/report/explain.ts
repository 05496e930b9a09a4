import { formatPath } from '../catalogue/catalogue.js';
import type { ReportChange, ReportDowngrade, ReportFinding } from './report.js';

/**
 * Plain-language explanations of report entries, shared by every renderer: what a change kind
 * means, why a change happens, what a finding asks for. Plain strings; each renderer escapes
 * them for where they go.
 */
const KIND_TEXT = new Map<string, string>(Object.entries({
  delete: 'delete',
  replace: 'replace',
  forget: 'forget (removed from state, object kept)',
  'forget-replace': 'replace, old object forgotten (kept, unmanaged)',
  'import-replace': 'import, then replace (destroys the imported object)',
  unknown: 'unknown actions (treated as destructive)',
}));

export function kindText(change: ReportChange): string {
  return KIND_TEXT.get(change.kind) ?? change.kind;
}

export function orderText(change: ReportChange): string {
  if (change.order === 'create-first') return 'new object created first';
  if (change.order === 'delete-first') return 'old object destroyed first';
  return '';
}

/** What the resource is: its category and severity, or why it is not stateful. */
export function holdsText(change: ReportChange): string {
  if (change.stateful) return `${change.category}, ${change.severity}`;
  return change.not_stateful_reason !== undefined ? 'holds no data' : 'not in the stateful catalogue';
}

/** Why the change happens: the reason, the attributes that changed, what forces a new resource. */
export function whyText(change: ReportChange): string {
  const because: string[] = [];
  if (change.reason_text) because.push(change.reason_text);
  if (change.replace_paths && change.replace_paths.length > 0) {
    because.push(`changed: ${change.replace_paths.map((path) => formatPath(path)).join(', ')}`);
  }
  if (change.replace_forcing && change.replace_forcing.length > 0) {
    because.push(`${change.replace_forcing.join(', ')} forces a new resource`);
  }
  if (because.length > 0) return because.join('; ');
  if (change.kind === 'delete' && change.deposed) return 'a deposed object left behind by an earlier create-before-destroy replacement';
  if (change.kind === 'delete') return 'no reason given (a -destroy plan, or Terraform older than 1.1)';
  return '';
}

/** `attribute: before → after`, values as JSON (already redacted in the report). */
export function downgradeText(downgrade: ReportDowngrade): { attribute: string; before: string; after: string } {
  return {
    attribute: downgrade.attribute,
    before: JSON.stringify(downgrade.before),
    after: downgrade.after_unknown ? '(known after apply)' : JSON.stringify(downgrade.after),
  };
}

/** `needs N senior approval(s)` when the finding asks for approvals, else ''. */
export function approvalAsk(finding: ReportFinding): string {
  const count = finding.approvals_required;
  return count > 0 ? `needs ${count} senior approval${count > 1 ? 's' : ''}` : '';
}
