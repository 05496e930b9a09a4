import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERERS } from '../../../src/render/index.js';
import { PLAIN } from '../../../src/render/palette.js';
import { renderToString } from '../../../src/render/renderer.js';
import type { Report } from '../../../src/report/report.js';
import { jsonSafe, UNSAFE_CHARACTERS } from '../../../src/shared/escape.js';
import { ROOT } from '../../helpers/paths.js';

/**
 * Golden files: each committed report test/golden/<name>.report.json, rendered by every renderer,
 * must give test/golden/<name>.<ext> byte for byte. The reports come from real fixtures through
 * the built CLI (scripts/update-goldens.mjs). After an intended change to a renderer, re-record the
 * outputs with `UPDATE_GOLDEN=1 npx vitest run test/unit/render/golden.test.ts` and read the diff.
 */
const GOLDEN = join(ROOT, 'test', 'golden');
const reports = readdirSync(GOLDEN).filter((name) => name.endsWith('.report.json')).sort();
const EXTENSIONS: Record<string, string> = { text: 'txt', json: 'json', sarif: 'sarif', junit: 'xml', markdown: 'md' };

describe('renderer golden files', () => {
  it('has a golden report for each case the renderers must get right', () => {
    expect(reports).toEqual(expect.arrayContaining(['environment-recreation.report.json', 'hostile-strings.report.json', 'errored-plan.report.json']));
  });

  for (const [format, renderer] of Object.entries(RENDERERS)) {
    it.each(reports)(`${format}: %s`, (name) => {
      const report = JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as Report;
      const rendered = renderToString(renderer, report, { palette: PLAIN });
      const goldenPath = join(GOLDEN, name.replace(/\.report\.json$/, `.${EXTENSIONS[format] ?? format}`));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) writeFileSync(goldenPath, rendered);
      expect(rendered).toBe(readFileSync(goldenPath, 'utf8'));
      // Nothing raw but the line breaks the format itself writes.
      expect(rendered.replaceAll('\n', '').match(UNSAFE_CHARACTERS)).toBeNull();
    });
  }

  it('the JSON renderer writes exactly JSON.stringify(report), unsafe characters escaped, in pieces', () => {
    for (const name of reports) {
      const report = JSON.parse(readFileSync(join(GOLDEN, name), 'utf8')) as Report;
      const rendered = renderToString(RENDERERS.json, report, { palette: PLAIN });
      expect(JSON.parse(rendered)).toEqual(report);
      expect(rendered).toBe(`${jsonSafe(JSON.stringify(report))}\n`);
    }
    const many = JSON.parse(readFileSync(join(GOLDEN, 'environment-recreation.report.json'), 'utf8')) as Report;
    many.changes = Array.from({ length: 2500 }, (_, index) => ({ ...many.changes[0]!, address: `x.n${index}` }));
    const pieces = [...RENDERERS.json.render(many, { palette: PLAIN })];
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.join('')).toBe(`${JSON.stringify(many)}\n`);
  });
});
