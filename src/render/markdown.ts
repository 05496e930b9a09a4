import { diffLines } from 'diff';
import { formatPath } from '../catalogue/catalogue.js';
import { approvalAsk, authorText, downgradeText, evidenceText, holdsText, kindText, orderText, provenanceBasisText, whyText } from '../report/explain.js';
import type { Report, ReportApproval, ReportChange, ReportFinding, ReportNotice, ReportRule } from '../report/report.js';
import { terminalSafe } from '../shared/escape.js';
import { markdownCode as code, markdownCodeBlock, markdownSafe as safe } from '../shared/markdown-escape.js';
import type { Renderer } from './renderer.js';

/**
 * The reviewer's report for GitHub (job summary, PR comment): the verdict, what blocks with each
 * replace's cause and attribute diff, a blast-radius diagram, what warns, moves/imports/forgets,
 * notes, provenance, approvals, and exactly what a reviewer must do. Every string from the report
 * goes through markdownSafe/markdownCode/markdownCodeBlock or the Mermaid label escaper; values
 * come only from the report, which has redacted them already.
 */

export interface MarkdownOptions {
  /**
   * The most the output may hold, counted in UTF-8 bytes: never less than its JavaScript length or
   * its count of characters, so the cap holds whichever GitHub counts (a comment takes 65,536).
   */
  maxLength?: number;
  /** Where the full report is, said when something had to be cut: "the job summary", a path. */
  reportLocation?: string;
  /** Written first (`<!-- tfguard -->`), so a comment can be found and updated. Trusted text. */
  marker?: string;
}

// Fields other parts of the report are gaining; absent means empty.
interface AttributeChangeView { path: string; before: string; after: string }
interface GuidanceView { action: string; text: string; command?: string; digest?: string; moved?: { from: string; to: string }; attributes?: string[] }
type Change = ReportChange & { attribute_changes?: AttributeChangeView[]; dependents?: string[] };
type Finding = ReportFinding & { guidance?: GuidanceView[] };

const ABSENT = '(absent)';
/** Items shown before a list folds into <details>. */
const OPEN_BLOCKING = 20;
const OPEN_LIST = 10;
const OPEN_EVIDENCE = 5;
/** A diff longer than this many lines folds into <details>. */
const OPEN_DIFF_LINES = 16;
const MAX_DIAGRAM_RESOURCES = 30;
const MAX_DIAGRAM_DEPENDENTS = 10;
const MAX_LISTED = 20;
/** Notices a reviewer must read before anything else: the policy itself is in question. */
const TRUST_NOTICES = new Set(['policy-changed', 'policy-loosened']);
const MOVE_NOTICES = new Set(['moved', 'imported']);
const FORGET_KINDS = new Set(['forget', 'forget-replace']);
/** What the blast radius draws: stateful resources whose object is destroyed. */
const DESTROYING_KINDS = new Set(['delete', 'replace', 'import-replace', 'unknown']);

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const document = layout(report, options);
  const full = fitsWhole(document, options.maxLength);
  if (full !== null) return full;
  return shortened(document, options.maxLength!, options);
}

export const markdownRenderer: Renderer = {
  name: 'markdown',
  describe: 'for GitHub job summaries and pull-request comments: what blocks, what warns, what a reviewer must do',
  render: (report) => wholePieces(layout(report, {})),
};

// ---------------------------------------------------------------------------------------------
// The document: a head, sections whose items can be cut, and a tail that is always written.

interface Item {
  /** Ends with `\n` (one line of a tight list) or `\n\n` (a block). */
  text: string;
  /** Written after the item when there is room: a blocking replace's attribute diff. */
  detail?: string;
}

interface Section {
  /** The plural noun a cut names: `blocking findings`. */
  noun: string;
  /** What a cut calls the section when it has no items and is left out whole (default: the noun). */
  name?: string;
  /** Which is kept first when the output must be cut: lower first. */
  tier: number;
  /** The tier of the items' details. */
  detailTier?: number;
  /** Heading and intro, written whenever the section is. */
  head: string;
  total: number;
  items: () => Iterable<Item>;
  /** Items shown before the rest folds into <details>. */
  open: number;
}

interface Layout {
  head: string;
  sections: Section[];
  tail: string;
  marker: string;
}

