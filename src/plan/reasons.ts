/** Plain-language meaning of every action_reason Terraform and OpenTofu write. Unknown ones are shown verbatim. */
const REASONS = new Map<string, string>(Object.entries({
  replace_because_cannot_update: 'an attribute that cannot be updated in place changed',
  replace_because_tainted: 'the object is tainted (terraform taint, or a failed create or provisioner)',
  replace_by_request: 'replacement was requested with -replace',
  replace_by_triggers: 'lifecycle replace_triggered_by fired',
  delete_because_no_resource_config: 'its resource block (or the whole module block) was removed from the configuration',
  delete_because_wrong_repetition: 'count/for_each was added or removed, so the instance key no longer fits (no moved block)',
  delete_because_count_index: 'count was lowered and this index is gone',
  delete_because_each_key: 'this for_each key is gone',
  delete_because_no_module: 'its module instance is gone (module count/for_each shrank)',
  delete_because_no_move_target: 'a moved block points at a resource that does not exist',
  delete_because_enabled_false: 'lifecycle enabled = false (OpenTofu)',
  forgot_because_lifecycle_destroy_in_config: 'lifecycle destroy = false in the configuration (OpenTofu)',
  forgot_because_lifecycle_destroy_in_state: 'lifecycle destroy = false remembered in state (OpenTofu)',
  read_because_config_unknown: 'its configuration is only known after apply',
  read_because_dependency_pending: 'it depends on a resource with pending changes',
  read_because_check_nested: 'it is inside a check block',
}));

export function describeReason(reason: string): string {
  return REASONS.get(reason) ?? reason;
}

export function isKnownReason(reason: string): boolean {
  return REASONS.has(reason);
}
