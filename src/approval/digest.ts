import { createHash } from 'node:crypto';
import type { ClassifiedChange } from '../catalogue/classify.js';

/**
 * The change-set digest an approval covers: sha256 over a canonical list of everything that can
 * need approval. Documented in docs/digest.md; change it only with a new version prefix.
 *
 *   destructive change:   ["change", address, deposed or "", type, actions]
 *   protection downgrade: ["downgrade", address, deposed or "", type, attribute]
 *
 * Each entry is JSON-encoded, the encodings are sorted (by UTF-16 code units) and de-duplicated,
 * joined with "\n" after the header line "tfguard-digest-v1", and hashed.
 */
export function changeSetDigest(classified: readonly ClassifiedChange[]): string {
  const lines = new Set<string>();
  for (const { change, downgrades } of classified) {
    const deposed = change.deposed ?? '';
    if (change.destructive) lines.add(JSON.stringify(['change', change.address, deposed, change.type, change.actions]));
    for (const downgrade of downgrades) {
      lines.add(JSON.stringify(['downgrade', change.address, deposed, change.type, downgrade.attribute]));
    }
  }
  const payload = ['tfguard-digest-v1', ...[...lines].sort()].join('\n');
  return `sha256:${createHash('sha256').update(payload, 'utf8').digest('hex')}`;
}