function layout(report: Report, options: MarkdownOptions): Layout {
  const blocking: Finding[] = [];
  const warnings: Finding[] = [];
  const approved: Finding[] = [];
  for (const finding of report.findings) {
    if (finding.effect === 'warn') warnings.push(finding);
    else if (finding.approved) approved.push(finding);
    else blocking.push(finding);
  }
  const rules = new Map(report.rules.map((rule) => [rule.name, rule]));
  const changes = report.changes as Change[];
  const trust = report.notices.filter((notice) => TRUST_NOTICES.has(notice.kind));
  const moves = report.notices.filter((notice) => MOVE_NOTICES.has(notice.kind));
  const notes = report.notices.filter((notice) => !TRUST_NOTICES.has(notice.kind) && !MOVE_NOTICES.has(notice.kind));
  const forgets = changes.filter((change) => FORGET_KINDS.has(change.kind));
  const destroyed = changes.filter((change) => change.stateful && DESTROYING_KINDS.has(change.kind));

  const sections: Section[] = [
    {
      noun: 'policy notices',
      tier: 1,
      head: '',
      total: trust.length,
      items: () => trust.map((notice) => ({ text: `> [!WARNING]\n> **Policy:** ${safe(notice.message)}\n\n` })),
      open: Infinity,
    },
    {
      noun: 'blocking findings',
      tier: 1,
      detailTier: 2,
      head: `### ⛔ What blocks (${blocking.length})\n\n`,
      total: blocking.length,
      items: () => mapLazily(blocking, (finding) => blockingItem(finding, report, rules)),
      open: OPEN_BLOCKING,
    },
    {
      noun: 'blast-radius diagram',
      tier: 4,
      head: '#### Blast radius\n\n',
      total: destroyed.length > 0 ? 1 : 0,
      items: () => [{ text: blastRadius(destroyed) }],
      open: Infinity,
    },
    {
      noun: 'warnings',
      tier: 3,
      head: `### ⚠️ What warns (${warnings.length})\n\n`,
      total: warnings.length,
      items: () => mapLazily(warnings, (finding) => ({ text: findingLine(finding, report) })),
      open: OPEN_LIST,
    },
    {
      noun: 'approved findings',
      tier: 4,
      head: `### ✅ Approved (${approved.length})\n\n`,
      total: approved.length,
      items: () => mapLazily(approved, (finding) => ({ text: findingLine(finding, report) })),
      open: OPEN_LIST,
    },
    {
      noun: 'moves, imports and forgets',
      tier: 4,
      head: `### ↪️ Moves, imports and forgets (${moves.length + forgets.length})\n\nNothing here destroys an object; forgotten objects leave Terraform's management and keep running.\n\n`,
      total: moves.length + forgets.length,
      items: () => [...moves.map(moveLine), ...forgets.map(forgetLine)],
      open: OPEN_LIST,
    },
    {
      noun: 'notes',
      tier: 4,
      head: `### ℹ️ Notes (${notes.length})\n\n`,
      total: notes.length,
      items: () => notes.map(noticeLine),
      open: OPEN_LIST,
    },
    provenanceSection(report),
    approvalsSection(report),
  ].filter((section) => section.total > 0 || section.noun === 'provenance evidence' || (section.noun === 'approvals' && report.summary.approvals_needed > 0));

  return { marker: options.marker ? `${options.marker}\n\n` : '', head: headline(report, blocking), sections, tail: reviewerSteps(report, blocking) };
}

function* mapLazily<T>(list: readonly T[], render: (item: T) => Item): Iterable<Item> {
  for (const item of list) yield render(item);
}

// ---------------------------------------------------------------------------------------------
// Writing it whole, or cut to fit.

/** A section's text: `shown` items of its `total`, those past `open` folded, the rest said to be cut. */
function* sectionPieces(section: Section, shown: Iterable<Item>, shownCount: number, withDetail: (index: number) => boolean): Iterable<string> {
  yield section.head;
  let count = 0;
  let last = section.head;
  for (const item of shown) {
    if (count === section.open) yield (last = foldOpen(shownCount - section.open, section.noun));
    yield (last = item.text);
    if (item.detail && withDetail(count)) yield (last = item.detail);
    count += 1;
  }
  const cut = section.total - count;
  if (cut > 0) yield (last = omission(cut, section.noun));
  if (count > section.open) yield (last = FOLD_CLOSE);
  if (!last.endsWith('\n\n')) yield '\n';
}

function* wholePieces(document: Layout): Iterable<string> {
  yield document.marker;
  yield document.head;
  for (const section of document.sections) yield* sectionPieces(section, section.items(), section.total, () => true);
  yield document.tail;
}

/** The whole document when it fits (or there is no limit); null as soon as it is known not to. */
function fitsWhole(document: Layout, maxLength: number | undefined): string | null {
  let text = '';
  let size = 0;
  for (const piece of wholePieces(document)) {
    size += bytes(piece);
    if (maxLength !== undefined && size > maxLength) return null;
    text += piece;
  }
  return text;
}

interface Admitted {
  section: Section;
  items: Item[];
  details: boolean[];
  opened: boolean;
}

/**
 * Cut to fit: blocking findings first (their diffs next), then warnings, then the rest, each
 * section keeping a prefix of its items; a notice under the headline says what was cut and where
 * the whole report is. Every cost is counted at its largest, so the result never exceeds the cap.
 */
