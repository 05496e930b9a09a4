import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitRenderer, xmlAttribute, xmlText } from '../../../src/render/junit.js';
import { PLAIN } from '../../../src/render/palette.js';
import { renderToString } from '../../../src/render/renderer.js';
import type { Report, ReportFinding } from '../../../src/report/report.js';
import { terminalSafe, UNSAFE_CHARACTERS } from '../../../src/shared/escape.js';
import { ROOT } from '../../helpers/paths.js';

const GOLDEN = join(ROOT, 'test', 'golden');
const reportNames = readdirSync(GOLDEN).filter((name) => name.endsWith('.report.json')).sort().map((name) => name.replace(/\.report\.json$/, ''));
const loadReport = (name: string): Report => JSON.parse(readFileSync(join(GOLDEN, `${name}.report.json`), 'utf8')) as Report;
const render = (report: Report): string => renderToString(junitRenderer, report, { palette: PLAIN });

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/**
 * A small, strict XML 1.0 reader for what the renderer writes: the declaration, elements,
 * double-quoted attributes, text and the predefined or numeric entity references. Anything else
 * (a character XML 1.0 cannot hold, a raw `<` or `&`, `]]>` in text, a raw tab or line break in an
 * attribute, CDATA, comments, a mismatched or duplicate name) is an error, not a guess.
 */
