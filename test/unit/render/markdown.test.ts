import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/commands/check.js';
import { markdownRenderer, renderMarkdown } from '../../../src/render/markdown.js';
import { PLAIN } from '../../../src/render/palette.js';
import { renderToString } from '../../../src/render/renderer.js';
import type { Report } from '../../../src/report/report.js';
import { terminalSafe, UNSAFE_CHARACTERS } from '../../../src/shared/escape.js';
import { markdownCode, markdownCodeBlock, markdownSafe } from '../../../src/shared/markdown-escape.js';
import { plan, ROOT } from '../../helpers/paths.js';

/**
 * The Markdown report (job summary, PR comment). Golden files: each committed report
 * test/golden/<name>.report.json must render to test/golden/<name>.md byte for byte; after an
 * intended change, re-record with `UPDATE_GOLDEN=1 npx vitest run test/unit/render/markdown.test.ts`
 * and read the diff (and look at it: scripts/render-markdown-screenshot.mjs).
 */
const GOLDEN = join(ROOT, 'test', 'golden');
const reports = readdirSync(GOLDEN).filter((name) => name.endsWith('.report.json')).sort();
const load = (name: string): Report => JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as Report;
const html = (markdown: string): string => marked.parse(markdown, { gfm: true, async: false });
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('markdown golden files', () => {
  it.each(reports)('%s', (name) => {
    const report = load(name);
    const rendered = renderMarkdown(report);
    const goldenPath = join(GOLDEN, name.replace(/\.report\.json$/, '.md'));
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, rendered);
    expect(rendered).toBe(readFileSync(goldenPath, 'utf8'));
    // The registry's renderer writes the same, in pieces.
    expect(renderToString(markdownRenderer, report, { palette: PLAIN })).toBe(rendered);
    expect(rendered.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
    expectSafeHtml(html(rendered));
  });

  it('writes the verdict with its exit code first, and the reviewer steps last', () => {
    const rendered = renderMarkdown(load('environment-recreation.report.json'), { marker: '<!-- tfguard -->' });
    expect(rendered.startsWith('<!-- tfguard -->\n\n## ⛔ tfguard: blocked, 7 blocking findings (exit 1)\n')).toBe(true);
    const order = ['### ⛔ What blocks (7)', '#### Blast radius', '### ⚠️ What warns (3)', '### 🔎 Provenance', '### ✍️ Approvals', '### 👉 What a reviewer must do'].map((heading) => rendered.indexOf(heading));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(renderMarkdown(load('safe-change.report.json'))).toContain('(exit 0)');
    expect(renderMarkdown(load('errored-plan.report.json'))).toContain('## ⛔ tfguard: error, the plan errored (exit 2)');
  });

  it('shows each replace with its cause and a diff of the attributes, the forcing one marked', () => {
    const rendered = renderMarkdown(load('environment-recreation.report.json'));
    const db = rendered.slice(rendered.indexOf('#### `aws_db_instance.main`'), rendered.indexOf('#### `aws_ebs_volume.cache`'));
    expect(db).toContain('**Why:** an attribute that cannot be updated in place changed');
    expect(db).toContain('**Changed:** `engine`, which forces a new resource');
    expect(db).toContain('```diff\n- engine = "mysql"\n+ engine = "postgres"   # forces replacement\n- engine_version = "8.0.35"\n+ engine_version = "16.3"\n```');
    expect(db).toContain('**To pass:** Keep engine as it is');
  });

  it('says exactly what a reviewer does: a review by a listed login, or tfguard approve with the digest; hard-mandatory findings allow no approval', () => {
    const report = load('environment-recreation.report.json');
    report.policy.approvers = [{ id: 'alice', github: 'alice-gh' }, { id: 'carol', github: null }];
    const steps = renderMarkdown(report).split('### 👉 What a reviewer must do')[1]!;
    expect(steps).toContain("**approves on GitHub** the pull request's head commit, as a listed approver: `alice-gh` (`alice`)");
    expect(steps).toContain('with their approver id (`alice` or `carol`)');
    expect(steps).toContain(`change set \`${report.plan.digest}\``);
    expect(steps).toContain('tfguard approve examples/environment-recreation/plan.json --as=YOUR-APPROVER-ID --key ~/.ssh/id_ed25519\n');
    report.policy.approvers = [{ id: '-x', github: null }];
    report.plan.source = '--output=/etc/passwd';
    expect(renderMarkdown(report)).toContain("tfguard approve ./--output=/etc/passwd --as=-x --key ~/.ssh/id_ed25519\n");
    const strict = renderMarkdown(load('strict-policy.report.json'));
    expect(strict).toContain('**The plan must change.**');
    expect(strict).toContain('1 blocking finding comes from a hard-mandatory rule (`whole-environment`): no approval can clear it');
    expect(strict.split('### 👉 What a reviewer must do')[1]).not.toContain('tfguard approve');
  });

  it('draws the blast radius only when a stateful resource is destroyed or replaced, with generated node ids', () => {
    const report = load('environment-recreation.report.json');
    const db = report.changes.findIndex((change) => change.address === 'aws_db_instance.main');
    (report.changes[db] as { dependents?: string[] }).dependents = ['aws_lambda_function.api', 'module.app.aws_ecs_service.web'];
    const diagram = mermaidOf(renderMarkdown(report));
    expect(diagram).toContain('flowchart TB');
    expect(diagram).toMatch(/ {2}n2\["aws_db_instance\.main<br\/>replace #183; database#44; critical"\]:::replaced/);
    expect(diagram).toMatch(/ {2}n7\["aws_lambda_function\.api"\]:::dependent\n {2}n2 --> n7\n {2}n8\[.*\n {2}n2 --> n8$/);
    expect(diagram).toContain('n8["module.app.aws_ecs_service.web"]:::dependent');
    expect(renderMarkdown(load('safe-change.report.json'))).not.toContain('```mermaid');
    expect(renderMarkdown(load('protection-downgrade.report.json'))).not.toContain('```mermaid');
  });

  it('lists moves, imports and forgets apart', () => {
    const report = load('environment-recreation.report.json');
    report.notices = [
      { kind: 'moved', address: 'aws_s3_bucket.new', message: 'Moved from aws_s3_bucket.old; nothing is destroyed' },
      { kind: 'imported', address: 'aws_s3_bucket.imported', message: 'Imported into state; nothing is destroyed' },
    ];
    report.changes.push({ ...report.changes[0]!, address: 'aws_s3_bucket.kept', kind: 'forget', actions: ['forget'] });
    const section = renderMarkdown(report).split('### ↪️ Moves, imports and forgets (3)')[1]!.split('###')[0]!;
    expect(section).toContain('- **Moved:** `aws_s3_bucket.new`: Moved from aws\\_s3\\_bucket\\.old\\; nothing is destroyed\n');
    expect(section).toContain('- **Imported:** `aws_s3_bucket.imported`');
    expect(section).toContain('- **Forgotten:** `aws_s3_bucket.kept`: forget \\(removed from state\\, object kept\\)');
  });
});

// ---------------------------------------------------------------------------------------------

const PAYLOADS = [
  // First, so that a code span whose fence were too short would end right before the tag.
  '`<img src=x onerror=alert(2)>`',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe><a href="javascript:alert(1)">x</a>',
  '[click](javascript:alert(1)) ![pixel](https://evil.example/p.png) <https://evil.example>',
  '@org/team @alice cc@bob #123 GH-1',
  'https://evil.example/x www.evil.example m@evil.example',
  '`x` `` y `` ``` ```` `````',
  '</details><details open><summary>',
  '<!-- tfguard --> -->',
  '| a | b |\n|---|---|',
  '\u001b[2J\u0007\u202e\u2066\u200b\u009b\u007f\r\n## Heading\n- item\n```\n',
  '**bold** _em_ ~~del~~ \\',
  '&lt;script&gt; &#60;img&#62;',
  '%%{init: {"securityLevel":"loose"}}%%',
  '"]; click n1 call alert(1); n9["',
  '##[warning]x',
  "it's $(touch /tmp/pwned) `id` ; rm",
];
const EVIL = PAYLOADS.join(' ');
/** Fields read as enums or compared by the renderer; every other string is the author's. */
const ENUMS = new Set(['verdict', 'kind', 'effect', 'enforcement', 'via', 'basis', 'order', 'action', 'mode', 'deletion', 'protection', 'when']);

/** A report exercising every section, every string replaced by `make(path)`. */
function hostileReport(make: (where: string) => string, base = 'strict-policy.report.json'): Report {
  const report = load(base);
  const change = report.changes.find((item) => item.kind === 'replace')!;
  Object.assign(change, {
    previous_address: 'old',
    importing: { id: 'id' },
    deferred_reason: 'later',
    deletion_note: 'note',
    replace_paths: [['engine', 'key']],
    replace_forcing: ['engine'],
    attribute_changes: [
      { path: 'engine', before: '"a"', after: '"b"' },
      { path: 'tags', before: JSON.stringify({ a: 'x', b: 'y' }), after: JSON.stringify({ a: 'x', b: 'z' }) },
      { path: 'password', before: '(sensitive)', after: '(known after apply)' },
    ],
    dependents: ['dep.one', 'dep.two'],
  });
  report.changes.push({ ...report.changes[0]!, address: 'forgotten', kind: 'forget', actions: ['forget'] });
  report.protection_downgrades = [{ address: 'downgraded', type: 'aws_db_instance', attribute: 'deletion_protection', protection: 'flag', before: true, after: 'text', after_unknown: false }];
  report.findings.push({ rule: 'protection-downgrade', address: 'downgraded', attribute: 'deletion_protection', enforcement: 'soft-mandatory', approvals_required: 1, approved: false, approved_by: ['alice'], effect: 'block', message: 'lowers', downgrade_index: 0 });
  report.findings.push({ ...report.findings[1]!, approved: true, approved_by: ['alice', 'bob'] });
  const blocking = report.findings.find((finding) => finding.effect === 'block' && finding.change_index !== undefined)! as Report['findings'][number] & { guidance?: unknown };
  blocking.guidance = [
    { action: 'moved-block', text: 'rename', moved: { from: 'from', to: 'to' } },
    { action: 'keep-attribute', text: 'keep', attributes: ['engine'] },
    { action: 'approve', text: 'approve', digest: report.plan.digest, command: 'tfguard approve x' },
  ];
  report.notices = (['moved', 'imported', 'policy-changed', 'policy-loosened', 'destroy-mode', 'drift-deleted', 'unknown-actions'] as const).map((kind) => ({ kind, address: 'addr', message: 'message' }));
  report.policy.environment = 'prod';
  report.policy.loosened = [{ source: 'policy.hcl', what: 'what' }];
  report.provenance = {
    ai: true,
    basis: 'evidence',
    reason: 'reason',
    evidence: [
      { signal: 'claude-code.co-author', tool: 'Claude', kind: 'trailer', where: { type: 'commit', sha: 'c'.repeat(40), field: 'message', line: 3 }, text: 'Co-Authored-By: Claude' },
      { signal: 's', tool: 'Tool', kind: 'label', where: { type: 'label', label: 'label' }, text: 'label' },
      { signal: 's', tool: 'Tool', kind: 'branch-prefix', where: { type: 'branch', branch: 'branch' }, text: 'branch' },
      { signal: 's', tool: 'Tool', kind: 'bot-login', where: { type: 'pr-author', login: 'login' }, text: 'login' },
      { signal: 's', tool: 'Tool', kind: 'environment', where: { type: 'environment', name: 'NAME' }, text: 'NAME=value' },
    ],
    authors: [{ name: 'Jane', email: 'jane@example.com', login: 'jane', roles: ['commit-author'] }],
    range: { base: 'base', head: 'head', commits: 2, source: 'github' },
  };
  report.approvals = [
    { approver: 'alice', via: 'ssh', valid: true, reason: null, file: 'alice.json', fingerprint: 'SHA256:x', expires_at: '2030-01-01T00:00:00Z', comment: 'comment' },
    { approver: 'bob', via: 'github', valid: false, reason: 'stale', review: 7, reviewer: 'bob-gh', commit: 'd'.repeat(40) },
    { approver: null, via: 'ssh', valid: false, reason: 'unlisted', file: 'x.json' },
    { approver: 'carol', via: 'ssh', valid: true, reason: 'not counted', file: 'carol.json' },
  ];
  report.plan.terraform_version = '1.11.4';
  return replaceStrings(report, make) as Report;
}

function replaceStrings(value: unknown, make: (where: string) => string, key = '', parentKey = ''): unknown {
  if (typeof value === 'string') {
    const keep = ENUMS.has(key) || (key === 'type' && parentKey === 'where') || key === 'digest' || key === 'signal' || (key === '' && parentKey === 'actions');
    return keep ? value : make(`${parentKey}.${key}`);
  }
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, make, '', key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, replaceStrings(item, make, name, key)]));
  }
  return value;
}

