import { createHash } from 'node:crypto';
import type { Catalogue } from '../catalogue/catalogue.js';
import { findDowngrades } from '../catalogue/protection.js';
import type { Change } from '../plan/changes.js';

/**
 * The change-set digest an approval covers: sha256 over a canonical list of everything that can
 * need approval. A function of the plan and the built-in catalogue only — never of policy files,
 * so one approval means the same under every policy (docs/digest.md; change it only with a new
 * version prefix).
 *
 *   destructive change:   ["change", address, deposed or "", type, actions]
 *   protection downgrade: ["downgrade", address, deposed or "", type, attribute]
 *                         (found with the catalogue's protection attributes, whatever a policy
 *                         excludes from or adds to the stateful set)
 *
 * Each entry is JSON-encoded, the encodings are sorted (by UTF-16 code units) and de-duplicated,
 * joined with "\n" after the header line "tfguard-digest-v1", and hashed.
 */
export function changeSetDigest(changes: readonly Change[], catalogue: Catalogue): string {
  const lines = new Set<string>();
  for (const change of changes) {
    const deposed = change.deposed ?? '';
    if (change.destructive) lines.add(JSON.stringify(['change', change.address, deposed, change.type, change.actions]));
    const entry = change.kind === 'update' ? catalogue.stateful.get(change.type) : undefined;
    for (const downgrade of entry ? findDowngrades(change, entry) : []) {
      lines.add(JSON.stringify(['downgrade', change.address, deposed, change.type, downgrade.attribute]));
    }
  }
  const payload = ['tfguard-digest-v1', ...[...lines].sort()].join('\n');
  return `sha256:${createHash('sha256').update(payload, 'utf8').digest('hex')}`;
}
