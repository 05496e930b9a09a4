import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const PLANS = join(ROOT, 'test', 'fixtures', 'plans');
export const DERIVED = join(ROOT, 'test', 'fixtures', 'derived');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus', 'public');
export const corpusPresent = existsSync(CORPUS);

export const plan = (name: string): string => join(PLANS, `${name}.json`);
export const derived = (name: string): string => join(DERIVED, `${name}.json`);
export const EXAMPLES = join(ROOT, 'examples');
export const example = (name: string): string => join(EXAMPLES, name, 'plan.json');