function parseXml(xml: string): XmlElement {
  const illegal = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(xml);
  if (illegal) throw new Error(`character U+${illegal[0].codePointAt(0)!.toString(16)} is not allowed in XML 1.0 at ${illegal.index}`);
  const declaration = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!xml.startsWith(declaration)) throw new Error('no XML declaration');
  let at = declaration.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
  };
  const decode = (raw: string): string => {
    if (raw.includes(']]>')) fail('`]]>` in text');
    return raw.replace(/&([^;]*);?/g, (match, name: string) => {
      if (!match.endsWith(';')) fail('an unterminated entity reference');
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (named[name] !== undefined) return named[name]!;
      const numeric = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(name);
      if (!numeric) fail(`unknown entity &${name};`);
      return String.fromCodePoint(numeric![1] !== undefined ? parseInt(numeric![1], 16) : Number(numeric![2]));
    });
  };
  while (at < xml.length) {
    const next = xml.indexOf('<', at);
    const raw = next < 0 ? xml.slice(at) : xml.slice(at, next);
    if (raw !== '') {
      if (stack.length === 0) {
        if (raw.trim() !== '') fail('text outside the root element');
      } else stack[stack.length - 1]!.text += decode(raw);
    }
    if (next < 0) break;
    at = next;
    if (xml.startsWith('</', at)) {
      const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(xml.slice(at));
      if (!close) fail('a malformed end tag');
      const open = stack.pop();
      if (!open || open.name !== close![1]) fail(`</${close![1]}> closes <${open?.name}>`);
      at += close![0].length;
      continue;
    }
    const tag = /^<([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(at));
    if (!tag) fail('a malformed start tag (comments, CDATA and processing instructions are not expected)');
    const element: XmlElement = { name: tag![1]!, attributes: {}, children: [], text: '' };
    for (const [, name, value] of tag![2]!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (name! in element.attributes) fail(`a duplicate attribute ${name}`);
      if (/[\t\n\r]/.test(value!)) fail('a raw tab or line break in an attribute (a parser would turn it into a space)');
      element.attributes[name!] = decode(value!);
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
    else if (root) fail('a second root element');
    else root = element;
    if (tag![3] !== '/') stack.push(element);
    at += tag![0].length;
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) fail('no root element');
  return root!;
}

const children = (element: XmlElement, name: string): XmlElement[] => element.children.filter((child) => child.name === name);
const count = (element: XmlElement, name: string): number => Number(element.attributes[name]);

describe('the strict XML checker', () => {
  it('refuses what an XML parser would refuse or misread', () => {
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
    expect(parseXml(`${head}<a b="&lt;&#x41;&#66;"><c/>t&amp;</a>\n`)).toEqual({ name: 'a', attributes: { b: '<AB' }, children: [{ name: 'c', attributes: {}, children: [], text: '' }], text: 't&' });
    for (const bad of ['<a>x</b>', '<a>&nope;</a>', '<a>a & b</a>', '<a>]]></a>', '<a>\u0001</a>', '<a>\ufffe</a>', '<a>\ud800</a>', '<a b="1" b="2"/>', '<a b="x\ny"/>', '<a/><b/>', '<a><![CDATA[x]]></a>', '<a>']) {
      expect(() => parseXml(`${head}${bad}`), bad).toThrow();
    }
  });
});

describe('JUnit renderer', () => {
  describe.each(reportNames)('%s', (name) => {
    const report = loadReport(name);
    const rendered = render(report);
    const root = parseXml(rendered);
    const suites = children(root, 'testsuite');

    it('matches its golden file byte for byte', () => {
      const goldenPath = join(GOLDEN, `${name}.xml`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, rendered);
      expect(rendered).toBe(readFileSync(goldenPath, 'utf8'));
    });

    it('is well-formed XML with nothing raw but its own line breaks', () => {
      expect(root.name).toBe('testsuites');
      expect(rendered.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
    });

    it('has a suite per rule and counts that add up', () => {
      const ruleSuites = suites.filter((suite) => suite.attributes.name !== 'plan');
      expect(ruleSuites.map((suite) => suite.attributes.name)).toEqual(report.rules.map((rule) => rule.name));
      for (const key of ['tests', 'failures', 'errors', 'skipped']) {
        expect(count(root, key)).toBe(suites.reduce((sum, suite) => sum + count(suite, key), 0));
      }
      for (const suite of suites) {
        const cases = children(suite, 'testcase');
        expect(count(suite, 'tests')).toBe(cases.length);
        expect(count(suite, 'failures')).toBe(cases.filter((item) => children(item, 'failure').length === 1).length);
        expect(count(suite, 'errors')).toBe(cases.filter((item) => children(item, 'error').length === 1).length);
        expect(count(suite, 'skipped')).toBe(cases.filter((item) => children(item, 'skipped').length === 1).length);
        for (const item of cases) expect(item.attributes.classname).toBe(suite.attributes.name);
      }
    });

    it('has one case per rule and resource, failing exactly for blocking findings nobody approved', () => {
      const groups = new Map<string, ReportFinding[]>();
      for (const finding of report.findings) {
        const key = JSON.stringify([finding.rule, caseName(finding)]);
        groups.set(key, [...(groups.get(key) ?? []), finding]);
      }
      const cases = suites.filter((suite) => suite.attributes.name !== 'plan').flatMap((suite) => children(suite, 'testcase')).filter((item) => item.attributes.name !== 'rule disabled');
      expect(cases.map((item) => JSON.stringify([item.attributes.classname, item.attributes.name])).sort()).toEqual([...groups.keys()].sort());
      for (const item of cases) {
        const findings = groups.get(JSON.stringify([item.attributes.classname, item.attributes.name]))!;
        const blocking = findings.some((finding) => finding.effect === 'block' && !finding.approved);
        expect(children(item, 'failure')).toHaveLength(blocking ? 1 : 0);
        if (blocking) {
          const [failure] = children(item, 'failure');
          expect(failure!.attributes.message).toBe(findings[0]!.message);
          expect(failure!.attributes.type).toBe(findings[0]!.enforcement);
          expect(failure!.text).toContain('to pass: ');
        } else {
          expect(children(item, 'system-out')[0]!.text).toMatch(/^(warning \(advisory, does not block\)|approved by )/);
        }
      }
    });

    it('fails the report exactly when the verdict blocks, and errors when the plan errored', () => {
      expect(count(root, 'failures') > 0).toBe(report.verdict === 'block');
      expect(count(root, 'errors') > 0).toBe(report.verdict === 'error');
    });
  });

  it('writes the failure with its why and what would clear it', () => {
    const root = parseXml(render(loadReport('environment-recreation')));
    const stateful = children(root, 'testsuite').find((suite) => suite.attributes.name === 'stateful-destroy')!;
    expect(count(stateful, 'tests')).toBe(6);
    expect(count(stateful, 'failures')).toBe(6);
    const db = children(stateful, 'testcase').find((item) => item.attributes.name === 'aws_db_instance.main')!;
    expect(children(db, 'failure')[0]!.text.split('\n')).toEqual([
      'Destroys a resource that holds data or durable identity',
      'change: replace, old object destroyed first · aws_db_instance (database, critical) · actions delete, create',
      'holds: RDS DB instance: destroying it deletes the database and, without a final snapshot, its data.',
      'why: an attribute that cannot be updated in place changed; changed: engine; engine forces a new resource',
      'to pass: Keep engine as it is: changing it forces a new aws_db_instance, which destroys the old one',
      "to pass: 1 senior approval of change set sha256:cc2c7252b00c1949601efe4ae7e1d8142f4a57906afc83b67dd33b7aafbf4807: a signed record, or an approving review of the pull request's head commit by a listed approver",
      '  run: tfguard approve examples/environment-recreation/plan.json --as=YOUR-APPROVER-ID --key ~/.ssh/id_ed25519',
    ]);
    const whole = children(root, 'testsuite').find((suite) => suite.attributes.name === 'whole-environment')!;
    expect(children(whole, 'testcase').map((item) => item.attributes.name)).toEqual(['whole environment']);
    const advisory = children(root, 'testsuite').find((suite) => suite.attributes.name === 'destructive')!;
    expect(count(advisory, 'tests')).toBe(3);
    expect(count(advisory, 'failures')).toBe(0);
    expect(children(root, 'testsuite').find((suite) => suite.attributes.name === 'stateful-forget')!.children.filter((child) => child.name === 'testcase')).toEqual([]);
  });

  it('a hard-mandatory failure says no approval clears it', () => {
    const root = parseXml(render(loadReport('strict-policy')));
    const whole = children(root, 'testsuite').find((suite) => suite.attributes.name === 'whole-environment')!;
    expect(children(children(whole, 'testcase')[0]!, 'failure')[0]!.text).toContain('to pass: A hard-mandatory rule: no approval can clear this; the plan must change');
  });

  it('without guidance in the report, says what clears a failure in brief', () => {
    const report = loadReport('strict-policy');
    for (const finding of report.findings) delete finding.guidance;
    const suites = children(parseXml(render(report)), 'testsuite');
    const failureOf = (rule: string) => children(children(suites.find((suite) => suite.attributes.name === rule)!, 'testcase')[0]!, 'failure')[0]!.text.split('\n').at(-1);
    expect(failureOf('whole-environment')).toBe('to pass: no approval clears a hard-mandatory rule; the plan must change');
    expect(failureOf('critical-data-destroy')).toMatch(/^to pass: needs 2 senior approvals of change set sha256:[0-9a-f]{64} \(a signed record, or an approving review of the pull request's head commit by a listed approver\), or the plan must change$/);
  });

  it('never lets a line of the XML read as a workflow command when it is printed in a log', () => {
    const report = loadReport('environment-recreation');
    for (const finding of report.findings) {
      if (finding.address !== null) finding.address = `${finding.address}["##[error]x"]`;
      finding.message = '::error file=a,line=1::pwned';
    }
    const rendered = render(report);
    expect(rendered).not.toContain('##[');
    expect(rendered).not.toMatch(/^\s*::/m);
    const db = children(children(parseXml(rendered), 'testsuite').find((suite) => suite.attributes.name === 'stateful-destroy')!, 'testcase')[1]!;
    expect(db.attributes.name).toBe('aws_db_instance.main["#\\u0023[error]x"]');
    expect(children(db, 'failure')[0]!.text.split('\n')[0]).toBe('\\u003a:error file=a,line=1::pwned');
  });

  it('lists every lowered protection of a resource in its one case, and a deposed object as its own case', () => {
    const downgrades = parseXml(render(loadReport('protection-downgrade')));
    const suite = children(downgrades, 'testsuite').find((item) => item.attributes.name === 'protection-downgrade')!;
    expect(children(suite, 'testcase').map((item) => item.attributes.name)).toEqual(['aws_db_instance.main', 'aws_s3_bucket.assets', 'google_sql_database_instance.main']);
    const text = children(children(suite, 'testcase')[0]!, 'failure')[0]!.text;
    expect(text).toContain('backup_retention_period: 7 → 0');
    expect(text).toContain('deletion_protection: true → false');
    expect(text).toContain('skip_final_snapshot: false → true');
    const deposed = parseXml(render(loadReport('deposed-and-imports')));
    const destructive = children(deposed, 'testsuite').find((item) => item.attributes.name === 'destructive')!;
    expect(children(destructive, 'testcase').map((item) => item.attributes.name)).toEqual(['terraform_data.db', 'terraform_data.db (deposed object 02c30912)']);
  });

  it('passes approved findings, naming who approved them', () => {
    const report = loadReport('environment-recreation');
    for (const finding of report.findings) {
      if (finding.effect === 'block') Object.assign(finding, { approved: true, approved_by: ['alice', 'bob'] });
    }
    const root = parseXml(render(report));
    expect(count(root, 'failures')).toBe(0);
    const db = children(children(root, 'testsuite').find((suite) => suite.attributes.name === 'stateful-destroy')!, 'testcase')[1]!;
    expect(children(db, 'system-out')[0]!.text.split('\n')[0]).toBe('approved by alice, bob (2 of 1 required)');
  });

  it('skips a disabled rule and shows an errored plan as an error', () => {
    const report = loadReport('errored-plan');
    report.rules.find((rule) => rule.name === 'stateful-forget')!.enabled = false;
    const root = parseXml(render(report));
    const forget = children(root, 'testsuite').find((suite) => suite.attributes.name === 'stateful-forget')!;
    expect(count(forget, 'skipped')).toBe(1);
    expect(children(children(forget, 'testcase')[0]!, 'skipped')[0]!.attributes.message).toBe('disabled by builtin:default');
    const plan = children(root, 'testsuite')[0]!;
    expect(plan.attributes).toMatchObject({ name: 'plan', errors: '1' });
    const error = children(children(plan, 'testcase')[0]!, 'error')[0]!;
    expect(error.attributes.message).toBe('the plan errored; an errored plan is never a pass');
    expect(error.text).toContain('The plan errored (errored: true)');
    expect(count(root, 'skipped')).toBe(1);
  });

  describe('hostile strings', () => {
    const HOSTILE = 'x"]]><script>&amp;\'</testcase>\u001b[2J\u0000\u0007\t\n\r\u202e\u2066\u200b\u0085\ufeff\ufffe\uffff\ud800x\udfff😀';
    const VISIBLE = 'x"]]><script>&amp;\'</testcase>\\u001b[2J\\u0000\\u0007\\u0009\\u000a\\u000d\\u202e\\u2066\\u200b\\u0085\\ufeff\\ufffe\\uffff\\ud800x\\udfff😀';
    const report = loadReport('environment-recreation');
    report.plan.source = HOSTILE;
    report.verdict = 'error';
    report.rules[2]!.name = `stateful-${HOSTILE}`;
    report.rules[2]!.description = HOSTILE;
    report.rules[2]!.source = HOSTILE;
    for (const finding of report.findings) {
      if (finding.rule === 'stateful-destroy') finding.rule = `stateful-${HOSTILE}`;
      if (finding.address !== null) finding.address = `${finding.address}["${HOSTILE}"]`;
      finding.message = `${finding.message} ${HOSTILE}`;
    }
    report.changes[1]!.why = HOSTILE;
    report.changes[1]!.dependents = [HOSTILE];
    report.plan.digest = HOSTILE;
    for (const finding of report.findings) {
      if (finding.guidance) finding.guidance = [{ action: 'approve', text: `1 senior approval of change set ${HOSTILE}`, command: `tfguard approve ${HOSTILE}` }];
    }
    const rendered = render(report);

    it('stays well-formed, and every untrusted string reads back as its visible form', () => {
      const root = parseXml(rendered);
      const suite = children(root, 'testsuite').find((item) => item.attributes.name!.startsWith('stateful-x'))!;
      expect(suite.attributes.name).toBe(`stateful-${VISIBLE}`);
      const properties = Object.fromEntries(children(children(suite, 'properties')[0]!, 'property').map((item) => [item.attributes.name, item.attributes.value]));
      expect(properties).toMatchObject({ description: VISIBLE, source: VISIBLE });
      const db = children(suite, 'testcase').find((item) => item.attributes.name === `aws_db_instance.main["${VISIBLE}"]`)!;
      expect(db.attributes.classname).toBe(`stateful-${VISIBLE}`);
      const failure = children(db, 'failure')[0]!;
      expect(failure.attributes.message).toBe(`Destroys a resource that holds data or durable identity ${VISIBLE}`);
      expect(failure.text).toContain(`holds: ${VISIBLE}\n`);
      expect(failure.text).toContain(`referred to by: ${VISIBLE}\n`);
      expect(failure.text).toContain(`to pass: 1 senior approval of change set ${VISIBLE}\n  run: tfguard approve ${VISIBLE}`);
      expect(children(children(root, 'testsuite')[0]!, 'testcase')[0]!.attributes.name).toBe(VISIBLE);
    });

    it('never writes markup, a CDATA end or a forbidden character raw', () => {
      expect(rendered).not.toContain(']]>');
      expect(rendered).not.toContain('<script>');
      expect(rendered).not.toContain('</testcase>\u001b');
      expect(rendered).not.toMatch(/[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(rendered.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
      expect(rendered).toContain('😀');
    });

    it('escapes text and attributes on their own', () => {
      expect(xmlText('a<b>&c"\'')).toBe('a&lt;b&gt;&amp;c"\'');
      expect(xmlAttribute('a<b>&c"\'')).toBe('a&lt;b&gt;&amp;c&quot;&apos;');
      expect(xmlText(']]>')).toBe(']]&gt;');
      expect(xmlAttribute('\t\n\r\u0000\ufffe\udc00')).toBe('\\u0009\\u000a\\u000d\\u0000\\ufffe\\udc00');
    });
  });
});

/** The case's name as it reads back (the golden reports hold only characters escape.ts makes visible). */
function caseName(finding: ReportFinding): string {
  if (finding.address === null) return 'whole environment';
  return terminalSafe(`${finding.address}${finding.deposed ? ` (deposed object ${finding.deposed})` : ''}`);
}
