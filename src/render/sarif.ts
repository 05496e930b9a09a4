import { createHash } from 'node:crypto';
import type * as Sarif from 'sarif';
import { approvalAsk, downgradeText, holdsText, kindText, orderText, whyText } from '../report/explain.js';
import type { Report, ReportChange, ReportFinding, ReportNotice, ReportRule } from '../report/report.js';
import { jsonSafe } from '../shared/escape.js';
import type { Renderer, RenderOptions } from './renderer.js';

/** Where the configuration declares a resource: a URI relative to the repository root (forward slashes) and a 1-based line. */
export interface ResourceLocation {
  uri: string;
  line: number;
}

/**
 * What the SARIF renderer reads beyond the shared options; all optional, the renderer stays a pure
 * function of them and the report. The I/O that finds locations is `locateResources` (src/commands/).
 */
export interface SarifRenderOptions extends RenderOptions {
  /** By configuration address (`module.app.aws_db_instance.main`, no instance keys). */
  sarifLocations?: ReadonlyMap<string, ResourceLocation>;
  /** The plan file as a URI relative to the repository root; default: `report.plan.source` as a URI. */
  sarifPlanUri?: string;
  /** `tool.driver.informationUri`: left out when not given (tfguard has no published home yet). */
  sarifInformationUri?: string;
}

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The key of tfguard's own fingerprint in `partialFingerprints`; bump the version if its inputs change. */
export const FINGERPRINT_KEY = 'tfguardFinding/v1';

const RULE_LEVEL: Record<string, Sarif.ReportingConfiguration.level> = {
  'hard-mandatory': 'error',
  'soft-mandatory': 'error',
  advisory: 'warning',
};

const ENFORCEMENT_TEXT: Record<string, string> = {
  'hard-mandatory': 'Hard-mandatory: a finding blocks the pipeline and no approval clears it; the plan must change.',
  'soft-mandatory': 'Soft-mandatory: a finding blocks the pipeline unless enough senior engineers approve the change set.',
  advisory: 'Advisory: a finding is a warning and never blocks.',
};

/** Stands for the results in the skeleton, which is written whole; the results are written one by one. */
const RESULTS_MARKER = 'tfguard:results';

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the policy's rules as the driver's rules, one
 * result per finding. Levels: a rule's default by its enforcement (mandatory → error, advisory →
 * warning); a result's by its effect (block → error, warn → warning), except that an approved
 * finding no longer blocks: it is a `note` carrying an accepted external suppression that names
 * the approvers. Written in pieces, a result at a time, every unsafe character as a JSON escape.
 */
export const sarifRenderer: Renderer = {
  name: 'sarif',
  describe: 'SARIF 2.1.0 for GitHub code scanning (findings located in the .tf files when found)',
  *render(report, options) {
    const sarifOptions = options as SarifRenderOptions;
    const log = sarifLog(report, sarifOptions);
    const skeleton = JSON.stringify(log, null, 2);
    // `results` is the last value of the document, so its marker is the last occurrence.
    const at = skeleton.lastIndexOf(JSON.stringify(RESULTS_MARKER));
    const indent = ' '.repeat(at - skeleton.lastIndexOf('\n', at) - 1 - '"results": '.length);
    yield safeJsonLines(skeleton.slice(0, at));
    if (report.findings.length === 0) yield '[]';
    else {
      const ruleIndex = new Map(report.rules.map((rule, index) => [rule.name, index]));
      const context = { report, ruleIndex, locations: sarifOptions.sarifLocations, planUri: planUri(report, sarifOptions) };
      yield '[\n';
      let separator = '';
      for (const finding of report.findings) {
        yield safeJsonLines(`${separator}${reindent(JSON.stringify(sarifResult(finding, context), null, 2), `${indent}  `)}`);
        separator = ',\n';
      }
      yield `\n${indent}]`;
    }
    yield `${safeJsonLines(skeleton.slice(at + JSON.stringify(RESULTS_MARKER).length))}\n`;
  },
};

function sarifLog(report: Report, options: SarifRenderOptions): Omit<Sarif.Log, 'runs'> & { runs: [Omit<Sarif.Run, 'results'> & { results: string }] } {
  const driver: Sarif.ToolComponent = {
    name: 'tfguard',
    version: report.tool.version,
    ...(options.sarifInformationUri !== undefined ? { informationUri: options.sarifInformationUri } : {}),
    rules: report.rules.map(ruleDescriptor),
  };
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        invocations: [
          {
            executionSuccessful: true,
            exitCode: report.exit_code,
            toolExecutionNotifications: report.notices.map(noticeNotification),
          },
        ],
        properties: {
          verdict: report.verdict,
          digest: report.plan.digest,
          plan: report.plan.source,
          summary: { ...report.summary },
        },
        results: RESULTS_MARKER,
      },
    ],
  };
}

