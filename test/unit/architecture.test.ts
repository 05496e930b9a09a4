import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

/**
 * The layers of src/, lowest first: a module may import its own folder and any folder below it,
 * never one above. The shells (cli, bin, output, index, the Action, the agent hooks) sit on top.
 */
const LAYERS = ['shared', 'github', 'plan', 'catalogue', 'provenance', 'policy', 'approval', 'analysis', 'report', 'render', 'commands', '(shell)'];
const SHELL_FOLDERS = new Set(['action', 'agents']);

const SRC = join(ROOT, 'src');
const sources = (readdirSync(SRC, { recursive: true }) as string[]).filter((name) => name.endsWith('.ts')).map((name) => join(SRC, name));

function layerOf(file: string): number {
  const [first, ...rest] = relative(SRC, file).split('/');
  const folder = rest.length === 0 || SHELL_FOLDERS.has(first!) ? '(shell)' : first!;
  const rank = LAYERS.indexOf(folder);
  if (rank < 0) throw new Error(`${relative(ROOT, file)}: src/${folder}/ is not in the layer list of test/unit/architecture.test.ts`);
  return rank;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] ?? match[2]!);
  return specifiers.filter((spec) => spec.startsWith('.')).map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

describe('architecture', () => {
  const graph = new Map(sources.map((file) => [file, importsOf(file).filter((target) => target.startsWith(SRC))]));

  it('nothing in a lower folder imports a higher one', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => layerOf(target) > layerOf(file)).map((target) => `${relative(SRC, file)} → ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(file)), file].map((item) => relative(SRC, item)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('sees every module (the import scan is not vacuous)', () => {
    expect(sources.length).toBeGreaterThan(40);
    expect([...graph.values()].flat().length).toBeGreaterThan(100);
  });
});