function shortened(document: Layout, maxLength: number, options: MarkdownOptions): string {
  const admitted: Admitted[] = document.sections.map((section) => ({ section, items: [], details: [], opened: false }));
  const worstNotice = cutNotice(admitted.flatMap((entry) => cutsOf(entry, true)), options.reportLocation);
  let budget = maxLength - bytes(document.marker) - bytes(document.head) - bytes(worstNotice) - bytes(document.tail);
  if (budget >= 0) {
    const tiers = [...new Set(document.sections.flatMap((section) => [section.tier, section.detailTier ?? section.tier]))].sort((a, b) => a - b);
    for (const tier of tiers) {
      for (const entry of admitted) {
        if (entry.section.tier === tier) budget = admitItems(entry, budget);
        if (entry.section.detailTier === tier) budget = admitDetails(entry, budget);
      }
    }
    let text = document.marker + document.head + cutNotice(admitted.flatMap((entry) => cutsOf(entry)), options.reportLocation);
    for (const { section, items, details, opened } of admitted) {
      if (!opened) continue;
      for (const piece of sectionPieces(section, items, items.length, (index) => details[index] === true)) text += piece;
    }
    text += document.tail;
    if (bytes(text) <= maxLength) return text;
  }
  return minimal(document, maxLength, options.reportLocation);
}

interface Cut {
  noun: string;
  hidden: number;
  of: number;
}

/** What a section lost: items, their details, or (a section of no items) the whole of it. `worst`: the most it could lose, for the notice's room. */
function cutsOf({ section, items, details, opened }: Admitted, worst = false): Cut[] {
  if (section.total === 0) return opened && !worst ? [] : [{ noun: `${section.name ?? section.noun} section`, hidden: 1, of: 1 }];
  const cuts = [{ noun: section.noun, hidden: worst ? section.total : section.total - items.length, of: section.total }];
  if (section.detailTier !== undefined) {
    const withDetail = worst ? section.total : items.filter((item) => item.detail !== undefined).length;
    const shown = worst ? 0 : details.filter(Boolean).length;
    if (withDetail > shown) cuts.push({ noun: 'attribute diffs', hidden: withDetail - shown, of: withDetail });
  }
  return cuts;
}

function admitItems(entry: Admitted, budget: number): number {
  const { section } = entry;
  const opening = bytes(section.head) + bytes(omission(section.total, section.noun)) + 1;
  if (opening > budget) return budget;
  let left = budget - opening;
  let count = 0;
  for (const item of section.items()) {
    const cost = bytes(item.text) + (count === section.open ? bytes(foldOpen(section.total, section.noun)) + bytes(FOLD_CLOSE) : 0);
    if (cost > left) break;
    left -= cost;
    entry.items.push(item);
    count += 1;
  }
  if (count === 0 && section.total > 0) return budget;
  entry.opened = true;
  return left;
}

function admitDetails(entry: Admitted, budget: number): number {
  let left = budget;
  entry.items.forEach((item, index) => {
    if (item.detail === undefined) return;
    const cost = bytes(item.detail);
    if (cost > left) return;
    left -= cost;
    entry.details[index] = true;
  });
  return left;
}

/** When not even the headline and the reviewer's steps fit: the verdict and where the report is, nothing untrusted but that. */
function minimal(document: Layout, maxLength: number, location: string | undefined): string {
  const heading = document.head.slice(0, document.head.indexOf('\n') + 1);
  const where = location ? ` The full report is in ${safe(location)}.` : '';
  for (const candidate of [`${document.marker}${heading}\nThe report is too long to show here.${where}\n`, `${document.marker}${heading}`, heading]) {
    if (bytes(candidate) <= maxLength) return candidate;
  }
  let text = '';
  for (const char of heading) {
    if (bytes(text + char) > maxLength) break;
    text += char;
  }
  return text;
}

function cutNotice(cuts: readonly Cut[], location: string | undefined): string {
  const parts = cuts.filter((cut) => cut.hidden > 0).map((cut) => (cut.of === 1 && cut.hidden === 1 ? `the ${cut.noun}` : `${cut.hidden} of ${cut.of} ${cut.noun}`));
  if (parts.length === 0) return '';
  const where = location ? `The full report is in ${safe(location)}.` : 'Run `tfguard --format markdown` on the plan for the full report.';
  return `> [!NOTE]\n> ✂️ **Shortened to fit:** not shown here are ${listed(parts)}. ${where}\n\n`;
}

function foldOpen(inside: number, noun: string): string {
  return `\n<details><summary>${inside} more ${noun}</summary>\n\n`;
}

const FOLD_CLOSE = '\n</details>\n\n';

