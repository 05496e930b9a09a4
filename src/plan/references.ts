import { isObject } from './module-tree.js';
import type { JsonValue } from './raw.js';

/**
 * Which configuration resources refer to which: from the plan's `configuration` section, every
 * `references` list in a resource's expressions and its `depends_on`, resolved to configuration
 * addresses (`module.app.aws_db_instance.main`, no instance keys). Returns, for each referenced
 * address, the addresses that refer to it: what a destroyed resource takes with it.
 * Walked without recursion; anything not of the documented shape is skipped (it decides nothing).
 */
export function configurationDependents(configuration: JsonValue | undefined): Map<string, string[]> {
  const dependents = new Map<string, Set<string>>();
  const root = isObject(configuration) ? configuration.root_module : undefined;
  const modules: { module: JsonValue | undefined; prefix: string }[] = [{ module: root, prefix: '' }];
  while (modules.length > 0) {
    const { module, prefix } = modules.pop()!;
    if (!isObject(module)) continue;
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(resource) || typeof resource.address !== 'string') continue;
      const referrer = `${prefix}${resource.address}`;
      const targets = new Set<string>();
      collectReferences(resource.expressions, targets);
      for (const item of Array.isArray(resource.depends_on) ? resource.depends_on : []) if (typeof item === 'string') targets.add(item);
      for (const target of targets) {
        const address = resourceAddress(target);
        if (address === undefined || `${prefix}${address}` === referrer) continue;
        const key = `${prefix}${address}`;
        if (!dependents.has(key)) dependents.set(key, new Set());
        dependents.get(key)!.add(referrer);
      }
    }
    const calls = isObject(module.module_calls) ? module.module_calls : {};
    for (const [name, call] of Object.entries(calls)) {
      if (isObject(call)) modules.push({ module: call.module, prefix: `${prefix}module.${name}.` });
    }
  }
  return new Map([...dependents].map(([key, set]) => [key, [...set].sort()]));
}

/** Every string of every `references` list below `value`. */
function collectReferences(value: JsonValue | undefined, into: Set<string>): void {
  const pending: (JsonValue | undefined)[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (Array.isArray(item)) pending.push(...item.slice(0, 10_000));
    else if (isObject(item)) {
      for (const [key, child] of Object.entries(item)) {
        if (key === 'references' && Array.isArray(child)) {
          for (const reference of child) if (typeof reference === 'string') into.add(reference);
        } else pending.push(child);
      }
    }
  }
}

/** `aws_db_instance.main.endpoint` → `aws_db_instance.main`; variables, locals, data sources and modules are not resources. */
function resourceAddress(reference: string): string | undefined {
  const match = /^([a-zA-Z_][a-zA-Z0-9_-]*)\.([a-zA-Z_][a-zA-Z0-9_-]*)/.exec(reference);
  if (!match) return undefined;
  if (['var', 'local', 'data', 'module', 'path', 'terraform', 'count', 'each', 'self'].includes(match[1]!)) return undefined;
  return `${match[1]}.${match[2]}`;
}

/** The configuration address of an instance: `module.a["x"].aws_db_instance.main[0]` → `module.a.aws_db_instance.main`. */
export function configurationAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|\d+)\]/g, '');
}
