import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';

/** The JSON values a plan document is made of (plain, as JSON.parse returns them). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Seed {
  /** Path relative to the repository, e.g. `test/fixtures/plans/delete.json`. */
  name: string;
  doc: JsonObject;
}

/** The secret the sensitive fixtures carry (marked sensitive in before_sensitive/after_sensitive). */
export const FIXTURE_SECRET = 's3cr3t-DO-NOT-PRINT-7f3a';

function jsonFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((file) => file.endsWith('.json') && !file.endsWith('.mapping.json'))
    .sort()
    .map((file) => `${dir}/${file}`);
}

/** Every real plan the suite mutates: Terraform 1.11.4 output, the provider-typed derivations, the examples. */
export const SEEDS: readonly Seed[] = [
  ...jsonFiles('test/fixtures/plans'),
  ...jsonFiles('test/fixtures/derived'),
  ...readdirSync(join(ROOT, 'examples'))
    .sort()
    .map((dir) => `examples/${dir}/plan.json`)
    .filter((name) => existsSync(join(ROOT, name))),
].map((name) => ({ name, doc: JSON.parse(readFileSync(join(ROOT, name), 'utf8')) as JsonObject }));

export const seedByName = (name: string): Seed => {
  const seed = SEEDS.find((candidate) => candidate.name === name);
  if (!seed) throw new Error(`no seed ${name}`);
  return seed;
};

interface CatalogueFileData {
  provider: string[];
  types: Record<string, { protection?: { path: string[] }[] }>;
  not_stateful?: Record<string, string>;
}

const catalogueFiles: CatalogueFileData[] = readdirSync(join(ROOT, 'policies', 'catalogue'))
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => JSON.parse(readFileSync(join(ROOT, 'policies', 'catalogue', file), 'utf8')) as CatalogueFileData);

/**
 * The built-in catalogue as its data files say, read here on its own (not through src/), so the
 * oracles do not share tfguard's code: stateful types, the negative list, protection attributes.
 */
export const CATALOGUE = {
  stateful: new Set(catalogueFiles.flatMap((file) => Object.keys(file.types))),
  statefulList: catalogueFiles.flatMap((file) => Object.keys(file.types)).sort(),
  notStatefulList: [...catalogueFiles.flatMap((file) => Object.keys(file.not_stateful ?? {})), 'terraform_data', 'null_resource'].sort(),
  providerOf: new Map<string, string>(
    catalogueFiles.flatMap((file) => [...Object.keys(file.types), ...Object.keys(file.not_stateful ?? {})].map((type): [string, string] => [type, `registry.terraform.io/${file.provider[0] ?? 'hashicorp/unknown'}`])),
  ),
  /** Top-level attribute names of each type's protection attributes. */
  protection: new Map<string, string[]>(
    catalogueFiles.flatMap((file) =>
      Object.entries(file.types).map(([type, entry]): [string, string[]] => [type, [...new Set((entry.protection ?? []).map((p) => p.path[0]).filter((s): s is string => typeof s === 'string'))]]),
    ),
  ),
};
