import type { Change } from '../plan/changes.js';
import type { JsonValue } from '../plan/raw.js';
import { compileGlobs } from '../shared/globs.js';
import type { Catalogue, StatefulType } from './catalogue.js';
import { findDowngrades, type Downgrade } from './protection.js';
import { catalogueOnly, moduleMatches, type StatefulSettings } from './stateful-settings.js';

/** A change seen through the catalogue and the policy's stateful settings. */
export interface ClassifiedChange {
  change: Change;
  /** What the resource holds, when it is stateful (from the catalogue, or declared by the policy). */
  stateful?: StatefulType;
  /** Why the type holds no data, when the catalogue's negative list names it. */
  notStatefulReason?: string;
  downgrades: Downgrade[];
  /** replace_paths that hit an attribute the catalogue knows forces replacement. */
  replaceForcing: string[];
}

export function classifyChanges(changes: readonly Change[], catalogue: Catalogue, settings: StatefulSettings = catalogueOnly()): ClassifiedChange[] {
  const decide = statefulness(catalogue, settings);
  return changes.map((change) => {
    const stateful = decide(change);
    if (!stateful) {
      const reason = catalogue.notStateful.get(change.type);
      return reason === undefined ? { change, downgrades: [], replaceForcing: [] } : { change, notStatefulReason: reason, downgrades: [], replaceForcing: [] };
    }
    const forcing = new Set(stateful.forcesReplacement);
    const replaceForcing = (change.replacePaths ?? [])
      .map((path) => path[0])
      .filter((step): step is string => typeof step === 'string' && forcing.has(step));
    return { change, stateful, downgrades: findDowngrades(change, stateful), replaceForcing: [...new Set(replaceForcing)] };
  });
}

/**
 * Exclusions win; then the catalogue (when on); then what the policy declares stateful by type,
 * address, module or tags, which gets a bare entry with the policy's severity and no category.
 */
function statefulness(catalogue: Catalogue, settings: StatefulSettings): (change: Change) => StatefulType | undefined {
  const excludedType = compileGlobs(settings.excludeTypes);
  const excludedAddress = compileGlobs(settings.excludeAddresses);
  const declaredType = compileGlobs(settings.types);
  const declaredAddress = compileGlobs(settings.addresses);
  const declaredModule = compileGlobs(settings.modules);
  const selectors = settings.tagSelectors.map((selector) => Object.entries(selector)).filter((pairs) => pairs.length > 0);
  return (change) => {
    if (excludedType(change.type) || excludedAddress(change.address)) return undefined;
    const entry = settings.catalogue ? catalogue.stateful.get(change.type) : undefined;
    if (entry) return entry;
    const declared =
      declaredType(change.type) ||
      declaredAddress(change.address) ||
      (settings.modules.length > 0 && moduleMatches(declaredModule, change.module)) ||
      selectors.some((pairs) => tagsMatch(change, pairs));
    if (!declared) return undefined;
    return {
      type: change.type,
      providers: [],
      category: null,
      severity: settings.severity,
      why: 'declared stateful by the policy',
      protection: [],
      forcesReplacement: [],
      deletion: 'destroys',
      source: 'policy',
    };
  };
}

/** Tags (AWS, Azure) or labels (Google), before or after the change, hold every pair. */
function tagsMatch(change: Change, pairs: [string, string][]): boolean {
  const sources = [change.before, change.after].flatMap((value) => ['tags', 'tags_all', 'labels'].map((key) => objectAt(value, key)));
  return sources.some((tags) => tags !== undefined && pairs.every(([key, value]) => tags[key] === value));
}

function objectAt(value: JsonValue, key: string): Record<string, JsonValue> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const child = value[key];
  return child !== null && typeof child === 'object' && !Array.isArray(child) ? child : undefined;
}
