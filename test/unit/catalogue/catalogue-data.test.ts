import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILES, builtinCatalogue } from '../../../src/catalogue/data.js';
import { ROOT } from '../../helpers/paths.js';

const dir = join(ROOT, 'policies', 'catalogue');
const onDisk = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const schema = JSON.parse(readFileSync(join(ROOT, 'policies', 'catalogue.schema.json'), 'utf8'));

describe('the catalogue data', () => {
  it('bundles every file in policies/catalogue', () => {
    expect(Object.keys(CATALOGUE_FILES).sort()).toEqual(onDisk);
  });

  it.each(onDisk)('%s validates against the catalogue schema (Ajv strict mode)', (name) => {
    const validate = new Ajv2020.default({ allErrors: true, strict: true }).compile(schema);
    const valid = validate(read(name));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('is counted truly in the README and the policy reference', () => {
    const { stateful, notStateful } = builtinCatalogue();
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`lists ${stateful.size} resource types`);
    expect(readme).toContain(`${notStateful.size} types that look important but hold no data`);
    expect(readFileSync(join(ROOT, 'docs', 'policy.md'), 'utf8')).toContain(`(${stateful.size} types, each with a category and severity)`);
  });

  it('names each type once across all files, never both stateful and not stateful', () => {
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const name of onDisk) {
      const file = read(name);
      for (const type of [...Object.keys(file.types), ...Object.keys(file.not_stateful ?? {})]) {
        if (seen.has(type)) duplicates.push(`${type} in ${seen.get(type)} and ${name}`);
        seen.set(type, name);
      }
    }
    expect(duplicates).toEqual([]);
  });

  it('gives each type the prefix of a provider its file covers', () => {
    const wrong: string[] = [];
    for (const name of onDisk) {
      const file = read(name);
      const prefixes = (file.provider as string[]).map((provider) => `${provider.split('/')[1]!.replace(/-beta$/, '')}_`);
      for (const type of [...Object.keys(file.types), ...Object.keys(file.not_stateful ?? {})]) {
        if (!prefixes.some((prefix) => type.startsWith(prefix))) wrong.push(`${type} (${name})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('marks every entry whose deletion is not a plain destroy with a note', () => {
    const missing = [...builtinCatalogue().stateful.values()].filter((entry) => entry.deletion !== 'destroys' && !entry.deletionNote).map((entry) => entry.type);
    expect(missing).toEqual([]);
  });
});
