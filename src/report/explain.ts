import { formatPath } from '../catalogue/catalogue.js';
import type { ReportChange, ReportDowngrade, ReportFinding, ReportProvenance } from './report.js';

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

/** Where a piece of provenance evidence was found, in a few words: `commit 1a2b3c4 line 5`, `label ai-generated`. */
export function evidenceText(evidence: ReportProvenance['evidence'][number]): string {
  const { where } = evidence;
  const at =
    where.type === 'commit'
      ? `commit ${where.sha.slice(0, 7)} ${where.field === 'message' ? `line ${where.line}` : where.field}`
      : where.type === 'label' ? `label ${where.label}`
      : where.type === 'branch' ? `branch ${where.branch}`
      : where.type === 'pr-author' ? `pull request author ${where.login}`
      : where.type === 'pr-body' ? `pull request body line ${where.line}`
      : `environment ${where.name}`;
  return `${evidence.tool} ${evidence.kind} (${at})`;
}

/** `Jane Doe <jane@example.com>`, `@login`, or both. */
export function authorText(author: ReportProvenance['authors'][number]): string {
  const identity = author.name && author.email ? `${author.name} <${author.email}>` : author.name ?? author.email ?? '';
  if (author.login === undefined) return identity;
  return identity === '' ? `@${author.login}` : `${identity} (@${author.login})`;
}

/** What the provenance line says after AI-generated/human. */
export function provenanceBasisText(provenance: ReportProvenance): string {
  switch (provenance.basis) {
    case 'declared':
      return 'declared';
    case 'evidence': {
      const [first] = provenance.evidence;
      const more = provenance.evidence.length - 1;
      return `evidence: ${first ? evidenceText(first) : 'none listed'}${more > 0 ? `, and ${more} more` : ''}`;
    }
    case 'no-evidence':
      return provenance.reason ?? 'no AI signal in the history read';
    case 'unknown':
      return `unknown provenance: ${provenance.reason ?? 'nothing could be read'}`;
  }
}
