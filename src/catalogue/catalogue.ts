import type { PathStep } from '../plan/changes.js';

export type Category =
  | 'database'
  | 'cache'
  | 'object-storage'
  | 'block-storage'
  | 'file-storage'
  | 'backup'
  | 'messaging'
  | 'key-material'
  | 'secret'
  | 'identity'
  | 'dns'
  | 'network-address'
  | 'logging'
  | 'artifact-repository'
  | 'code-repository'
  | 'data-warehouse'
  | 'search'
  | 'ml-data'
  | 'resource-container';

export type Severity = 'critical' | 'high' | 'medium';
export type DeletionEffect = 'destroys' | 'state-only' | 'gated' | 'scheduled';

type Scalar = string | number | boolean;

/** `default`: the provider's value when the attribute is absent (flags: false). */
export type Protection =
  | { path: string[]; kind: 'flag'; protective: boolean; default?: Scalar; note?: string }
  | { path: string[]; kind: 'enum'; protective_values: Scalar[]; default?: Scalar; note?: string }
  | { path: string[]; kind: 'retention'; default?: Scalar; note?: string };

/** One entry of a policies/catalogue/*.json file, as written there. */
export interface CatalogueFileEntry {
  category: Category;
  severity: Severity;
  why: string;
  protection?: Protection[];
  forces_replacement?: string[];
  deletion?: DeletionEffect;
  deletion_note?: string;
  source: string;
}

export interface CatalogueFile {
  provider: string[];
  sources: string[];
  types: Record<string, CatalogueFileEntry>;
  not_stateful?: Record<string, string>;
}

export interface StatefulType {
  type: string;
  providers: string[];
  /** null for resources the policy declares stateful without a catalogue entry. */
  category: Category | null;
  severity: Severity;
  why: string;
  protection: Protection[];
  forcesReplacement: string[];
  deletion: DeletionEffect;
  deletionNote?: string;
  source: string;
}

export interface Catalogue {
  stateful: ReadonlyMap<string, StatefulType>;
  /** The negative list: types that look important but hold no data, with the reason. */
  notStateful: ReadonlyMap<string, string>;
}

export function buildCatalogue(files: readonly CatalogueFile[]): Catalogue {
  const stateful = new Map<string, StatefulType>();
  const notStateful = new Map<string, string>();
  for (const file of files) {
    for (const [type, entry] of Object.entries(file.types)) {
      const item: StatefulType = {
        type,
        providers: file.provider,
        category: entry.category,
        severity: entry.severity,
        why: entry.why,
        protection: entry.protection ?? [],
        forcesReplacement: entry.forces_replacement ?? [],
        deletion: entry.deletion ?? 'destroys',
        source: entry.source,
      };
      if (entry.deletion_note !== undefined) item.deletionNote = entry.deletion_note;
      stateful.set(type, item);
    }
    for (const [type, reason] of Object.entries(file.not_stateful ?? {})) notStateful.set(type, reason);
  }
  return { stateful, notStateful };
}

/** Renders an attribute path the way Terraform users write it: `a.b[0].c`. */
export function formatPath(path: readonly PathStep[]): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) text += text === '' ? step : `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}
