import defaultPolicy from '../../policies/default.json' with { type: 'json' };
import type { Policy, Rule } from './model.js';

/** The built-in default policy, read from policies/default.json (bundled at build time). */
export function builtinPolicy(): Policy {
  return {
    sources: ['builtin:default'],
    provenance: { unknown: defaultPolicy.provenance.unknown as Policy['provenance']['unknown'] },
    rules: defaultPolicy.rules as Rule[],
  };
}
