import type { Catalogue } from '../catalogue/catalogue.js';
import { builtinCatalogue } from '../catalogue/data.js';
import { layerPolicies } from '../policy/layer.js';
import { expandPolicySpec, loadPolicy, readLayers } from '../policy/load-policy.js';
import { effectivePolicyJson } from '../policy/print-policy.js';
import { TfguardError } from '../shared/errors.js';
import type { CaseResult, PolicyTestOutcome, ValidateOutcome } from '../report/policy-results.js';

/** `tfguard policy validate`: every file valid on its own and layered in the order given, or every error thrown. */
export async function runPolicyValidate(specs: readonly string[], cwd = process.cwd()): Promise<ValidateOutcome> {
  const layers = await readLayers(specs.flatMap((spec) => expandPolicySpec(spec, cwd)), cwd);
  const policy = layerPolicies(layers);
  return {
    files: layers.map((layer) => ({
      source: layer.source,
      rules: Object.keys(layer.document.rule ?? {}).length,
      approvers: Object.keys(layer.document.approver ?? {}).length,
    })),
    loosened: policy.loosened,
    exitCode: 0,
  };
}

/** `tfguard policy test`: runs every case of every *.test.hcl / *.test.json under the directories. */
export async function runPolicyTest(dirs: readonly string[], policySpecs: readonly string[], catalogue: Catalogue = builtinCatalogue()): Promise<PolicyTestOutcome> {
  const { findTestFiles, runTestFile } = await import('./policy-test.js');
  const files = dirs.flatMap(findTestFiles);
  if (files.length === 0) throw new TfguardError(dirs.join(', '), 'no *.test.hcl or *.test.json files found', 'Write test cases (docs/policy.md, "Testing policies")');
  const cases: CaseResult[] = [];
  for (const file of files) cases.push(...(await runTestFile(file, policySpecs, catalogue)));
  const failed = cases.filter((result) => result.failures.length > 0).length;
  return { cases, passed: cases.length - failed, failed, exitCode: failed > 0 ? 1 : 0 };
}

/** `tfguard policy print`: the effective, layered policy in the field names of policy files. */
export async function runPolicyPrint(specs: readonly string[], cwd?: string): Promise<object> {
  return effectivePolicyJson(await loadPolicy(specs, cwd));
}
