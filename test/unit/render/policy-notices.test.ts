import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERERS } from '../../../src/render/index.js';
import { PLAIN } from '../../../src/render/palette.js';
import { renderToString } from '../../../src/render/renderer.js';
import type { Report } from '../../../src/report/report.js';
import { ROOT } from '../../helpers/paths.js';

/** A policy the change under review brought, or loosened, is said loudly in every format. */
describe('policy notices reach every format', () => {
  const report = JSON.parse(readFileSync(join(ROOT, 'test/golden/environment-recreation.report.json'), 'utf8')) as Report;
  report.notices.unshift(
    { kind: 'policy-changed', message: 'The policy file .tfguard.hcl is new in the change under review (abc): read the policy from the base branch with --policy-ref' },
    { kind: 'policy-loosened', message: '.tfguard.hcl loosens the built-in or an earlier policy: rule "stateful-destroy" lowers enforcement' },
  );

  it.each(Object.keys(RENDERERS))('%s', (format) => {
    const rendered = renderToString(RENDERERS[format as keyof typeof RENDERERS], report, { palette: PLAIN });
    // Markdown escapes punctuation (`\.`): compare what a reader sees.
    const output = format === 'markdown' ? rendered.replace(/\\(.)/g, '$1') : rendered;
    expect(output).toContain('.tfguard.hcl is new in the change under review');
    expect(output).toContain('lowers enforcement');
  });

  it('SARIF raises them as warnings, not notes', () => {
    const sarif = JSON.parse(renderToString(RENDERERS.sarif, report, { palette: PLAIN }));
    const levels = sarif.runs[0].invocations[0].toolExecutionNotifications.filter((item: { descriptor: { id: string } }) => item.descriptor.id.startsWith('policy-')).map((item: { level: string }) => item.level);
    expect(levels).toEqual(['warning', 'warning']);
  });
});
