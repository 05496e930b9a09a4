import type { JsonValue } from './raw.js';

export interface StateResource {
  address: string;
  mode: string;
}

export type ModuleTreeResult = { ok: true; resources: StateResource[] } | { ok: false; path: string; problem: string };

/**
 * Every resource of a state module tree (`prior_state.values.root_module`, `planned_values.root_module`),
 * walked without recursion so that no nesting can exhaust the stack, checking each field it reads.
 */
export function moduleTreeResources(root: JsonValue | undefined, rootPath: string): ModuleTreeResult {
  const resources: StateResource[] = [];
  const pending: { module: JsonValue | undefined; path: string }[] = [{ module: root, path: rootPath }];
  while (pending.length > 0) {
    const { module, path } = pending.pop()!;
    if (!isObject(module)) return { ok: false, path, problem: 'is not an object' };
    const { resources: list, child_modules: children } = module;
    if (list !== undefined && list !== null) {
      if (!Array.isArray(list)) return { ok: false, path: `${path}.resources`, problem: 'is not a list' };
      for (let index = 0; index < list.length; index += 1) {
        const resource = list[index];
        const at = `${path}.resources[${index}]`;
        if (!isObject(resource)) return { ok: false, path: at, problem: 'is not an object' };
        if (typeof resource.address !== 'string' || resource.address === '') return { ok: false, path: at, problem: 'has no `address`' };
        if (typeof resource.mode !== 'string') return { ok: false, path: at, problem: `(${resource.address}) has no \`mode\`` };
        // As in resource_changes: a managed resource under another spelling would be left out of every count and cross-check.
        if (resource.mode !== 'managed' && resource.mode !== 'data') return { ok: false, path: at, problem: `(${resource.address}) has \`mode\` ${JSON.stringify(resource.mode)}, neither "managed" nor "data"` };
        resources.push({ address: resource.address, mode: resource.mode });
      }
    }
    if (children !== undefined && children !== null) {
      if (!Array.isArray(children)) return { ok: false, path: `${path}.child_modules`, problem: 'is not a list' };
      children.forEach((child, index) => pending.push({ module: child, path: `${path}.child_modules[${index}]` }));
    }
  }
  return { ok: true, resources };
}

export function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
