import { isCurrentObject, type Change } from './changes.js';
import type { PlanFacts } from './plan-facts.js';

/** How much of the existing environment the plan destroys or replaces. */
export interface EnvironmentImpact {
  /** Existing managed instances (not deposed, not deferred) deleted or replaced. */
  destroyed: number;
  existing: number;
  /** destroyed / existing, or null when nothing existed before. */
  share: number | null;
  destroyMode: boolean;
}

export function environmentImpact(changes: readonly Change[], facts: PlanFacts): EnvironmentImpact {
  const destroyed = changes.filter((change) => isCurrentObject(change) && (change.kind === 'delete' || change.kind === 'replace')).length;
  const existing = Math.max(facts.existingResources, destroyed);
  return {
    destroyed,
    existing,
    share: existing === 0 ? null : destroyed / existing,
    destroyMode: facts.mode === 'destroy',
  };
}
