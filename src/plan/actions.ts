/**
 * What a `change.actions` list means. Destructive = the actions contain delete or forget, or
 * tfguard does not know them (fail safe). Decided on actions only, never on action_reason.
 */
export type DestructiveKind = 'delete' | 'replace' | 'forget' | 'forget-replace' | 'import-replace' | 'unknown';
export type SafeKind = 'create' | 'update' | 'no-op' | 'read';
export type ChangeKind = DestructiveKind | SafeKind;

export type ReplaceOrder = 'delete-first' | 'create-first';

export interface ActionMeaning {
  kind: ChangeKind;
  destructive: boolean;
  /** For replaces: which object exists first. create-first still destroys the old object. */
  order?: ReplaceOrder;
}

// A Map, not an object literal: an action named `constructor` or `__proto__` must not be "known".
const MEANINGS = new Map<string, ActionMeaning>(Object.entries({
  'no-op': { kind: 'no-op', destructive: false },
  create: { kind: 'create', destructive: false },
  read: { kind: 'read', destructive: false },
  update: { kind: 'update', destructive: false },
  delete: { kind: 'delete', destructive: true },
  forget: { kind: 'forget', destructive: true },
  'delete,create': { kind: 'replace', destructive: true, order: 'delete-first' },
  'create,delete': { kind: 'replace', destructive: true, order: 'create-first' },
  // Terraform >= 1.16 writes create,forget; OpenTofu >= 1.12 writes forget,create.
  'create,forget': { kind: 'forget-replace', destructive: true, order: 'create-first' },
  'forget,create': { kind: 'forget-replace', destructive: true, order: 'delete-first' },
} satisfies Record<string, ActionMeaning>));

export function interpretActions(actions: readonly string[], importing: boolean): ActionMeaning {
  const meaning = MEANINGS.get(actions.join(',')) ?? { kind: 'unknown', destructive: true };
  if (importing && meaning.kind === 'replace') {
    return { ...meaning, kind: 'import-replace' };
  }
  return meaning;
}
