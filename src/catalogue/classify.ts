import type { Change } from '../plan/changes.js';
import type { Catalogue, StatefulType } from './catalogue.js';
import { findDowngrades, type Downgrade } from './protection.js';

/** A change seen through the catalogue. */
export interface ClassifiedChange {
  change: Change;
  /** The catalogue entry when the type holds data or durable identity. */
  stateful?: StatefulType;
  downgrades: Downgrade[];
  /** Why the type holds no data, when the catalogue's negative list names it. */
  notStatefulReason?: string;
  /** replace_paths that hit an attribute the catalogue knows forces replacement. */
  replaceForcing: string[];
}

export function classifyChanges(changes: readonly Change[], catalogue: Catalogue): ClassifiedChange[] {
  return changes.map((change) => {
    const entry = catalogue.stateful.get(change.type);
    if (!entry) {
      const reason = catalogue.notStateful.get(change.type);
      return reason === undefined ? { change, downgrades: [], replaceForcing: [] } : { change, notStatefulReason: reason, downgrades: [], replaceForcing: [] };
    }
    const forcing = new Set(entry.forcesReplacement);
    const replaceForcing = (change.replacePaths ?? [])
      .map((path) => path[0])
      .filter((step): step is string => typeof step === 'string' && forcing.has(step));
    return { change, stateful: entry, downgrades: findDowngrades(change, entry), replaceForcing: [...new Set(replaceForcing)] };
  });
}
