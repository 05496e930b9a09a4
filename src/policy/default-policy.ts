import compiled from './generated/default-policy.json' with { type: 'json' };
import type { PolicyDocument } from './document.js';
import { layerPolicies } from './layer.js';
import type { Policy } from './model.js';

/**
 * The built-in default policy. Its only source is policies/default.hcl, which the build
 * (scripts/build.mjs) parses, validates and writes to ./generated/default-policy.json, so runs
 * with the default policy start without loading the HCL parser.
 */
export function builtinDefaultDocument(): PolicyDocument {
  return compiled as PolicyDocument;
}

export function builtinPolicy(): Policy {
  return layerPolicies([{ source: 'builtin:default', document: builtinDefaultDocument() }]);
}