const TAGS = new Set(['h2', 'h3', 'h4', 'p', 'ul', 'li', 'strong', 'em', 'code', 'pre', 'blockquote', 'details', 'summary']);

/** No tag but the ones the renderer writes, no attribute but a code block's language, no link, no mention. */
function expectSafeHtml(page: string): void {
  expect(page).not.toMatch(/<script|<img|<iframe|<a[\s>]|<svg|<style|<input/i);
  const tags = [...page.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)];
  for (const [tag, name, attributes] of tags) {
    expect(TAGS.has(name!.toLowerCase()), tag).toBe(true);
    if (attributes!.trim() !== '') expect(tag).toMatch(/^<code class="language-(diff|hcl|sh|mermaid)">$/);
    expect(tag).not.toMatch(/\son\w+\s*=|javascript:/i);
  }
  // GitHub links @mentions and #references in text, never inside code.
  const text = page.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, '');
  expect(text).not.toMatch(/@[\w-]/);
  expect(text).not.toMatch(/(^|[^&])#\d/);
  expect(page.match(/<details>/g)?.length ?? 0).toBe(page.match(/<\/details>/g)?.length ?? 0);
}

/** The sequence of tags, code spans aside: what the Markdown's structure became. */
function skeleton(page: string): string[] {
  return [...page.matchAll(/<\/?([a-z][\w-]*)[^>]*>/g)].map((match) => match[0]).filter((tag) => !/^<\/?code>$/.test(tag));
}

