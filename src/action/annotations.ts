import type { Report, ReportFinding } from '../report/report.js';
import { terminalSafe } from '../shared/escape.js';

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
}

/** The runner shows about ten annotations of a kind per step; more than this only floods the log. */
export const ANNOTATION_LIMIT = 50;

/**
 * One error per blocking finding no approval covers and one warning per warning, titled by the
 * rule. The texts are made visible-safe here; @actions/core escapes `%`, CR and LF (and `:` and
 * `,` in the title) when it writes the command.
 */
export function annotationsOf(report: Report): { annotations: Annotation[]; omitted: { error: number; warning: number } } {
  const annotations: Annotation[] = [];
  const omitted = { error: 0, warning: 0 };
  const counts = { error: 0, warning: 0 };
  for (const finding of report.findings) {
    const level = finding.effect === 'block' && !finding.approved ? 'error' : finding.effect === 'warn' ? 'warning' : undefined;
    if (level === undefined) continue;
    if (counts[level] >= ANNOTATION_LIMIT) {
      omitted[level] += 1;
      continue;
    }
    counts[level] += 1;
    annotations.push({ level, title: terminalSafe(`tfguard: ${finding.rule}`), message: terminalSafe(messageOf(finding)) });
  }
  return { annotations, omitted };
}

function messageOf(finding: ReportFinding): string {
  const subject = finding.address === null ? 'the plan' : `${finding.address}${finding.deposed !== undefined ? ` (deposed ${finding.deposed})` : ''}${finding.attribute !== undefined ? ` ${finding.attribute}` : ''}`;
  const ask =
    finding.effect !== 'block' ? ''
    : finding.enforcement === 'hard-mandatory' ? ' (no approval can clear it)'
    : finding.approvals_required > 0 ? ` (needs ${finding.approvals_required} senior approval${finding.approvals_required > 1 ? 's' : ''})`
    : '';
  return `${subject}: ${finding.message}${ask} [${finding.enforcement}]`;
}
