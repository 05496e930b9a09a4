import type { Severity } from './catalogue.js';
import type { Matcher } from '../shared/globs.js';

/** What counts as stateful beyond (or instead of) the catalogue: the policies' `stateful` blocks, layered. */
export interface StatefulSettings {
  catalogue: boolean;
  types: string[];
  addresses: string[];
  modules: string[];
  /** One selector per file's `tags`: a resource is stateful when it carries every pair of any selector. */
  tagSelectors: Record<string, string>[];
  excludeTypes: string[];
  excludeAddresses: string[];
  /** Severity of resources the policy declares stateful without a catalogue entry. */
  severity: Severity;
}

/** The catalogue alone, nothing added or excluded: the built-in default, and where layering starts. */
export function catalogueOnly(): StatefulSettings {
  return { catalogue: true, types: [], addresses: [], modules: [], tagSelectors: [], excludeTypes: [], excludeAddresses: [], severity: 'high' };
}

/** A module glob matches a resource in that module or any module nested inside it; `root` is the root module. */
export function moduleMatches(matcher: Matcher, module: string | undefined): boolean {
  if (module === undefined) return matcher('root');
  let path = '';
  for (const step of module.split(/\.(?=module\.)/)) {
    path = path === '' ? step : `${path}.${step}`;
    if (matcher(path)) return true;
  }
  return false;
}