function mermaidOf(markdown: string): string {
  return /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1] ?? '';
}

describe('markdown: untrusted text', () => {
  const hostile = hostileReport((where) => `${where} ${EVIL}`);
  const benign = hostileReport((where) => where.replace(/[^a-z]/g, 'x'));
  const markdown = renderMarkdown(hostile, { marker: '<!-- tfguard -->' });
  const page = html(markdown);

  it('every hostile string is shown, inert: no tag, attribute, link, image, mention or reference from it', () => {
    expectSafeHtml(page);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&amp;lt;script&amp;gt;');
  });

  it('cannot change the structure: the same tags as with plain strings, one heading per section, fences and <details> intact', () => {
    expect(skeleton(page)).toEqual(skeleton(html(renderMarkdown(benign, { marker: '<!-- tfguard -->' }))));
  });

  it('writes no unsafe character: controls, bidi and zero-width characters are shown as \\uXXXX', () => {
    expect(markdown.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
    expect(markdown).toContain('\\\\u202e');
    expect(markdown).toContain('\\u202e');
  });

  it('the marker comes first; no line starts raw HTML but the renderer\'s own, or a workflow command', () => {
    expect(markdown.startsWith('<!-- tfguard -->\n')).toBe(true);
    for (const line of markdown.split('\n')) {
      if (line.startsWith('<')) expect(line).toMatch(/^(<!-- tfguard -->|<details><summary>[\w ,-]+<\/summary>|<\/details>)$/);
      expect(line).not.toMatch(/^\s*(::|##\[)/);
      expect(line).not.toContain('##[');
    }
  });

  it('Mermaid labels hold only letters, digits, plain marks and #NNN; codes: nothing ends the quotes or starts a directive', () => {
    const diagram = mermaidOf(markdown);
    expect(diagram).not.toBe('');
    for (const line of diagram.split('\n')) {
      expect(line).toMatch(/^(flowchart TB|  classDef \w+ [\w:#,]+|  n\d+\["[A-Za-z0-9 ._:/#;-]*(<br\/>[A-Za-z0-9 ._:/#;-]*)?"\]:::\w+|  n\d+ (-->|~~~) n\d+)$/);
    }
    expect(diagram).not.toContain('%%');
  });

  it('the commands a reviewer pastes quote every untrusted word for the shell', () => {
    // Soft-mandatory findings only, so the steps hold the tfguard approve command.
    const hostile = hostileReport((where) => `${where} ${EVIL}`, 'environment-recreation.report.json');
    const markdown = renderMarkdown(hostile);
    const commands = /```sh\n([\s\S]*?)\n```/.exec(markdown)![1]!.split('\n');
    // The same words through a real shell: printf shows what tfguard would be given.
    const words = spawnSync('sh', ['-c', commands[0]!.replace(/^tfguard approve /, "printf '%s\\n' ")], { encoding: 'utf8' });
    expect(words.status).toBe(0);
    expect(words.stdout.split('\n').slice(0, 5)).toEqual([terminalSafe(hostile.plan.source), '--as=YOUR-APPROVER-ID', '--key', `${process.env.HOME}/.ssh/id_ed25519`, `--environment=${terminalSafe(hostile.policy.environment!)}`]);
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('markdownSafe: Markdown and HTML inert, the text kept', () => {
    expect(markdownSafe('<b>x</b> & "y"')).toBe('&lt;b&gt;x&lt;\\/b&gt; &amp; &quot;y&quot;');
    expect(markdownSafe('@org/team @@x #1')).toBe('`@`org\\/team `@@`x `#`1');
    expect(markdownSafe('  lead and trail ')).toBe('&#32;&#32;lead and trail&#32;');
    expect(markdownSafe('a\nb')).toBe('a\\\\u000ab');
    expect(html(markdownSafe('`@`x'))).toBe('<p>`<code>@</code>`x</p>\n');
    for (const payload of PAYLOADS) expectSafeHtml(html(`- ${markdownSafe(payload)}`));
  });

  it('markdownCode: a fence longer than any backtick run inside; in tables a pipe cannot end the cell', () => {
    expect(markdownCode('a')).toBe('`a`');
    expect(markdownCode('a ``` b')).toBe('````a ``` b````');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    expect(html(markdownCode('`x`'))).toBe('<p><code>`x`</code></p>\n');
    expect(html(markdownCode('<!-- x --> </details>'))).toBe('<p><code>&lt;!-- x --&gt; &lt;/details&gt;</code></p>\n');
    const table = `| a | b |\n| --- | --- |\n| ${markdownCode('x | y', { inTable: true })} | z |\n`;
    expect(html(table)).toContain('<td><code>x | y</code></td>\n<td>z</td>');
    expect(markdownCodeBlock('a\n````\nb', 'diff')).toBe('`````diff\na\n````\nb\n`````\n');
    expect(markdownCodeBlock('x\r\u202e')).toBe('```\nx\\u000d\\u202e\n```\n');
  });
});

// ---------------------------------------------------------------------------------------------

/** A report with `blocking` blocking findings (replaces with diffs) and `warnings` warnings. */
function manyFindings(blocking: number, warnings: number): Report {
  const report = load('environment-recreation.report.json');
  const replace = report.changes.find((change) => change.address === 'aws_db_instance.main')!;
  const remove = report.changes.find((change) => change.address === 'aws_iam_role.app')!;
  const blockingFinding = report.findings.find((finding) => finding.address === 'aws_db_instance.main')!;
  const warning = report.findings.find((finding) => finding.address === 'aws_iam_role.app')!;
  report.changes = [];
  report.findings = [];
  for (let index = 0; index < blocking; index += 1) {
    report.changes.push({ ...replace, address: `aws_db_instance.db_${index}` });
    report.findings.push({ ...blockingFinding, address: `aws_db_instance.db_${index}`, change_index: report.changes.length - 1 });
  }
  for (let index = 0; index < warnings; index += 1) {
    report.changes.push({ ...remove, address: `aws_iam_role.role_${index}` });
    report.findings.push({ ...warning, address: `aws_iam_role.role_${index}`, change_index: report.changes.length - 1 });
  }
  report.summary = { ...report.summary, blocking, warnings, destructive: blocking + warnings };
  return report;
}

const shownBlocking = (markdown: string): number => markdown.match(/^#### `aws_db_instance\.db_\d+`/gm)?.length ?? 0;

describe('markdown: cut to fit', () => {
  it('never exceeds maxLength, blocking findings first, and says what was cut and where the full report is', () => {
    const report = manyFindings(3000, 3000);
    const markdown = renderMarkdown(report, { maxLength: 65_536, reportLocation: 'the job summary', marker: '<!-- tfguard -->' });
    expect(bytes(markdown)).toBeLessThanOrEqual(65_536);
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    expect(markdown.startsWith('<!-- tfguard -->\n\n## ⛔ tfguard: blocked, 3000 blocking findings (exit 1)')).toBe(true);
    const shown = shownBlocking(markdown);
    expect(shown).toBeGreaterThan(20);
    expect(markdown).toContain(`> ✂️ **Shortened to fit:** not shown here are ${3000 - shown} of 3000 blocking findings`);
    expect(markdown).toContain('3000 of 3000 warnings');
    expect(markdown).toContain('The full report is in the job summary.');
    // Blocking findings crowd out everything else, never the reviewer's steps.
    expect(markdown).not.toContain('### ⚠️ What warns');
    expect(markdown).toContain('### 👉 What a reviewer must do');
    expect(markdown).toContain(`*… and ${3000 - shown} more blocking findings, not shown here.*`);
    expectSafeHtml(html(markdown));
  });

  it('keeps every blocking finding when they fit, then warnings, cutting the warnings', () => {
    const markdown = renderMarkdown(manyFindings(5, 5000), { maxLength: 30_000, reportLocation: 'report.json' });
    expect(bytes(markdown)).toBeLessThanOrEqual(30_000);
    expect(shownBlocking(markdown)).toBe(5);
    expect(markdown).toContain('### ⚠️ What warns (5000)');
    const warnings = markdown.match(/^- \*\*`aws_iam_role\.role_\d+`/gm)?.length ?? 0;
    expect(warnings).toBeGreaterThan(10);
    expect(markdown).toContain(`${5000 - warnings} of 5000 warnings`);
    expect(markdown).toContain('The full report is in report\\.json.');
  });

  it('drops the attribute diffs before any blocking finding', () => {
    const report = manyFindings(40, 0);
    const whole = renderMarkdown(report);
    const diffs = whole.match(/\*\*Attribute changes[^\n]*\n\n```diff\n[^`]*```\n\n/g)!;
    expect(diffs).toHaveLength(40);
    const markdown = renderMarkdown(report, { maxLength: bytes(whole) - bytes(diffs.join('')) / 2 });
    expect(shownBlocking(markdown)).toBe(40);
    // The diagram goes first, then diffs, from the end.
    expect(markdown).toMatch(/not shown here are \d+ of 40 attribute diffs, the blast-radius diagram/);
    expect(markdown.indexOf('```diff')).toBeGreaterThan(0);
  });

  it('writes the whole report when it fits, with no notice', () => {
    const report = load('environment-recreation.report.json');
    expect(renderMarkdown(report, { maxLength: 65_536 })).toBe(renderMarkdown(report));
  });

  it.each([0, 1, 10, 60, 200, 1000, 2500, 5000, 12_345, 40_000])('stays within maxLength %i, whatever the report', (maxLength) => {
    for (const report of [manyFindings(300, 300), hostileReport((where) => `${where} ${EVIL}`), load('environment-recreation.report.json')]) {
      const markdown = renderMarkdown(report, { maxLength, reportLocation: 'the job summary', marker: '<!-- tfguard -->' });
      expect(bytes(markdown)).toBeLessThanOrEqual(maxLength);
      if (markdown.length > 0) expect(markdown.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
    }
  });

  it('reads only what it writes: a report with 200,000 findings cut to a comment is quick', () => {
    const markdown = renderMarkdown(manyFindings(100_000, 100_000), { maxLength: 65_536 });
    expect(bytes(markdown)).toBeLessThanOrEqual(65_536);
    expect(markdown).toContain('of 100000 blocking findings');
  });
});

describe('markdown: sensitive values', () => {
  it('no value marked sensitive in the plan reaches the Markdown', async () => {
    expect(readFileSync(plan('sensitive-values'), 'utf8')).toContain('s3cr3t-DO-NOT-PRINT-7f3a');
    for (const name of ['sensitive-values', 'sensitive-replace']) {
      const { report } = await runCheck({ plan: plan(name), policy: [], provenance: 'ai', collectProvenance: false });
      for (const markdown of [renderMarkdown(report), renderMarkdown(blockEverything(report))]) {
        expect(markdown).not.toContain('s3cr3t');
      }
      // Made blocking, the replace shows its attribute diff: the secret is there as (sensitive).
      expect(renderMarkdown(blockEverything(report))).toMatch(/```diff\n[\s\S]*- input = \(sensitive\)\n\+ input = \(sensitive\)\n/);
    }
  });
});

/** The same report with every warning made a blocking finding, so each replace shows its diff. */
function blockEverything(report: Report): Report {
  return { ...report, verdict: 'block', exit_code: 1, findings: report.findings.map((finding) => ({ ...finding, effect: 'block', enforcement: 'soft-mandatory', approvals_required: 1 })) };
}
