import { join } from 'node:path';
import { TfguardError, TfguardErrors } from '../shared/errors.js';
import { POLICY_BLOCKS } from './blocks.js';
import type { PolicyDocument } from './document.js';
import { builtinDefaultDocument } from './default-policy.js';
import { layerPolicies, type PolicyLayer } from './layer.js';
import type { Policy } from './model.js';
import { formatOf } from './parse-policy.js';
import { workingTree, type PolicySource } from './policy-source.js';

export const BUILTIN_DEFAULT = 'builtin:default';

/** Policy files looked for in the working directory when no --policy is given. */
export const CONVENTIONAL_FILES = ['.tfguard.hcl', '.tfguard.json'];

/**
 * The effective policy: the --policy files (files, directories, `builtin:default`) layered in
 * order, exactly as given. Without any, the built-in default, with a conventional file found in
 * the working directory layered on top of it: that file usually sits in the change under review,
 * so it may tighten freely but loosens only with `loosen = true`, which every report shows.
 * Every problem in every file is reported, and none of them yields a weaker policy.
 */
export async function loadPolicy(specs: readonly string[], cwd = process.cwd(), source: PolicySource = workingTree(cwd)): Promise<Policy> {
  return layerPolicies(await readLayers(policyFiles(specs, cwd, source), cwd, source));
}

/** The files a --policy list (or discovery, for an empty one) names, in layering order. */
export function policyFiles(specs: readonly string[], cwd = process.cwd(), source: PolicySource = workingTree(cwd)): string[] {
  return specs.length > 0 ? specs.flatMap((spec) => expandPolicySpec(spec, cwd, source)) : discover(source);
}

/** Reads and validates each file, collecting every error before failing. */
export async function readLayers(files: readonly string[], cwd = process.cwd(), source: PolicySource = workingTree(cwd)): Promise<PolicyLayer[]> {
  const layers: PolicyLayer[] = [];
  const errors: TfguardError[] = [];
  for (const file of files) {
    try {
      layers.push({ source: file, document: file === BUILTIN_DEFAULT ? builtinDefaultDocument() : await readPolicyFile(file, cwd, source) });
    } catch (error) {
      if (error instanceof TfguardErrors) errors.push(...error.errors);
      else if (error instanceof TfguardError) errors.push(error);
      else throw error;
    }
  }
  if (errors.length > 0) throw new TfguardErrors(errors);
  return layers;
}

/** Reads a policy file; a relative `path` is read from `cwd`, and messages name it as given. */
export async function readPolicyFile(path: string, cwd = process.cwd(), source: PolicySource = workingTree(cwd)): Promise<PolicyDocument> {
  const format = formatOf(path);
  if (!format) throw new TfguardError(path, 'a policy file must end in .hcl or .json', 'Rename it');
  const text = source.read(path);
  // Loaded only when a policy file is read: runs on the built-in default skip the validators.
  const [{ parseModelFile }, { validatePolicyFile }] = await Promise.all([import('./parse-policy.js'), import('./validate-policy.js')]);
  return validatePolicyFile(await parseModelFile(text, path, format, POLICY_BLOCKS));
}

/** A --policy value as files: a directory gives its .hcl/.json files (not *.test.*) in name order. */
export function expandPolicySpec(spec: string, cwd = process.cwd(), source: PolicySource = workingTree(cwd)): string[] {
  if (spec === BUILTIN_DEFAULT) return [spec];
  if (source.isDirectory(spec)) {
    const files = source
      .list(spec)
      .filter((name) => formatOf(name) !== undefined && !/\.test\.(hcl|json)$/i.test(name))
      .sort()
      .map((name) => join(spec, name));
    if (files.length === 0) throw new TfguardError(spec, 'the policy directory holds no .hcl or .json policy file', 'Check the --policy path');
    return files;
  }
  return [spec];
}

function discover(source: PolicySource): string[] {
  const found = CONVENTIONAL_FILES.filter((name) => source.exists(name));
  if (found.length > 1) {
    throw new TfguardError(source.name, `both ${CONVENTIONAL_FILES.join(' and ')} exist, so which one is the policy is ambiguous`, 'Keep one, or pass --policy');
  }
  return [BUILTIN_DEFAULT, ...found];
}
