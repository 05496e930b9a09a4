import { resolve } from 'node:path';
import type { Format } from '../render/formats.js';
import type { Palette } from '../render/palette.js';
import type { RenderOptions } from '../render/renderer.js';
import type { SarifRenderOptions } from '../render/sarif.js';
import type { Report } from '../report/report.js';
import { findRepositoryRoot, locateResources, repositoryUri } from './locate-resources.js';

/**
 * What a format needs beyond the report, read from the checkout: for SARIF, where each finding's
 * resource is declared in the `.tf` files, and the plan's path in the repository. The CLI and the
 * Action both ask here, so they render alike.
 */
export function renderOptionsFor(format: Format, report: Report, context: { palette: Palette; cwd: string; plan: string; root?: string }): RenderOptions {
  if (format !== 'sarif') return { palette: context.palette };
  const root = context.root ?? findRepositoryRoot(context.cwd);
  const addresses = [...new Set(report.findings.map((finding) => finding.address).filter((address): address is string => address !== null))];
  const planUri = context.plan === '-' ? undefined : repositoryUri(root, resolve(context.cwd, context.plan));
  const options: SarifRenderOptions = {
    palette: context.palette,
    sarifLocations: locateResources(context.cwd, addresses, { root }),
    ...(planUri !== undefined ? { sarifPlanUri: planUri } : {}),
  };
  return options;
}
