import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepositoryRoot, locateResources, repositoryUri } from '../../../src/commands/locate-resources.js';
import { PLAIN } from '../../../src/render/palette.js';
import { renderToString } from '../../../src/render/renderer.js';
import { configurationAddressOf, FINGERPRINT_KEY, messageText, sarifRenderer, type SarifRenderOptions } from '../../../src/render/sarif.js';
import type { Report, ReportFinding } from '../../../src/report/report.js';
import { UNSAFE_CHARACTERS } from '../../../src/shared/escape.js';
import { ROOT } from '../../helpers/paths.js';

/**
 * The official SARIF 2.1.0 schema (draft-04) as @microsoft/jest-sarif ships it, checked with the
 * validator that package itself uses: ajv 6 with the draft-04 meta schema (ajv 8, the project's own,
 * no longer reads draft-04). Both are resolved from jest-sarif's own folder.
 */
interface Validator {
  (data: unknown): boolean;
  errors?: { dataPath?: string; message?: string }[] | null;
}
const fromJestSarif = createRequire(createRequire(import.meta.url).resolve('@microsoft/jest-sarif/package.json'));
const Ajv = fromJestSarif('ajv') as new (options: object) => { addMetaSchema(schema: object): void; compile(schema: object): Validator };
const SCHEMA_PATH = join(dirname(fromJestSarif.resolve('./package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $schema: string; id: string };
const ajv = new Ajv({ schemaId: 'auto', allErrors: true, validateSchema: false });
ajv.addMetaSchema(fromJestSarif('ajv/lib/refs/json-schema-draft-04.json') as object);
const validateSarif = ajv.compile(schema);

function schemaErrors(log: unknown): string[] {
  return validateSarif(log) ? [] : (validateSarif.errors ?? []).map((error) => `${error.dataPath ?? ''} ${error.message ?? ''}`);
}

const GOLDEN = join(ROOT, 'test', 'golden');
const reportNames = readdirSync(GOLDEN).filter((name) => name.endsWith('.report.json')).sort();
const loadReport = (name: string): Report => JSON.parse(readFileSync(join(GOLDEN, `${name}.report.json`), 'utf8')) as Report;
const render = (report: Report, options: Partial<SarifRenderOptions> = {}): string => renderToString(sarifRenderer, report, { palette: PLAIN, ...options } as SarifRenderOptions);
const parse = (text: string): Sarif.Log => JSON.parse(text) as Sarif.Log;
const runOf = (text: string): Sarif.Run => parse(text).runs[0]!;

describe('SARIF renderer', () => {
  it('validates against the schema it is checked with (the check is not vacuous)', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    expect(schema.id).toContain('sarif-2.1.0');
    const log = parse(render(loadReport('environment-recreation')));
    expect(schemaErrors(log)).toEqual([]);
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[]; version: string };
    broken.runs[0]!.results[0]!.level = 'fatal';
    expect(schemaErrors(broken).join('\n')).toMatch(/level|enum|allowed/);
    expect(schemaErrors({ ...log, version: '2.0.0' })).not.toEqual([]);
    expect(schemaErrors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).not.toEqual([]);
  });

  describe.each(reportNames.map((name) => name.replace(/\.report\.json$/, '')))('%s', (name) => {
    const report = loadReport(name);
    const rendered = render(report);

    it('is valid SARIF 2.1.0 by the official schema', () => {
      expect(schemaErrors(parse(rendered))).toEqual([]);
    });

    it('matches its golden file byte for byte', () => {
      const goldenPath = join(GOLDEN, `${name}.sarif`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, rendered);
      expect(rendered).toBe(readFileSync(goldenPath, 'utf8'));
    });

    it('writes nothing raw but its own line breaks', () => {
      expect(rendered.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
      expect(rendered.endsWith('}\n')).toBe(true);
    });

    it('has one result per finding, each pointing at its rule, and every rule of the report', () => {
      const run = runOf(rendered);
      expect(run.tool.driver.name).toBe('tfguard');
      expect(run.tool.driver.version).toBe(report.tool.version);
      expect(run.tool.driver.rules!.map((rule) => rule.id)).toEqual(report.rules.map((rule) => rule.name));
      expect(run.results).toHaveLength(report.findings.length);
      run.results!.forEach((result, index) => {
        const finding = report.findings[index]!;
        expect(result.ruleId).toBe(finding.rule);
        expect(run.tool.driver.rules![result.ruleIndex!]!.id).toBe(finding.rule);
        expect(result.level).toBe(finding.effect === 'block' ? 'error' : 'warning');
        expect(result.properties).toMatchObject({ address: finding.address, approved: finding.approved, approvals_required: finding.approvals_required, digest: report.plan.digest });
        // Nothing located without a locations map: the plan file, no region.
        expect(result.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: result.locations![0]!.physicalLocation!.artifactLocation!.uri } });
      });
      expect(run.invocations![0]!.exitCode).toBe(report.exit_code);
      expect(run.properties).toMatchObject({ verdict: report.verdict, digest: report.plan.digest });
    });
  });

  it('sets rule levels by enforcement: hard- and soft-mandatory are errors, advisory a warning', () => {
    const run = runOf(render(loadReport('strict-policy')));
    const levels = Object.fromEntries(run.tool.driver.rules!.map((rule) => [rule.id, [rule.properties!.enforcement, rule.defaultConfiguration!.level]]));
    expect(levels).toEqual({
      'critical-data-destroy': ['soft-mandatory', 'error'],
      destructive: ['advisory', 'warning'],
      'protection-downgrade': ['soft-mandatory', 'error'],
      'stateful-destroy': ['soft-mandatory', 'error'],
      'stateful-forget': ['soft-mandatory', 'error'],
      'whole-environment': ['hard-mandatory', 'error'],
    });
    const wholeEnvironment = run.tool.driver.rules!.find((rule) => rule.id === 'whole-environment')!;
    expect(wholeEnvironment.help!.text).toContain('no approval clears it');
    expect(wholeEnvironment.properties!.tags).toEqual(['terraform', 'tfguard', 'hard-mandatory']);
    expect(wholeEnvironment.shortDescription!.text.length).toBeLessThanOrEqual(wholeEnvironment.fullDescription!.text.length);
    const result = run.results!.find((item) => item.ruleId === 'whole-environment')!;
    expect(result.message.text).toContain('To pass: A hard-mandatory rule: no approval can clear this; the plan must change.');
    expect(runOf(render(loadReport('environment-recreation'))).results!.find((item) => item.ruleId === 'whole-environment')!.message.text).toMatch(/To pass: 2 senior approvals of change set sha256:[0-9a-f]{64}: a signed record/);
  });

  it('says what clears a finding from the report\'s guidance, and without guidance in brief', () => {
    const report = loadReport('environment-recreation');
    const db = runOf(render(report)).results!.find((item) => item.properties!.address === 'aws_db_instance.main')!;
    expect(db.message.text).toContain('To pass: Keep engine as it is: changing it forces a new aws_db_instance, which destroys the old one; or 1 senior approval of change set');
    expect(db.properties!.guidance).toEqual(report.findings.find((finding) => finding.address === 'aws_db_instance.main')!.guidance);
    for (const finding of report.findings) delete finding.guidance;
    const brief = runOf(render(report)).results!.find((item) => item.properties!.address === 'aws_db_instance.main')!;
    expect(brief.message.text).toMatch(/Blocks: needs 1 senior approval of change set sha256:[0-9a-f]{64}, or the plan must change\.$/);
    expect(brief.properties).not.toHaveProperty('guidance');
  });

  it('never lets an address read as a workflow command when the SARIF is printed in a log', () => {
    const report = loadReport('safe-change');
    report.findings[0]!.address = 'aws_s3_bucket.b["##[warning]x::error::y"]';
    report.findings[0]!.message = '::error file=a::pwned';
    const rendered = render(report);
    expect(rendered).not.toContain('##[');
    expect(rendered).not.toMatch(/^\s*::/m);
    expect(runOf(rendered).results![0]!.properties!.address).toBe(report.findings[0]!.address);
    expect(schemaErrors(parse(rendered))).toEqual([]);
  });

  it('a disabled rule keeps its descriptor, disabled', () => {
    const report = loadReport('safe-change');
    report.rules[1]!.enabled = false;
    const log = parse(render(report));
    expect(log.runs[0]!.tool.driver.rules![1]!.defaultConfiguration!.enabled).toBe(false);
    expect(schemaErrors(log)).toEqual([]);
  });

  it('an approved finding is a note with an accepted suppression naming its approvers', () => {
    const report = loadReport('environment-recreation');
    for (const finding of report.findings) {
      if (finding.effect !== 'block') continue;
      finding.approved = true;
      finding.approved_by = ['alice', 'bob'];
    }
    const log = parse(render(report));
    expect(schemaErrors(log)).toEqual([]);
    const approved = log.runs[0]!.results!.filter((result) => result.properties!.approved === true);
    expect(approved).toHaveLength(7);
    for (const result of approved) {
      expect(result.level).toBe('note');
      expect(result.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'Approved by alice, bob' }]);
      expect(result.message.text).toContain('Approved by alice, bob.');
    }
    expect(log.runs[0]!.results!.filter((result) => result.level === 'warning')).toHaveLength(3);
  });

  describe('fingerprints', () => {
    const fingerprints = (report: Report): string[] => runOf(render(report)).results!.map((result) => result.partialFingerprints![FINGERPRINT_KEY]!);

    it('are the same on every run and unique within a run, deposed objects and attributes included', () => {
      for (const name of ['environment-recreation', 'deposed-and-imports', 'protection-downgrade']) {
        const report = loadReport(name);
        const first = fingerprints(report);
        expect(fingerprints(loadReport(name))).toEqual(first);
        expect(new Set(first).size).toBe(first.length);
        for (const fingerprint of first) expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
      }
    });

    it('depend on rule, address, deposed object and attribute only, not on order, message, digest or approval', () => {
      const report = loadReport('protection-downgrade');
      const before = new Map(report.findings.map((finding, index) => [key(finding), fingerprints(report)[index]!]));
      const changed = structuredClone(report);
      changed.findings.reverse();
      changed.plan.digest = 'sha256:0000';
      for (const finding of changed.findings) {
        finding.message = 'reworded';
        finding.approved = true;
        finding.approved_by = ['carol'];
      }
      fingerprints(changed).forEach((fingerprint, index) => expect(fingerprint).toBe(before.get(key(changed.findings[index]!))));
      const renamed = structuredClone(report);
      renamed.findings[0]!.address = 'aws_db_instance.other';
      expect(fingerprints(renamed)[0]).not.toBe(fingerprints(report)[0]);
    });
  });

  it('escapes square brackets in message text, so an address cannot become an embedded link', () => {
    expect(messageText('a["x](1)"] \\[')).toBe('a\\["x\\](1)"\\] \\\\\\[');
    expect(messageText('no brackets \\ here')).toBe('no brackets \\ here');
    const report = loadReport('safe-change');
    report.findings[0]!.address = 'aws_s3_bucket.b["x](1) [y](https://evil.example)"]';
    const result = runOf(render(report)).results![0]!;
    expect(result.message.text).toContain('aws_s3_bucket.b\\["x\\](1) \\[y\\](https://evil.example)"\\]');
    expect(result.message.text).not.toMatch(/(^|[^\\])\[[^\]]*(^|[^\\])\]\(/);
    expect(result.properties!.address).toBe(report.findings[0]!.address);
  });

  it('keeps hostile plan text escaped and the plan URI a valid relative reference', () => {
    const rendered = render(loadReport('hostile-strings'));
    const run = runOf(rendered);
    expect(run.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('plan%1B%5B2J%07%E2%80%AE%E2%81%A6%E2%80%8B%C2%9B%7F.json');
    expect(rendered).toContain('\\u001b[2J\\u0007\\u202e\\u2066\\u200b\\u009b\\u007f');
    expect(run.results![1]!.properties!.address).toBe('aws_cloudwatch_log_group.api["\u001b[2J\u0007\u202e\u2066\u200b\u009b\u007f"]');
  });

  it('takes the plan URI from the options and stdin as an encoded name', () => {
    const report = loadReport('safe-change');
    const uri = (options: Partial<SarifRenderOptions>) => runOf(render(report, options)).results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri;
    expect(uri({})).toBe('examples/safe-change/plan.json');
    expect(uri({ sarifPlanUri: 'infra/plan.json' })).toBe('infra/plan.json');
    report.plan.source = '<stdin>';
    expect(uri({})).toBe('%3Cstdin%3E');
    const log = parse(render(report, { sarifInformationUri: 'https://example.com/tfguard' }));
    expect(log.runs[0]!.tool.driver.informationUri).toBe('https://example.com/tfguard');
    expect(schemaErrors(log)).toEqual([]);
  });

  it('writes a large report in pieces that join to the same document', () => {
    const report = loadReport('environment-recreation');
    const template = report.findings[1]!;
    report.findings = Array.from({ length: 3000 }, (_, index): ReportFinding => ({ ...template, address: `aws_db_instance.n${index}` }));
    const pieces = [...sarifRenderer.render(report, { palette: PLAIN })];
    expect(pieces.length).toBeGreaterThan(3000);
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(20_000);
    const log = parse(pieces.join(''));
    expect(log.runs[0]!.results).toHaveLength(3000);
    expect(schemaErrors(log)).toEqual([]);
    const empty = loadReport('environment-recreation');
    empty.findings = [];
    expect(runOf(render(empty)).results).toEqual([]);
  });

  it('reads configuration addresses out of instance addresses', () => {
    expect(configurationAddressOf('aws_db_instance.main')).toBe('aws_db_instance.main');
    expect(configurationAddressOf('aws_db_instance.main[0]')).toBe('aws_db_instance.main');
    expect(configurationAddressOf('module.a["x"].module.b[2].aws_db_instance.main["k"]')).toBe('module.a.module.b.aws_db_instance.main');
    expect(configurationAddressOf('data.aws_iam_policy.p["a.b"]')).toBe('data.aws_iam_policy.p');
    expect(configurationAddressOf('aws_s3_bucket.b["]\\"[.x"]')).toBe('aws_s3_bucket.b');
    expect(configurationAddressOf('module.m["\u001b]"].aws_sqs_queue.q')).toBe('module.m.aws_sqs_queue.q');
  });
});