function ruleDescriptor(rule: ReportRule): Sarif.ReportingDescriptor {
  const description = rule.description ?? `The ${rule.name} rule of the tfguard policy.`;
  return {
    id: rule.name,
    name: rule.name,
    shortDescription: { text: firstSentence(description) },
    fullDescription: { text: description },
    help: { text: helpText(rule, description) },
    defaultConfiguration: { enabled: rule.enabled, level: RULE_LEVEL[rule.enforcement] ?? 'warning' },
    properties: {
      tags: ['terraform', 'tfguard', rule.enforcement],
      enforcement: rule.enforcement,
      approval: rule.approval === null ? null : { ...rule.approval },
      source: rule.source,
      locked: rule.locked,
    },
  };
}

function helpText(rule: ReportRule, description: string): string {
  const parts = [description, ENFORCEMENT_TEXT[rule.enforcement] ?? `Enforcement: ${rule.enforcement}.`];
  if (rule.approval !== null && rule.enforcement === 'soft-mandatory') {
    const count = `${rule.approval.count} senior approval${rule.approval.count === 1 ? '' : 's'}`;
    parts.push(rule.approval.when === 'ai' ? `Needs ${count} of the change set when the change is AI-generated.` : `Needs ${count} of the change set.`);
  }
  parts.push(`Defined in ${rule.source}${rule.locked ? ' (locked: a later policy cannot change it)' : ''}.`);
  return parts.join(' ');
}

function firstSentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return end < 0 ? text : text.slice(0, end + 1);
}

interface ResultContext {
  report: Report;
  ruleIndex: ReadonlyMap<string, number>;
  locations: ReadonlyMap<string, ResourceLocation> | undefined;
  planUri: string;
}

function sarifResult(finding: ReportFinding, context: ResultContext): Sarif.Result {
  const { report } = context;
  const change = finding.change_index === undefined ? undefined : report.changes[finding.change_index];
  const ruleIndex = context.ruleIndex.get(finding.rule);
  const result: Sarif.Result = {
    ruleId: finding.rule,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: resultLevel(finding),
    message: { text: messageText(findingText(finding, report, change)) },
    locations: [resultLocation(finding, context)],
    partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(finding) },
    properties: {
      address: finding.address,
      ...(finding.deposed !== undefined ? { deposed: finding.deposed } : {}),
      ...(finding.attribute !== undefined ? { attribute: finding.attribute } : {}),
      kind: change?.kind ?? (finding.downgrade_index !== undefined ? 'protection-downgrade' : 'whole-environment'),
      actions: change ? [...change.actions] : [],
      ...(change ? { type: change.type } : {}),
      enforcement: finding.enforcement,
      effect: finding.effect,
      approved: finding.approved,
      approvals_required: finding.approvals_required,
      approved_by: [...finding.approved_by],
      ...(finding.guidance ? { guidance: finding.guidance.map((item) => ({ ...item })) } : {}),
      ...(change?.dependents ? { dependents: [...change.dependents] } : {}),
      digest: report.plan.digest,
    },
  };
  if (finding.approved) {
    result.suppressions = [{ kind: 'external', status: 'accepted', justification: `Approved by ${finding.approved_by.join(', ')}` }];
  }
  return result;
}

function resultLevel(finding: ReportFinding): Sarif.Result.level {
  if (finding.approved) return 'note';
  return finding.effect === 'block' ? 'error' : 'warning';
}

/** The resource block when the configuration was found, else the plan file (no region). */
function resultLocation(finding: ReportFinding, context: ResultContext): Sarif.Location {
  const found = finding.address === null ? undefined : context.locations?.get(configurationAddressOf(finding.address));
  const physicalLocation: Sarif.PhysicalLocation = found
    ? { artifactLocation: { uri: found.uri }, region: { startLine: found.line } }
    : { artifactLocation: { uri: context.planUri } };
  return {
    physicalLocation,
    ...(finding.address !== null ? { logicalLocations: [{ fullyQualifiedName: finding.address, kind: 'resource' }] } : {}),
  };
}

