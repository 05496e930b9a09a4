import { TfguardError } from '../shared/errors.js';

/**
 * How HCL blocks map onto the JSON model. hcl2json turns every block into a list (`stateful { }`
 * → `"stateful": [{…}]`, `rule "x" { }` → `"rule": {"x": [{…}]}`); the model has objects, and a
 * block given twice is an error, never a silent merge.
 */
export type BlockShape = 'single' | 'labelled' | 'repeated';
export type BlockSpec = { [key: string]: { shape: BlockShape; children?: BlockSpec } };

export const POLICY_BLOCKS: BlockSpec = {
  stateful: { shape: 'single' },
  provenance: { shape: 'single', children: { ai_signatures: { shape: 'single' } } },
  rule: {
    shape: 'labelled',
    children: { match: { shape: 'single', children: { whole_environment: { shape: 'single' } } }, approval: { shape: 'single' } },
  },
  approver: { shape: 'labelled' },
  agents: { shape: 'single' },
};

export const POLICY_TEST_BLOCKS: BlockSpec = {
  case: {
    shape: 'labelled',
    children: { expect: { shape: 'single', children: { finding: { shape: 'repeated' }, no_finding: { shape: 'repeated' } } } },
  },
};

export interface BlockProblem {
  path: string[];
  message: string;
}

/** Unwraps hcl2json's block lists in place of the JSON model; returns what could not be unwrapped. */
export function unwrapBlocks(value: unknown, spec: BlockSpec, path: string[] = [], problems: BlockProblem[] = []): { value: unknown; problems: BlockProblem[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { value, problems };
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const block = spec[key];
    if (!block) {
      result[key] = child;
      continue;
    }
    const here = [...path, key];
    if (block.shape === 'single') {
      result[key] = unwrapSingle(child, here, block.children, problems, `\`${key}\` block`);
    } else if (block.shape === 'labelled' && child !== null && typeof child === 'object' && !Array.isArray(child)) {
      const labelled: Record<string, unknown> = {};
      for (const [label, body] of Object.entries(child as Record<string, unknown>)) {
        labelled[label] = unwrapSingle(body, [...here, label], block.children, problems, `${key} "${label}"`);
      }
      result[key] = labelled;
    } else if (block.shape === 'repeated' && Array.isArray(child)) {
      result[key] = child.map((item, index) => unwrapBlocks(item, block.children ?? {}, [...here, String(index)], problems).value);
    } else {
      result[key] = child;
    }
  }
  return { value: result, problems };
}

function unwrapSingle(child: unknown, path: string[], children: BlockSpec | undefined, problems: BlockProblem[], name: string): unknown {
  if (Array.isArray(child)) {
    if (child.length > 1) {
      problems.push({ path, message: `${name} is defined ${child.length} times; define it once` });
    }
    child = child[0];
  }
  return unwrapBlocks(child, children ?? {}, path, problems).value;
}

/** hcl2json reports `parse config: [file:2,11-3,1: Summary; Detail.]`; this keeps line and words. */
export function hclSyntaxError(message: string, source: string): TfguardError {
  const match = /:(\d+),(\d+)(?:-[\d,]+)?: ([^;\]]+);?\s*([^\]]*)\]?/.exec(message);
  if (!match) return new TfguardError(source, `HCL syntax error: ${message.replace(/^parse config: /, '').replace(/\s+/g, ' ')}`, 'Fix the syntax');
  const [, line, column, summary, detail] = match;
  return new TfguardError(`${source}:${line}`, `HCL syntax error at column ${column}: ${summary!.trim()}${detail ? ` — ${detail.trim().replace(/\.$/, '')}` : ''}`, 'Fix the syntax');
}