describe('locating resources in the checkout', () => {
  const repo = mkdtempSync(join(tmpdir(), 'tfguard-sarif-'));
  afterAll(() => rmSync(repo, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  mkdirSync(join(repo, '.git'));
  write('infra/prod/main.tf', [
    '# resource "aws_kms_key" "data" { (a comment, not the block)',
    '/* resource "aws_kms_key" "data" {',
    '*/',
    'locals {',
    '  policy = <<-EOT',
    '    resource "aws_kms_key" "data" {',
    '  EOT',
    '  text = "${jsonencode({ a = "}" })} { {"',
    '}',
    '',
    'resource "aws_db_instance" "main" {',
    '  engine = "postgres"',
    '  lifecycle {',
    '    prevent_destroy = false',
    '  }',
    '}',
    '',
    'resource "aws_kms_key" "data" {',
    '  description = "resource \\"aws_sqs_queue\\" \\"jobs\\" {"',
    '}',
    '',
    'module "storage" {',
    '  source   = "../modules/storage"',
    '  for_each = toset(["a", "b"])',
    '}',
    '',
    'module "remote" {',
    '  source = "terraform-aws-modules/s3-bucket/aws"',
    '}',
    '',
    'data "aws_iam_policy_document" "p" {',
    '}',
  ].join('\n'));
  write('infra/prod/queues.tf', 'resource aws_sqs_queue jobs {\r\n}\r\n');
  write('infra/prod/main_override.tf', 'resource "aws_db_instance" "main" {\n  engine = "mysql"\n}\n');
  write('infra/prod/ignored.tf.json', '{"resource": {"aws_ebs_volume": {"cache": {}}}}');
  write('infra/modules/storage/buckets.tf', '\n\nresource "aws_s3_bucket" "assets" {\n  bucket = "x"\n}\n\nmodule "inner" {\n  source = "./inner"\n}\n');
  write('infra/modules/storage/inner/main.tf', 'resource "aws_ebs_volume" "cache" {\n}\n');

  const addresses = [
    'aws_db_instance.main',
    'aws_kms_key.data',
    'aws_sqs_queue.jobs',
    'module.storage["a"].aws_s3_bucket.assets',
    'module.storage["b"].aws_s3_bucket.assets',
    'module.storage["a"].module.inner.aws_ebs_volume.cache',
    'module.remote.aws_s3_bucket.this[0]',
    'data.aws_iam_policy_document.p',
    'aws_ebs_volume.cache',
    'aws_lambda_function.api',
  ];

  it('finds each resource block by its configuration address, URIs relative to the repository root', () => {
    const locations = locateResources(join(repo, 'infra', 'prod'), addresses);
    expect(Object.fromEntries(locations)).toEqual({
      'aws_db_instance.main': { uri: 'infra/prod/main.tf', line: 11 },
      'aws_kms_key.data': { uri: 'infra/prod/main.tf', line: 18 },
      'aws_sqs_queue.jobs': { uri: 'infra/prod/queues.tf', line: 1 },
      'module.storage.aws_s3_bucket.assets': { uri: 'infra/modules/storage/buckets.tf', line: 3 },
      'module.storage.module.inner.aws_ebs_volume.cache': { uri: 'infra/modules/storage/inner/main.tf', line: 1 },
      'data.aws_iam_policy_document.p': { uri: 'infra/prod/main.tf', line: 31 },
    });
  });

  it('takes another root when given, leaves out what lies outside it, and survives a missing folder', () => {
    expect(locateResources(join(repo, 'infra', 'prod'), ['aws_sqs_queue.jobs'], { root: join(repo, 'infra') }).get('aws_sqs_queue.jobs')).toEqual({ uri: 'prod/queues.tf', line: 1 });
    expect(locateResources(join(repo, 'infra', 'prod'), ['module.storage["a"].aws_s3_bucket.assets'], { root: join(repo, 'infra', 'prod') }).size).toBe(0);
    expect(locateResources(join(repo, 'nowhere'), addresses).size).toBe(0);
    expect(findRepositoryRoot(join(repo, 'infra', 'prod'))).toBe(repo);
    expect(repositoryUri(repo, join(repo, 'a dir', 'x#1.tf'))).toBe('a%20dir/x%231.tf');
    expect(repositoryUri(repo, join(repo, '..', 'x.tf'))).toBeUndefined();
  });

  it('puts located results in their .tf file and line, and the rest on the plan file', () => {
    const report = loadReport('environment-recreation');
    const sarifLocations = locateResources(join(repo, 'infra', 'prod'), report.findings.flatMap((finding) => (finding.address === null ? [] : [finding.address])));
    const log = parse(render(report, { sarifLocations, sarifPlanUri: 'infra/prod/plan.json' }));
    expect(schemaErrors(log)).toEqual([]);
    const where = Object.fromEntries(log.runs[0]!.results!.map((result) => [result.properties!.address ?? 'whole environment', result.locations![0]!.physicalLocation]));
    expect(where['aws_db_instance.main']).toEqual({ artifactLocation: { uri: 'infra/prod/main.tf' }, region: { startLine: 11 } });
    expect(where['aws_sqs_queue.jobs']).toEqual({ artifactLocation: { uri: 'infra/prod/queues.tf' }, region: { startLine: 1 } });
    expect(where['aws_lambda_function.api']).toEqual({ artifactLocation: { uri: 'infra/prod/plan.json' } });
    expect(where['whole environment']).toEqual({ artifactLocation: { uri: 'infra/prod/plan.json' } });
    expect(log.runs[0]!.results!.find((result) => result.properties!.address === 'aws_db_instance.main')!.locations![0]!.logicalLocations).toEqual([{ fullyQualifiedName: 'aws_db_instance.main', kind: 'resource' }]);
  });
});

function key(finding: ReportFinding): string {
  return JSON.stringify([finding.rule, finding.address, finding.deposed, finding.attribute]);
}
