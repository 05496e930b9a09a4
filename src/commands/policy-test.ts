import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Verdict } from '../analysis/verdict.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { POLICY_TEST_BLOCKS } from '../policy/blocks.js';
import { validatePolicyTest } from '../policy/generated/validators.js';
import { BUILTIN_DEFAULT, loadPolicy } from '../policy/load-policy.js';
import { formatOf, parseModelFile } from '../policy/parse-policy.js';
import { validateModel } from '../policy/validate-policy.js';
import type { CaseResult } from '../report/policy-results.js';
import type { ReportFinding } from '../report/report.js';
import { TfguardError } from '../shared/errors.js';
import { runCheck } from './check.js';

interface ExpectedFinding {
  rule: string;
  address?: string;
  effect?: 'block' | 'warn';
  approvals_required?: number;
}

interface TestCase {
  description?: string;
  plan: string;
  provenance?: 'ai' | 'human';
  environment?: string;
  expect: { verdict: Verdict; exhaustive?: boolean; finding?: ExpectedFinding[]; no_finding?: ExpectedFinding[] };
}

interface TestFile {
  policy?: string[];
  case: Record<string, TestCase>;
}

/** Every *.test.hcl / *.test.json under `dir`, in name order. */
export function findTestFiles(dir: string): string[] {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return /\.test\.(hcl|json)$/i.test(dir) ? [dir] : [];
    entries = readdirSync(dir).sort();
  } catch {
    throw new TfguardError(dir, 'no such directory', 'Give the directory that holds the *.test.hcl or *.test.json files');
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? findTestFiles(path) : /\.test\.(hcl|json)$/i.test(name) ? [path] : [];
  });
}

/**
 * Runs the cases of one test file: each plan under the file's policy (or the command's), with the
 * case's provenance and environment, against the expected verdict and findings.
 */
export async function runTestFile(path: string, policySpecs: readonly string[], catalogue: Catalogue): Promise<CaseResult[]> {
  const parsed = await parseModelFile(readFileSync(path, 'utf8'), path, formatOf(path)!, POLICY_TEST_BLOCKS);
  const file = validateModel<TestFile>(parsed, validatePolicyTest);
  const here = dirname(path);
  const specs = file.policy ? file.policy.map((spec) => (spec === BUILTIN_DEFAULT ? spec : resolve(here, spec))) : policySpecs;
  if (specs.length === 0) {
    throw new TfguardError(path, 'no policy to test: the file has no `policy` list and no --policy was given', 'Add policy = ["../my-policy.hcl"] to the test file, or pass --policy');
  }
  const policy = await loadPolicy(specs);
  const results: CaseResult[] = [];
  for (const [name, testCase] of Object.entries(file.case)) {
    const planPath = resolve(here, testCase.plan);
    const { report } = await runCheck({
      plan: planPath,
      policy: specs,
      loadedPolicy: policy,
      catalogue,
      provenance: testCase.provenance,
      collectProvenance: false,
      environmentName: testCase.environment,
      source: relative(process.cwd(), planPath),
    });
    results.push({ file: path, name, failures: compare(testCase.expect, report.verdict, report.findings) });
  }
  return results;
}

function compare(expect: TestCase['expect'], verdict: Verdict, findings: ReportFinding[]): string[] {
  const failures: string[] = [];
  if (verdict !== expect.verdict) failures.push(`expected verdict ${expect.verdict}, got ${verdict}`);
  const fits = (finding: ReportFinding, wanted: ExpectedFinding) =>
    finding.rule === wanted.rule &&
    (wanted.address === undefined || finding.address === wanted.address) &&
    (wanted.effect === undefined || finding.effect === wanted.effect) &&
    (wanted.approvals_required === undefined || finding.approvals_required === wanted.approvals_required);
  for (const wanted of expect.finding ?? []) {
    if (!findings.some((finding) => fits(finding, wanted))) failures.push(`expected a finding ${describe(wanted)}; found ${summary(findings)}`);
  }
  for (const unwanted of expect.no_finding ?? []) {
    const hit = findings.find((finding) => fits(finding, unwanted));
    if (hit) failures.push(`expected no finding ${describe(unwanted)}; found one`);
  }
  if (expect.exhaustive) {
    const extra = findings.filter((finding) => !(expect.finding ?? []).some((wanted) => fits(finding, wanted)));
    if (extra.length > 0) failures.push(`unexpected findings: ${summary(extra)}`);
  }
  return failures;
}

function describe(finding: ExpectedFinding): string {
  const parts = [`rule ${finding.rule}`];
  if (finding.address) parts.push(`on ${finding.address}`);
  if (finding.effect) parts.push(`that would ${finding.effect}`);
  if (finding.approvals_required !== undefined) parts.push(`needing ${finding.approvals_required} approval(s)`);
  return parts.join(' ');
}

function summary(findings: ReportFinding[]): string {
  if (findings.length === 0) return 'none';
  return findings.map((finding) => `${finding.rule}${finding.address ? `@${finding.address}` : ''} (${finding.effect})`).join(', ');
}
