import { approvalAsk, downgradeText, holdsText, kindText, orderText, whyText } from '../report/explain.js';
import type { Report, ReportFinding, ReportRule } from '../report/report.js';
import { terminalSafe } from '../shared/escape.js';
import type { Renderer } from './renderer.js';

/**
 * JUnit XML for GitLab's merge-request widget and other CI test reports: one <testsuite> per rule
 * of the policy, one <testcase> per rule and resource (classname the rule, name the address, or
 * `whole environment` for plan-wide findings; a deposed object is its own case).
 *
 * - A blocking finding nobody approved (yet) is a <failure>: the message, then why and what would
 *   clear it.
 * - Warnings are not failures: tfguard exits 0 on them, so the case passes and says the warning in
 *   its <system-out>; so does an approved finding, naming who approved it.
 * - A rule the policy disables has one skipped case; an errored plan adds a `plan` suite whose one
 *   case is an <error>, because an errored plan is never a pass.
 *
 * Every string is escaped for XML text or attributes; characters XML 1.0 cannot carry at all, and
 * every other character unsafe for a reader (escape.ts), are written as visible `\uXXXX` text.
 */
export const junitRenderer: Renderer = {
  name: 'junit',
  describe: 'JUnit XML: a test suite per rule, a test case per rule and resource (GitLab and other CI)',
  *render(report) {
    const suites = testSuites(report);
    const total = (key: keyof SuiteCounts) => suites.reduce((sum, suite) => sum + suite.counts[key], 0);
    yield '<?xml version="1.0" encoding="UTF-8"?>\n';
    yield `<testsuites name="tfguard" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" skipped="${total('skipped')}" time="0">\n`;
    for (const suite of suites) yield renderSuite(suite);
    yield '</testsuites>\n';
  },
};

interface SuiteCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

/** Notices about the policy itself, which every format must show. */
const LOUD_NOTICES = new Set(['policy-changed', 'policy-loosened']);

interface TestCase {
  classname: string;
  name: string;
  outcome:
    | { kind: 'failure' | 'error'; message: string; type: string; body: string[] }
    | { kind: 'skipped'; message: string }
    | { kind: 'passed'; output: string[] };
}

interface TestSuite {
  name: string;
  properties: [string, string][];
  cases: TestCase[];
  counts: SuiteCounts;
}

function testSuites(report: Report): TestSuite[] {
  const byRule = new Map<string, ReportFinding[]>();
  for (const finding of report.findings) {
    const list = byRule.get(finding.rule);
    if (list) list.push(finding);
    else byRule.set(finding.rule, [finding]);
  }
  const suites: TestSuite[] = [];
  if (report.verdict === 'error') suites.push(suite('plan', [], [erroredPlanCase(report)]));
  // Where the policy came from is part of the verdict: a policy the change under review brought or loosened is said here too.
  const policyNotices = report.notices.filter((notice) => LOUD_NOTICES.has(notice.kind));
  if (policyNotices.length > 0) {
    suites.push(suite('policy', [], policyNotices.map((notice) => ({ classname: 'policy', name: notice.kind, outcome: { kind: 'passed', output: [notice.message] } }))));
  }
  for (const rule of report.rules) {
    const findings = byRule.get(rule.name) ?? [];
    byRule.delete(rule.name);
    const cases = !rule.enabled && findings.length === 0
      ? [{ classname: rule.name, name: 'rule disabled', outcome: { kind: 'skipped' as const, message: `disabled by ${rule.source}` } }]
      : ruleCases(rule.name, findings, report);
    suites.push(suite(rule.name, ruleProperties(rule), cases));
  }
  // A finding of a rule the report does not describe still shows (a report from another version).
  for (const [name, findings] of byRule) suites.push(suite(name, [], ruleCases(name, findings, report)));
  return suites;
}

function suite(name: string, properties: [string, string][], cases: TestCase[]): TestSuite {
  const count = (kind: TestCase['outcome']['kind']) => cases.filter((item) => item.outcome.kind === kind).length;
  return { name, properties, cases, counts: { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') } };
}

function ruleProperties(rule: ReportRule): [string, string][] {
  const properties: [string, string][] = [
    ['enforcement', rule.enforcement],
    ['source', rule.source],
  ];
  if (rule.approval) properties.push(['approval', `${rule.approval.count} senior approval${rule.approval.count === 1 ? '' : 's'} (${rule.approval.when === 'ai' ? 'when AI-generated' : 'always'})`]);
  if (rule.description) properties.push(['description', rule.description]);
  return properties;
}

/** One case per resource (and deposed object): its findings of this rule together, e.g. every lowered protection. */
function ruleCases(rule: string, findings: readonly ReportFinding[], report: Report): TestCase[] {
  const groups = new Map<string, ReportFinding[]>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.address, finding.deposed ?? null]);
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  return [...groups.values()].map((group) => findingCase(rule, group, report));
}

function findingCase(rule: string, group: readonly ReportFinding[], report: Report): TestCase {
  const [first] = group as [ReportFinding, ...ReportFinding[]];
  const name = first.address === null ? 'whole environment' : `${first.address}${first.deposed ? ` (deposed object ${first.deposed})` : ''}`;
  const details = group.flatMap((finding) => findingLines(finding, report));
  const blocking = group.filter((finding) => finding.effect === 'block' && !finding.approved);
  if (blocking.length > 0) {
    return {
      classname: rule,
      name,
      outcome: { kind: 'failure', message: first.message, type: first.enforcement, body: [...details, ...clearance(blocking, report)] },
    };
  }
  const status = first.effect === 'warn'
    ? `warning (${first.enforcement}, does not block)`
    : `approved by ${first.approved_by.join(', ')} (${first.approved_by.length} of ${first.approvals_required} required)`;
  return { classname: rule, name, outcome: { kind: 'passed', output: [status, ...details] } };
}