function omission(hidden: number, noun: string): string {
  return `\n*… and ${hidden} more ${noun}, not shown here.*\n\n`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// The headline and the reviewer's steps: always written.

function headline(report: Report, blocking: readonly Finding[]): string {
  const { summary, plan } = report;
  const title =
    report.verdict === 'block' ? `⛔ tfguard: blocked, ${count(summary.blocking, 'blocking finding')}`
    : report.verdict === 'error' ? '⛔ tfguard: error, the plan errored'
    : report.verdict === 'warn' ? `⚠️ tfguard: allowed with ${count(summary.warnings, 'warning')}`
    : '✅ tfguard: allowed';
  const producer = plan.terraform_version ? `${plan.tool === 'opentofu' ? 'OpenTofu' : 'Terraform'} ${safe(plan.terraform_version)}, ` : '';
  const environment = report.policy.environment ? `, environment ${code(report.policy.environment)}` : '';
  const sources = listed(report.policy.sources.map((source) => code(source)));
  const impact = report.whole_environment;
  const lines = [
    `## ${title} (exit ${report.exit_code})\n\n`,
    `Plan ${code(plan.source)} (${producer}plan format ${safe(plan.format_version)}) · change set ${code(plan.digest)} · policy ${sources}${environment}\n\n`,
    `${count(summary.destructive, 'destructive change')}, ${summary.stateful_destructive} on stateful resources; ${impact.destroyed} of ${impact.existing} existing resources destroyed or replaced.${summary.warnings > 0 && report.verdict === 'block' ? ` ${count(summary.warnings, 'warning')}.` : ''}\n\n`,
  ];
  const ask = askLine(report, blocking);
  if (ask) lines.push(`${ask}\n\n`);
  return lines.join('');
}

function askLine(report: Report, blocking: readonly Finding[]): string {
  const { summary } = report;
  switch (report.verdict) {
    case 'block':
      if (summary.hard_mandatory_blocking > 0) return `**To pass:** the plan must change. ${hardFindings(summary.hard_mandatory_blocking, blocking)}, which no approval can clear.`;
      if (summary.approvals_missing > 0) return `**To pass:** ${missingApprovals(report)} of change set ${code(report.plan.digest)}, or a plan without these changes. See *What a reviewer must do* below.`;
      return '**To pass:** the plan must change.';
    case 'error':
      return '**To pass:** fix the errors `terraform plan` printed and plan again: an errored plan is never a pass.';
    case 'warn':
      return 'Nothing blocks. Read the warnings before merging.';
    case 'allow':
      return 'No destructive change needs attention.';
  }
}

/** `2 more senior approvals` / `1 senior approval`. */
function missingApprovals(report: Report): string {
  const { approvals_missing: missing, approvals_needed: needed } = report.summary;
  return `${missing}${missing < needed ? ' more' : ''} senior approval${missing === 1 ? '' : 's'}`;
}

/** `1 blocking finding comes from a hard-mandatory rule (`x`)`. */
function hardFindings(hard: number, blocking: readonly Finding[]): string {
  const names = [...new Set(blocking.filter((finding) => finding.enforcement === 'hard-mandatory').map((finding) => finding.rule))];
  const rules = names.length === 1 ? `a hard-mandatory rule (${code(names[0]!)})` : `hard-mandatory rules (${listed(names.slice(0, MAX_LISTED).map((name) => code(name)), names.length - MAX_LISTED)})`;
  return `${count(hard, 'blocking finding')} ${hard === 1 ? 'comes' : 'come'} from ${rules}`;
}

function reviewerSteps(report: Report, blocking: readonly Finding[]): string {
  const { summary } = report;
  const head = '### 👉 What a reviewer must do\n\n';
  switch (report.verdict) {
    case 'error':
      return `${head}**Fix the plan.** \`terraform plan\` errored, so this is not a complete picture of what apply would do. Fix the errors it printed and plan again; no approval clears an errored plan.\n`;
    case 'warn':
      return `${head}**Nothing to approve.** Nothing blocks; read the warnings above before merging.\n`;
    case 'allow':
      return `${head}**Nothing to do.** No destructive change needs attention.\n`;
    case 'block':
      break;
  }
  if (summary.hard_mandatory_blocking > 0) {
    const others = summary.blocking - summary.hard_mandatory_blocking;
    const rest = others > 0 ? ` Once it does, the other ${count(others, 'blocking finding')} still ${others === 1 ? 'needs' : 'need'} senior approval of the new plan's change set.` : '';
    return `${head}**The plan must change.** ${hardFindings(summary.hard_mandatory_blocking, blocking)}: no approval can clear ${summary.hard_mandatory_blocking === 1 ? 'it' : 'them'}. The guidance under each finding says what would pass.${rest}\n`;
  }
  if (summary.approvals_missing === 0) return `${head}**The plan must change:** no approval can clear what blocks.\n`;
  const { approvers } = report.policy;
  const digest = code(report.plan.digest);
  const needed = summary.approvals_missing < summary.approvals_needed ? ` (${summary.approvals_needed} needed)` : '';
  const lines = [head, `**${missingApprovals(report)}** of change set ${digest} ${summary.approvals_missing === 1 ? 'is' : 'are'} missing${needed}, from distinct approvers listed in the policy; or the plan must change.\n\n`];
  if (approvers.length === 0) {
    lines.push('> [!WARNING]\n> **The policy lists no approvers yet**, so no approval can count: add `approver` blocks to it, and read it from the base branch (`--policy-ref`).\n\n');
  }
  const logins = approvers.filter((approver) => approver.github !== null);
  const ids = approvers.map((approver) => approver.id);
  const idNames = ids.length > 1 ? ` with their approver id (${listed(ids.slice(0, MAX_LISTED).map((name) => code(name)), ids.length - MAX_LISTED, 'or')})` : '';
  const record = `runs this${idNames}, then commits and pushes the record it writes. The record must cover change set ${digest}; \`tfguard approve\` prints the digest it signs.`;
  if (logins.length > 0) {
    const names = listed(logins.slice(0, MAX_LISTED).map((approver) => `${code(approver.github!)} (${code(approver.id)})`), logins.length - MAX_LISTED, 'or');
    lines.push('Each approver either:\n\n');
    lines.push(`- **approves on GitHub** the pull request's head commit, as a listed approver: ${names}. A review counts only on the current head commit, and never the pull request author's own; or\n`);
    lines.push(`- **signs a record:** ${record}\n\n`);
  } else {
    lines.push(`Each approver **signs a record:** ${record}\n\n`);
  }
  // Placeholders without shell metacharacters (a pasted `<id>` would redirect input and create
  // files); values after `=` and a plan path never starting with `-`, so none reads as an option.
  const id = ids.length === 1 ? shellQuote(ids[0]!) : 'YOUR-APPROVER-ID';
  const environment = report.policy.environment ? ` --environment=${shellQuote(report.policy.environment)}` : '';
  const source = report.plan.source.startsWith('-') ? `./${report.plan.source}` : report.plan.source;
  const plan = report.plan.source === '<stdin>' ? 'PLAN.json' : shellQuote(source);
  const message = shellQuote(`Approve tfguard change set ${shortDigest(report.plan.digest).replace('…', '')}`);
  lines.push(markdownCodeBlock(`tfguard approve ${plan} --as=${id} --key ~/.ssh/id_ed25519${environment}\ngit add .tfguard/approvals && git commit -m ${message} && git push`, 'sh'));
  return lines.join('');
}

/** A word for a POSIX shell, single-quoted unless it is plainly safe: a reviewer pastes these commands. */
function shellQuote(text: string): string {
  const shown = terminalSafe(text);
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(shown) ? shown : `'${shown.replaceAll("'", `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// Findings.

function blockingItem(finding: Finding, report: Report, rules: ReadonlyMap<string, ReportRule>): Item {
  const change = finding.change_index !== undefined ? (report.changes[finding.change_index] as Change | undefined) : undefined;
  const stop = /[.!?]$/.test(finding.message) ? '' : '.';
  const lines = [`#### ${findingTitle(finding, change)}\n\n`, `${safe(finding.message)}${stop}\n\n`];
  const bullets = [`- **Rule:** ${ruleText(finding, rules)}`];
  if (finding.downgrade_index !== undefined) {
    const downgrade = report.protection_downgrades[finding.downgrade_index];
    if (downgrade) {
      const { attribute, before, after } = downgradeText(downgrade);
      bullets.push(`- **Protection lowered:** ${code(attribute)}: ${code(before)} → ${code(after)} on ${code(downgrade.type)}`);
    }
  }
  if (change) bullets.push(...changeBullets(change));
  if (finding.approved_by.length > 0) {
    bullets.push(`- **Approved by:** ${listed(finding.approved_by.map((id) => code(id)))} (${finding.approved_by.length} of ${finding.approvals_required})`);
  }
  const guidance = guidanceParts(finding);
  bullets.push(...guidance.bullets);
  lines.push(`${bullets.join('\n')}\n\n`, ...guidance.blocks);
  const diff = change ? attributeDiff(change) : '';
  return diff ? { text: lines.join(''), detail: diff } : { text: lines.join('') };
}

function findingTitle(finding: Finding, change: Change | undefined): string {
  if (finding.address === null) return 'Whole environment';
  const deposed = finding.deposed ? ` (deposed object ${code(finding.deposed)})` : '';
  const what = finding.downgrade_index !== undefined ? 'protection downgrade' : change ? safe(kindText(change)) : '';
  return `${code(finding.address)}${deposed}${what ? ` — ${what}` : ''}`;
}

function ruleText(finding: Finding, rules: ReadonlyMap<string, ReportRule>): string {
  const rule = rules.get(finding.rule);
  const ask = approvalAsk(finding);
  const noApproval = finding.enforcement === 'hard-mandatory' && finding.effect === 'block' ? ', no approval can clear it' : '';
  const source = rule && rule.source !== 'builtin:default' ? ` from ${code(rule.source)}` : '';
  return `${code(finding.rule)}${source}, ${safe(finding.enforcement)}${ask ? `, ${safe(ask)}` : ''}${noApproval}`;
}

function changeBullets(change: Change): string[] {
  const bullets: string[] = [];
  const order = orderText(change);
  // The actions say nothing the kind does not, except for actions tfguard does not know.
  const actions = change.kind === 'unknown' ? ` (actions ${listed(change.actions.map((action) => code(action)))})` : '';
  bullets.push(`- **Change:** ${safe(kindText(change))}${order ? `, ${safe(order)}` : ''}${actions}`);
  const holds = change.why ?? change.not_stateful_reason;
  bullets.push(`- **Resource:** ${code(change.type)}, ${safe(holdsText(change))}${holds ? `: ${safe(holds)}` : ''}`);
  const paths = (change.replace_paths ?? []).map((path) => formatPath(path));
  const forcing = change.replace_forcing ?? [];
  if (change.reason_text) bullets.push(`- **Why:** ${safe(change.reason_text)}`);
  else if (paths.length === 0 && forcing.length === 0 && whyText(change)) bullets.push(`- **Why:** ${safe(whyText(change))}`);
  const samePaths = forcing.length === paths.length && forcing.every((name) => paths.includes(name));
  if (paths.length > 0) bullets.push(`- **Changed:** ${listed(paths.map((path) => code(path)))}${samePaths ? `, which ${paths.length === 1 ? 'forces' : 'force'} a new resource` : ''}`);
  if (forcing.length > 0 && !samePaths) bullets.push(`- **Forces a new resource:** ${listed(forcing.map((name) => code(name)))}`);
  if (change.previous_address) bullets.push(`- **Moved from:** ${code(change.previous_address)}`);
  if (change.importing) bullets.push(`- **Imported in this plan**${change.importing.id ? `: id ${code(change.importing.id)}` : ''}`);
  if (change.deferred_reason) bullets.push(`- **Deferred** to a later plan: ${safe(change.deferred_reason)}`);
  if (change.deletion_note) bullets.push(`- **Note:** ${safe(change.deletion_note)}`);
  const dependents = change.dependents ?? [];
  if (dependents.length > 0) bullets.push(`- **Referred to by:** ${listed(dependents.slice(0, MAX_LISTED).map((address) => code(address)), dependents.length - MAX_LISTED)}`);
  return bullets;
}

/**
 * What would make the finding pass, as bullets of the finding (a moved block as HCL after them).
 * An approval is one short line: the change set and the command are in the reviewer's steps, once,
 * the command quoted for a shell.
 */
function guidanceParts(finding: Finding): { bullets: string[]; blocks: string[] } {
  const bullets: string[] = [];
  const blocks: string[] = [];
  for (const item of finding.guidance ?? []) {
    const label = bullets.length === 0 ? 'To pass' : 'Or';
    const text =
      item.action === 'approve'
        ? `${count(finding.approvals_required, 'senior approval')} of this change set, ${code(shortDigest(item.digest ?? ''))}: see *What a reviewer must do*`
        : safe(item.text);
    bullets.push(`- **${label}:** ${text}`);
    if (item.moved) blocks.push(`${markdownCodeBlock(`moved {\n  from = ${item.moved.from}\n  to   = ${item.moved.to}\n}`, 'hcl')}\n`);
  }
  return { bullets, blocks };
}

/** `sha256:cc2c7252b00c…`: enough to recognise; the whole digest is in the headline and the steps. */
function shortDigest(digest: string): string {
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

/** One line of a list: the resource, what happens to it, the message and the rule. */
function findingLine(finding: Finding, report: Report): string {
  const change = finding.change_index !== undefined ? (report.changes[finding.change_index] as Change | undefined) : undefined;
  const rule = `rule ${code(finding.rule)}, ${safe(finding.enforcement)}`;
  let line = `- **${findingTitle(finding, change)}**: ${safe(finding.message)} (${rule})`;
  if (change) {
    line += `\n  - ${code(change.type)}, ${safe(holdsText(change))}`;
    const why = whyText(change);
    if (why) line += `; why: ${safe(why)}`;
  }
  if (finding.downgrade_index !== undefined) {
    const downgrade = report.protection_downgrades[finding.downgrade_index];
    if (downgrade) {
      const { attribute, before, after } = downgradeText(downgrade);
      line += `\n  - ${code(attribute)}: ${code(before)} → ${code(after)}`;
    }
  }
  if (finding.approved_by.length > 0) line += `\n  - approved by ${listed(finding.approved_by.map((id) => code(id)))}`;
  return `${line}\n`;
}

// ---------------------------------------------------------------------------------------------
// Attribute diffs.

/** The replace's changed attributes as a ```diff block: `-` before, `+` after, the forcing ones marked. */
function attributeDiff(change: Change): string {
  const attributes = change.attribute_changes ?? [];
  if (attributes.length === 0) return '';
  const forcing = new Set([...(change.replace_forcing ?? []), ...(change.replace_paths ?? []).map((path) => formatPath(path))]);
  const lines: string[] = [];
  for (const attribute of attributes) {
    const mark = forcing.has(attribute.path) || forcing.has(attribute.path.split(/[.[]/)[0]!) ? '   # forces replacement' : '';
    const path = terminalSafe(attribute.path);
    const side = (value: string): string => (value === ABSENT ? '' : `${displayLines(value).map((line, index) => (index === 0 ? `${path} = ${line}` : line)).join('\n')}\n`);
    // Equal display strings (both (sensitive)) still changed: the report lists only changed attributes.
    const parts = attribute.before === attribute.after ? [{ removed: true, added: false, value: side(attribute.before) }, { removed: false, added: true, value: side(attribute.after) }] : diffLines(side(attribute.before), side(attribute.after));
    let lastAdded = -1;
    for (const part of parts) {
      const sign = part.added ? '+' : part.removed ? '-' : ' ';
      for (const line of part.value.replace(/\n$/, '').split('\n')) {
        lines.push(`${sign} ${line}`);
        if (part.added) lastAdded = lines.length - 1;
      }
    }
    if (mark && lastAdded >= 0) lines[lastAdded] += mark;
    else if (mark && lines.length > 0) lines[lines.length - 1] += mark;
  }
  const block = markdownCodeBlock(lines.join('\n'), 'diff');
  const label = `Attribute changes (${attributes.length}), before → after; sensitive values are never shown`;
  if (lines.length <= OPEN_DIFF_LINES) return `**${label}:**\n\n${block}\n`;
  return `<details><summary>${label}</summary>\n\n${block}\n</details>\n\n`;
}

/** A display value as lines: JSON objects and arrays spread out so the diff shows what changed inside. */
function displayLines(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object') return JSON.stringify(parsed, null, 2).split('\n').map(terminalSafe);
  } catch {
    // Not JSON: (sensitive), (known after apply), a cut value.
  }
  return [terminalSafe(value)];
}

// ---------------------------------------------------------------------------------------------
// The blast radius: destroyed stateful resources and what refers to them.

function blastRadius(destroyed: readonly Change[]): string {
  const ids = new Map<string, string>();
  let nodes = 0;
  const nextId = (): string => `n${(nodes += 1)}`;
  const lines = ['flowchart TB', '  classDef destroyed fill:#ffebe9,stroke:#cf222e,color:#1f2328', '  classDef replaced fill:#fff1e5,stroke:#bc4c00,color:#1f2328', '  classDef dependent fill:#ddf4ff,stroke:#0969da,color:#1f2328'];
  const node = (address: string, label: string, style: string): string => {
    const known = ids.get(address);
    if (known) return known;
    const id = nextId();
    ids.set(address, id);
    lines.push(`  ${id}["${label}"]:::${style}`);
    return id;
  };
  const drawn = destroyed.slice(0, MAX_DIAGRAM_RESOURCES);
  for (const change of drawn) {
    const style = change.kind === 'delete' || change.kind === 'unknown' ? 'destroyed' : 'replaced';
    const holds = [change.category, change.severity].filter(Boolean).join(', ');
    node(change.address, `${mermaidText(change.address)}<br/>${mermaidText(`${kindText(change).split(' (')[0]}${holds ? ` · ${holds}` : ''}`)}`, style);
  }
  let edges = 0;
  for (const change of drawn) {
    const from = ids.get(change.address)!;
    const dependents = change.dependents ?? [];
    for (const dependent of dependents.slice(0, MAX_DIAGRAM_DEPENDENTS)) {
      lines.push(`  ${from} --> ${node(dependent, mermaidText(dependent), 'dependent')}`);
      edges += 1;
    }
    if (dependents.length > MAX_DIAGRAM_DEPENDENTS) {
      const more = nextId();
      lines.push(`  ${more}["${mermaidText(`… and ${dependents.length - MAX_DIAGRAM_DEPENDENTS} more`)}"]:::dependent`, `  ${from} --> ${more}`);
    }
  }
  // Unconnected nodes would sit in one long row; invisible links stack them into rows of three.
  if (edges === 0) {
    for (let index = 3; index < drawn.length; index += 1) lines.push(`  ${ids.get(drawn[index - 3]!.address)} ~~~ ${ids.get(drawn[index]!.address)}`);
  }
  const notDrawn = destroyed.length - drawn.length;
  const caption = [
    edges > 0 ? 'Red: destroyed; orange: replaced (the old object is destroyed); blue: resources whose configuration refers to them, an arrow from each destroyed resource to what refers to it.' : 'Red: destroyed; orange: replaced (the old object is destroyed). Nothing in the plan\'s configuration refers to them.',
    notDrawn > 0 ? ` ${count(notDrawn, 'more destroyed stateful resource')} not drawn.` : '',
  ].join('');
  return `${markdownCodeBlock(lines.join('\n'), 'mermaid')}\n${caption}\n\n`;
}

/**
 * Text for a quoted Mermaid label: letters, digits and a few plain marks as they are, every other
 * character as Mermaid's `#NNN;` code, so nothing can end the quotes, start markup or a directive
 * (`%%{init}%%`), or reach the label's HTML as a tag.
 */
function mermaidText(text: string, max = 60): string {
  const chars = [...terminalSafe(text)];
  const cut = chars.length > max ? [...chars.slice(0, max - 1), '…'] : chars;
  return cut.map((char) => (/^[A-Za-z0-9 ._:/-]$/.test(char) ? char : `#${char.codePointAt(0)};`)).join('');
}

// ---------------------------------------------------------------------------------------------
// Moves, notes, provenance, approvals.

function moveLine(notice: ReportNotice): Item {
  const label = notice.kind === 'moved' ? 'Moved' : 'Imported';
  return { text: `- **${label}:** ${notice.address ? `${code(notice.address)}: ` : ''}${safe(notice.message)}\n` };
}

function forgetLine(change: Change): Item {
  return { text: `- **Forgotten:** ${code(change.address)}: ${safe(kindText(change))}; ${code(change.type)}, ${safe(holdsText(change))}\n` };
}

function noticeLine(notice: ReportNotice): Item {
  return { text: `- ${notice.address ? `${code(notice.address)}: ` : ''}${safe(notice.message)}\n` };
}

function provenanceSection(report: Report): Section {
  const { provenance } = report;
  const basis =
    provenance.basis === 'evidence' ? `from evidence in the change (${count(provenance.evidence.length, 'item')} below)`
    : provenance.basis === 'declared' ? `declared${provenance.reason ? `: ${safe(provenance.reason)}` : ''}`
    : safe(provenanceBasisText(provenance));
  const lines = [`### 🔎 Provenance: ${provenance.ai ? 'AI-generated' : 'human'}\n\n`, `**${provenance.ai ? 'AI-generated' : 'Human'}**, ${basis}.\n\n`];
  const facts: string[] = [];
  if (provenance.range) {
    const { base, head, commits, source, truncated } = provenance.range;
    facts.push(`- **Commits:** ${code(`${base.slice(0, 12)}..${head.slice(0, 12)}`)}, ${count(commits, 'commit')} read from ${safe(source)}${truncated ? ' (the API listing stops at 250)' : ''}`);
  }
  if (provenance.authors.length > 0) {
    const authors = provenance.authors.slice(0, MAX_LISTED).map((author) => `${code(authorText(author))} (${safe(author.roles.join(', '))})`);
    facts.push(`- **Authors:** ${listed(authors, provenance.authors.length - MAX_LISTED)}`);
  }
  if (facts.length > 0) lines.push(`${facts.join('\n')}\n\n`);
  if (provenance.evidence.length > 0) lines.push(`**Evidence (${provenance.evidence.length}):**\n\n`);
  return {
    noun: 'provenance evidence',
    name: 'provenance',
    tier: 4,
    head: lines.join(''),
    total: provenance.evidence.length,
    items: () => mapLazily(provenance.evidence, (evidence) => ({ text: `- ${safe(evidenceText(evidence))}: ${code(evidence.text)}\n` })),
    open: OPEN_EVIDENCE,
  };
}

function approvalsSection(report: Report): Section {
  const { summary, approvals } = report;
  const valid = approvals.filter((approval) => approval.valid && approval.reason === null).length;
  const state =
    approvals.length === 0 ? `No approvals were recorded for change set ${code(report.plan.digest)}.`
    : `${count(valid, 'approval')} of ${approvals.length} considered ${valid === 1 ? 'counts' : 'count'}.`;
  const missing = summary.approvals_missing > 0 ? ` Still missing: ${summary.approvals_missing} of the ${summary.approvals_needed} needed.` : summary.approvals_needed > 0 && summary.hard_mandatory_blocking === 0 ? ' None missing.' : '';
  return {
    noun: 'approvals',
    tier: 4,
    head: `### ✍️ Approvals\n\n${state}${missing}\n\n`,
    total: approvals.length,
    items: () => mapLazily(approvals, (approval) => ({ text: approvalLine(approval) })),
    open: OPEN_LIST,
  };
}

function approvalLine(approval: ReportApproval): string {
  const who = approval.approver !== null ? code(approval.approver) : 'an unlisted approver';
  const via =
    approval.via === 'ssh' ? `signed record ${code(approval.file ?? '')}${approval.expires_at ? `, expires ${code(approval.expires_at)}` : ''}`
    : `GitHub review ${code(String(approval.review ?? ''))}${approval.reviewer ? ` by ${code(approval.reviewer)}` : ''}${approval.commit ? ` on commit ${code(approval.commit.slice(0, 12))}` : ''}`;
  // The reason last: it is the longest part, and it is the approver's or the checker's words.
  const outcome =
    approval.reason === null ? '✅ counts'
    : approval.valid ? `⚠️ valid, not counted: ${safe(approval.reason)}`
    : `❌ does not count: ${safe(approval.reason)}`;
  const [icon, ...words] = outcome.split(' ');
  const comment = approval.comment ? `\n  - their reason: ${safe(approval.comment)}` : '';
  return `- ${icon} ${who}, ${via}: ${words.join(' ')}${comment}\n`;
}

// ---------------------------------------------------------------------------------------------
// Words.

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `a, b and c`, with `and N more` when some were left out. */
function listed(parts: readonly string[], more = 0, last = 'and'): string {
  const all = more > 0 ? [...parts, `${more} more`] : [...parts];
  if (all.length <= 1) return all.join('');
  return `${all.slice(0, -1).join(', ')} ${last} ${all[all.length - 1]}`;
}

