import type { PolicyTestOutcome, ValidateOutcome } from '../report/policy-results.js';
import { terminalSafe as safe } from '../shared/escape.js';
import type { Palette } from './palette.js';

/** `tfguard policy validate`: a line per file, then every deliberate loosening. */
export function renderPolicyValidation(outcome: ValidateOutcome): string {
  const lines: string[] = [];
  for (const file of outcome.files) {
    lines.push(`${safe(file.source)}: valid (${file.rules} rule${file.rules === 1 ? '' : 's'}, ${file.approvers} approver${file.approvers === 1 ? '' : 's'})`);
  }
  for (const item of outcome.loosened) lines.push(`${safe(item.source)}: loosens on purpose: ${safe(item.what)}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** `tfguard policy test`: PASS/FAIL per case with the reasons, then the totals. */
export function renderPolicyTests(outcome: PolicyTestOutcome, palette: Palette): string {
  const lines: string[] = [];
  for (const result of outcome.cases) {
    if (result.failures.length === 0) {
      lines.push(`${palette.green('PASS')} ${safe(result.file)} › ${safe(result.name)}`);
      continue;
    }
    lines.push(`${palette.red('FAIL')} ${safe(result.file)} › ${safe(result.name)}`);
    for (const failure of result.failures) lines.push(`       ${safe(failure)}`);
  }
  lines.push('');
  lines.push(`${outcome.passed + outcome.failed} case(s): ${outcome.passed} passed, ${outcome.failed} failed`);
  return lines.map((line) => `${line}\n`).join('');
}
