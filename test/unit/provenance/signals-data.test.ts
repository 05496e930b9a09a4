import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { TfguardError } from '../../../src/shared/errors.js';
import { compileSignals, shippedSignals, type SignalDefinition } from '../../../src/provenance/signals.js';

const readJson = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));
const data = readJson('policies/ai-signals.json') as { signals: SignalDefinition[] };
const schema = readJson('policies/ai-signals.schema.json') as object;

describe('policies/ai-signals.json', () => {
  it('is valid against policies/ai-signals.schema.json (draft 2020-12)', () => {
    const validate = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
    expect(validate(data), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema refuses an unanchored pattern, a trailer without key and an unknown kind', () => {
    const validate = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
    const base = { id: 'x.y', tool: 'X', source: ['https://example.com'] };
    expect(validate({ version: 1, signals: [{ ...base, kind: 'author', pattern: 'noreply@x\\.com' }] })).toBe(false);
    expect(validate({ version: 1, signals: [{ ...base, kind: 'trailer', pattern: '^x$' }] })).toBe(false);
    expect(validate({ version: 1, signals: [{ ...base, kind: 'vibes', pattern: '^x$' }] })).toBe(false);
    expect(validate({ version: 1, signals: [{ ...base, kind: 'author', pattern: '^x$', source: [] }] })).toBe(false);
  });

  it('has unique ids, and every pattern compiles with the flags iu', () => {
    const ids = data.signals.map((signal) => signal.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const signal of data.signals) expect(() => new RegExp(signal.pattern, 'iu'), signal.id).not.toThrow();
  });

  it('names a public source for every signal', () => {
    for (const signal of data.signals) {
      expect(signal.source.length, signal.id).toBeGreaterThan(0);
      for (const source of signal.source) expect(source, signal.id).toMatch(/^https:\/\/[^\s]+$/u);
    }
  });

  it('covers the tools and declared standards tfguard promises', () => {
    const tools = new Set(data.signals.map((signal) => signal.tool.toLowerCase()));
    const has = (name: string) => [...tools].some((tool) => tool.includes(name));
    for (const name of ['claude code', 'claude (github app)', 'copilot', 'cursor', 'codex', 'devin', 'jules', 'gemini', 'aider', 'openhands', 'amp', 'amazon q', 'kiro', 'cline', 'continue', 'factory', 'warp', 'opencode', 'replit', 'sweep', 'assisted-by', 'generated-by', 'co-authored-by-ai']) {
      expect(has(name), name).toBe(true);
    }
  });

  it('docs/provenance.md lists every signal with its sources', () => {
    const doc = readFileSync(new URL('../../../docs/provenance.md', import.meta.url), 'utf8');
    for (const signal of data.signals) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${signal.id}\` |`));
      expect(row, signal.id).toBeDefined();
      for (const source of signal.source) expect(row, `${signal.id} ${source}`).toContain(`(${source})`);
    }
  });

  it('loads through shippedSignals() as the same list', () => {
    expect(shippedSignals().map((signal) => signal.id)).toEqual(data.signals.map((signal) => signal.id));
  });

  it('a broken definition is a TfguardError, never a skipped signal', () => {
    const broken: SignalDefinition = { id: 'x.broken', tool: 'X', kind: 'author', pattern: '^(unclosed$', source: ['https://example.com'] };
    expect(() => compileSignals(undefined, [broken])).toThrow(TfguardError);
  });
});