/** The finding in a few lines: what, the change and why it happens, or the lowered protection. */
function findingLines(finding: ReportFinding, report: Report): string[] {
  const lines = [finding.message];
  const change = finding.change_index === undefined ? undefined : report.changes[finding.change_index];
  if (change) {
    const order = orderText(change);
    lines.push(`change: ${kindText(change)}${order ? `, ${order}` : ''} · ${change.type} (${holdsText(change)}) · actions ${change.actions.join(', ')}`);
    if (change.why) lines.push(`holds: ${change.why}`);
    if (change.not_stateful_reason) lines.push(`holds no data: ${change.not_stateful_reason}`);
    const why = whyText(change);
    if (why) lines.push(`why: ${why}`);
    if (change.previous_address) lines.push(`moved from ${change.previous_address}`);
    if (change.importing) lines.push(`imported${change.importing.id ? ` (id ${change.importing.id})` : ''} in this plan`);
    if (change.deferred_reason) lines.push(`deferred to a later plan (${change.deferred_reason})`);
    if (change.deletion_note) lines.push(`note: ${change.deletion_note}`);
    if (change.dependents && change.dependents.length > 0) lines.push(`referred to by: ${change.dependents.join(', ')}`);
  }
  const downgrade = finding.downgrade_index === undefined ? undefined : report.protection_downgrades[finding.downgrade_index];
  if (downgrade) {
    const { attribute, before, after } = downgradeText(downgrade);
    lines.push(`${attribute}: ${before} → ${after}`);
  }
  return lines;
}

/**
 * What would make the case pass: the report's guidance of its blocking findings, each step once
 * (every lowered protection of a resource asks for the same approval); reports from before
 * guidance get the same in brief.
 */
function clearance(blocking: readonly ReportFinding[], report: Report): string[] {
  const steps = new Map<string, string[]>();
  for (const finding of blocking) {
    for (const item of finding.guidance ?? []) {
      const step = [`to pass: ${item.text}`, ...(item.command ? [`  run: ${item.command}`] : [])];
      steps.set(JSON.stringify(step), step);
    }
  }
  if (steps.size > 0) return [...steps.values()].flat();
  const finding = blocking[0]!;
  if (finding.enforcement === 'hard-mandatory') return ['to pass: no approval clears a hard-mandatory rule; the plan must change'];
  const ask = approvalAsk(finding);
  if (!ask) return ['to pass: the plan must change'];
  const approvedSoFar = finding.approved_by.length > 0 ? ` (so far: ${finding.approved_by.join(', ')})` : '';
  return [`to pass: ${ask} of change set ${report.plan.digest}${approvedSoFar} (a signed record, or an approving review of the pull request's head commit by a listed approver), or the plan must change`];
}

function erroredPlanCase(report: Report): TestCase {
  const notice = report.notices.find((item) => item.kind === 'errored');
  const message = 'the plan errored; an errored plan is never a pass';
  return { classname: 'plan', name: report.plan.source, outcome: { kind: 'error', message, type: 'errored', body: [notice?.message ?? message] } };
}

function renderSuite(suite: TestSuite): string {
  const { counts } = suite;
  let xml = `  <testsuite name="${xmlAttribute(suite.name)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="0">\n`;
  if (suite.properties.length > 0) {
    xml += '    <properties>\n';
    for (const [name, value] of suite.properties) xml += `      <property name="${xmlAttribute(name)}" value="${xmlAttribute(value)}"/>\n`;
    xml += '    </properties>\n';
  }
  for (const item of suite.cases) xml += renderCase(item);
  return `${xml}  </testsuite>\n`;
}

function renderCase(item: TestCase): string {
  const open = `    <testcase classname="${xmlAttribute(item.classname)}" name="${xmlAttribute(item.name)}" time="0"`;
  const { outcome } = item;
  switch (outcome.kind) {
    case 'failure':
    case 'error':
      return `${open}>\n      <${outcome.kind} message="${xmlAttribute(outcome.message)}" type="${xmlAttribute(outcome.type)}">${lines(outcome.body)}</${outcome.kind}>\n    </testcase>\n`;
    case 'skipped':
      return `${open}>\n      <skipped message="${xmlAttribute(outcome.message)}"/>\n    </testcase>\n`;
    case 'passed':
      return outcome.output.length === 0 ? `${open}/>\n` : `${open}>\n      <system-out>${lines(outcome.output)}</system-out>\n    </testcase>\n`;
  }
}

/**
 * Element text of several lines: each line escaped on its own, joined by the only raw newlines
 * written. A line that would start with `::` (a message from a policy file, say) gets its first
 * colon as visible text, so a log that shows the XML runs no workflow command.
 */
function lines(list: readonly string[]): string {
  return list.map((line) => xmlText(line).replace(/^(\s*)::/, '$1\\u003a:')).join('\n');
}

/**
 * Characters no XML 1.0 document can hold, beyond the C0 controls escape.ts already covers:
 * U+FFFE, U+FFFF and unpaired surrogates.
 */
const XML_FORBIDDEN = /[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const visible = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Visible first (so no raw control, bidi or forbidden character remains), then the markup characters as entities. */
export function xmlText(value: string): string {
  return terminalSafe(value).replace(XML_FORBIDDEN, visible).replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}

/** For a double-quoted attribute: also quotes (tab, newline and carriage return are already visible `\u0009`… text). */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/["']/g, (char) => (char === '"' ? '&quot;' : '&apos;'));
}