/** One plain-text message: what, which resource, why, and what would clear it. */
function findingText(finding: ReportFinding, report: Report, change: ReportChange | undefined): string {
  const sentences: string[] = [];
  if (finding.address === null) sentences.push(`${finding.message}.`);
  else sentences.push(`${finding.message}: ${finding.address}${finding.deposed ? ` (deposed object ${finding.deposed})` : ''}.`);
  if (change) {
    const order = orderText(change);
    sentences.push(`Change: ${kindText(change)}${order ? `, ${order}` : ''}; ${change.type} (${holdsText(change)}).`);
    const why = whyText(change);
    if (why) sentences.push(`Why: ${why}.`);
  }
  if (finding.downgrade_index !== undefined) {
    const downgrade = report.protection_downgrades[finding.downgrade_index];
    if (downgrade) {
      const { attribute, before, after } = downgradeText(downgrade);
      sentences.push(`${attribute}: ${before} → ${after}.`);
    }
  }
  sentences.push(requirementText(finding, report));
  return sentences.join(' ');
}

/** What clears the finding: the report's own guidance when it has some (reports before guidance: the same in brief). */
function requirementText(finding: ReportFinding, report: Report): string {
  if (finding.approved) return `Approved by ${finding.approved_by.join(', ')}.`;
  if (finding.effect === 'warn') return 'Advisory: this does not block.';
  if (finding.guidance && finding.guidance.length > 0) return `To pass: ${finding.guidance.map((item) => item.text).join('; or ')}.`;
  if (finding.enforcement === 'hard-mandatory') return 'Hard-mandatory: no approval clears this, the plan must change.';
  const ask = approvalAsk(finding);
  return ask ? `Blocks: ${ask} of change set ${report.plan.digest}, or the plan must change.` : 'Blocks: the plan must change.';
}

function noticeNotification(notice: ReportNotice): Sarif.Notification {
  return {
    descriptor: { id: notice.kind },
    level: notice.kind === 'errored' ? 'error' : notice.kind === 'policy-changed' || notice.kind === 'policy-loosened' ? 'warning' : 'note',
    message: { text: messageText(`${notice.address ? `${notice.address}: ` : ''}${notice.message}`) },
  };
}

/**
 * SARIF plain-text messages may embed links as `[text](target)` (SARIF 2.1.0 §3.11.6): a literal
 * square bracket, and a backslash before one, is escaped with a backslash, so a for_each key such
 * as `x](1)` cannot turn into a link.
 */
export function messageText(text: string): string {
  return text.replace(/\\(?=[[\]])|[[\]]/g, '\\$&');
}

/** Stable across runs for the same (rule, address, deposed object, attribute). */
export function findingFingerprint(finding: Pick<ReportFinding, 'rule' | 'address' | 'deposed' | 'attribute'>): string {
  const key = JSON.stringify([finding.rule, finding.address ?? '', finding.deposed ?? '', finding.attribute ?? '']);
  return createHash('sha256').update(key).digest('hex');
}

/**
 * The configuration address of a resource instance: every instance key dropped,
 * `module.a["x"].aws_db_instance.main[0]` → `module.a.aws_db_instance.main`. String keys are read
 * with their escapes, so a key holding `]` or `"` does not end early.
 */
export function configurationAddressOf(address: string): string {
  let result = '';
  let index = 0;
  while (index < address.length) {
    const char = address[index]!;
    if (char !== '[') {
      result += char;
      index += 1;
      continue;
    }
    index += 1;
    if (address[index] === '"') {
      index += 1;
      while (index < address.length && address[index] !== '"') index += address[index] === '\\' ? 2 : 1;
      index += 1;
    }
    while (index < address.length && address[index] !== ']') index += 1;
    index += 1;
  }
  return result;
}

/** A path as a relative URI reference: forward slashes, each segment percent-encoded. */
export function sarifUri(path: string): string {
  return path.replaceAll('\\', '/').split('/').map((segment) => encodeURIComponent(segment)).join('/');
}

function planUri(report: Report, options: SarifRenderOptions): string {
  return options.sarifPlanUri ?? sarifUri(report.plan.source);
}

function reindent(text: string, indent: string): string {
  return text.split('\n').map((line) => `${indent}${line}`).join('\n');
}

/**
 * JSON.stringify already escapes C0 controls inside strings, so every raw newline is layout and
 * stays. `##[` can only occur inside a string: written `#\u0023[`, it parses back the same, and a
 * log that shows the SARIF (an Actions step printing it) sees no legacy workflow command.
 */
function safeJsonLines(text: string): string {
  return text.split('\n').map((line) => jsonSafe(line).replaceAll('##[', '#\\u0023[')).join('\n');
}
