#!/usr/bin/env node
// Derive a plan fixture with real provider resource types from a real
// Terraform plan made with the builtin `terraform_data` resource.
//
// Usage: node scripts/derive-fixture.mjs <plan.json> <mapping.json> [<out.json>]
//        (writes to stdout without <out.json>)
//
// Real provider types (aws_db_instance, ...) cannot be planned offline, but
// terraform_data can. A scenario under test/fixtures/terraform/<source>/ plans
// terraform_data resources whose `input` object holds the attributes of the
// resource they stand for. This script renames each mapped resource and makes
// `input` its attribute values; everything else stays as Terraform wrote it.
//
// Mapping JSON:
// {
//   "source": "large-env-recreation",      // scenario name (used by generate-fixtures.sh)
//   "description": "...",                   // free text, ignored
//   "output": "examples/x/plan.json",       // optional, used by generate-fixtures.sh; default test/fixtures/derived/<name>.json
//   "resources": {
//     "terraform_data.db_instance_main": {  // resource address (module path + type.name, no instance key)
//       "type": "aws_db_instance",
//       "name": "main",
//       "provider_name": "registry.terraform.io/hashicorp/aws",
//       "provider_config_key": "aws",        // optional; default: last segment of provider_name
//       "triggers_replace_paths": [["engine"]] // what replace_paths step ["triggers_replace"] becomes
//     }
//   }
// }
//
// For every mapped resource:
// - resource_changes[] / resource_drift[]: address, previous_address, type,
//   name, provider_name are rewritten; change.before = before.input,
//   change.after = after.input, before_sensitive/after_sensitive/after_unknown
//   = their `input` part (false / {} when absent, as Terraform writes them);
//   replace_paths ["input", ...rest] -> [...rest], ["triggers_replace"] ->
//   the mapping's triggers_replace_paths, ["output"...] dropped.
// - prior_state / planned_values resources: address, type, name,
//   provider_name; values = values.input, sensitive_values = sensitive_values.input.
// - configuration.root_module.resources: address, type, name,
//   provider_config_key; expressions = one constant_value per input key when
//   input is a constant object, otherwise {}. provider_config gains an entry
//   per new provider; the builtin "terraform" entry is dropped when no
//   resource uses it any more.
// - relevant_attributes, and every "references" / "depends_on" string that
//   names a mapped resource, are rewritten.
// Every other field is kept exactly. The output is pretty-printed (2 spaces).

import { readFileSync, writeFileSync } from 'node:fs';

function usage(msg) {
  if (msg) process.stderr.write(`derive-fixture: ${msg}\n`);
  process.stderr.write('usage: node scripts/derive-fixture.mjs <plan.json> <mapping.json> [<out.json>]\n');
  process.exit(2);
}

const [planPath, mappingPath, outPath] = process.argv.slice(2);
if (!planPath || !mappingPath) usage();

const plan = JSON.parse(readFileSync(planPath, 'utf8'));
const mapping = JSON.parse(readFileSync(mappingPath, 'utf8'));
if (!mapping.resources || typeof mapping.resources !== 'object') usage('mapping has no "resources" object');

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const fail = (msg) => {
  process.stderr.write(`derive-fixture: ${msg}\n`);
  process.exit(1);
};

// old resource address -> { newAddress, spec }
const map = new Map();
for (const [oldAddr, spec] of Object.entries(mapping.resources)) {
  for (const k of ['type', 'name', 'provider_name']) {
    if (typeof spec[k] !== 'string') fail(`mapping for ${oldAddr} lacks "${k}"`);
  }
  const m = /^((?:module\.[^.]+\.)*)([^.[]+)\.([^.[]+)$/.exec(oldAddr);
  if (!m) fail(`mapping key ${oldAddr} is not a resource address (module path + type.name)`);
  const providerConfigKey = spec.provider_config_key ?? spec.provider_name.split('/').pop();
  map.set(oldAddr, { newAddress: `${m[1]}${spec.type}.${spec.name}`, spec, providerConfigKey });
}
const used = new Set();

// Rewrites a resource or instance address ("x.y", "x.y[0]", "x.y.attr") if it
// starts with a mapped resource address.
function mapAddress(addr) {
  if (typeof addr !== 'string') return addr;
  for (const [oldAddr, { newAddress }] of map) {
    if (addr === oldAddr) return newAddress;
    if (addr.startsWith(oldAddr) && (addr[oldAddr.length] === '[' || addr[oldAddr.length] === '.')) {
      return newAddress + addr.slice(oldAddr.length);
    }
  }
  return addr;
}

// The resource (not instance) address of a plan entry.
function resourceAddressOf(entry) {
  const prefix = entry.module_address ? `${entry.module_address}.` : '';
  const mode = entry.mode === 'data' ? 'data.' : '';
  return `${prefix}${mode}${entry.type}.${entry.name}`;
}

function inputPart(value, what, address) {
  // value is the terraform_data object (or its mask); returns its `input` part.
  if (value === null || value === undefined) return value;
  if (value === false) return false;
  if (!isObject(value)) fail(`${address}: ${what} is not an object`);
  const input = value.input;
  if (input === true && what !== 'after_unknown') fail(`${address}: the whole ${what}.input is marked; cannot derive per-attribute values`);
  if (input === true) fail(`${address}: ${what}.input is wholly unknown; not supported`);
  if (input === undefined || input === null) return {};
  if (!isObject(input)) fail(`${address}: ${what}.input is not an object (got ${JSON.stringify(input)})`);
  return input;
}

function mapReplacePaths(paths, spec, address) {
  const out = [];
  const seen = new Set();
  const push = (p) => {
    const k = JSON.stringify(p);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(p);
    }
  };
  for (const path of paths) {
    if (path[0] === 'input' && path.length > 1) push(path.slice(1));
    else if (path[0] === 'triggers_replace') {
      if (!Array.isArray(spec.triggers_replace_paths) || spec.triggers_replace_paths.length === 0) {
        fail(`${address}: replace_paths contains ["triggers_replace"] but the mapping has no triggers_replace_paths`);
      }
      for (const p of spec.triggers_replace_paths) push(p);
    } else if (path[0] === 'output') continue;
    else fail(`${address}: cannot map replace path ${JSON.stringify(path)}`);
  }
  return out;
}

function deriveChangeEntry(entry) {
  const resAddr = resourceAddressOf(entry);
  const hit = map.get(resAddr);
  if (!hit || entry.mode !== 'managed') return entry;
  if (entry.type !== 'terraform_data') fail(`${resAddr} is not a terraform_data resource`);
  used.add(resAddr);
  const { spec } = hit;
  const out = {};
  for (const [k, v] of Object.entries(entry)) {
    if (k in RENAMED_FIELDS) out[k] = RENAMED_FIELDS[k](v, spec);
    else if (k === 'change') out[k] = deriveChange(v, spec, entry.address);
    else out[k] = v;
  }
  return out;
}

/** Identity fields rewritten the same way in resource_changes entries and state resources. */
const RENAMED_FIELDS = {
  address: (value) => mapAddress(value),
  previous_address: (value) => mapAddress(value),
  type: (_value, spec) => spec.type,
  name: (_value, spec) => spec.name,
  provider_name: (_value, spec) => spec.provider_name,
};

function deriveChange(change, spec, address) {
  const out = {};
  for (const [k, v] of Object.entries(change)) {
    switch (k) {
      case 'before':
      case 'after':
        out[k] = v === null ? null : inputPart(v, k, address);
        break;
      case 'before_sensitive':
      case 'after_sensitive':
        out[k] = v === false ? false : inputPart(v, k, address);
        break;
      case 'after_unknown':
        out[k] = isObject(v) && isObject(v.input) ? v.input : {};
        if (isObject(v) && v.input === true) fail(`${address}: after_unknown.input is wholly unknown; not supported`);
        break;
      case 'replace_paths':
        out[k] = mapReplacePaths(v, spec, address);
        break;
      default:
        out[k] = v;
    }
  }
  return out;
}

function deriveStateResource(res, moduleAddress) {
  const resAddr = `${moduleAddress ? `${moduleAddress}.` : ''}${res.mode === 'data' ? 'data.' : ''}${res.type}.${res.name}`;
  const hit = map.get(resAddr);
  if (!hit || res.mode !== 'managed') return mapDependsOn(res);
  used.add(resAddr);
  const { spec } = hit;
  const out = {};
  for (const [k, v] of Object.entries(res)) {
    if (k in RENAMED_FIELDS) {
      out[k] = RENAMED_FIELDS[k](v, spec);
      continue;
    }
    switch (k) {
      case 'values':
        out[k] = inputPart(v, 'values', res.address);
        break;
      case 'sensitive_values':
        out[k] = inputPart(v, 'sensitive_values', res.address);
        break;
      case 'depends_on':
        out[k] = v.map(mapAddress);
        break;
      default:
        out[k] = v;
    }
  }
  return out;
}

function mapDependsOn(res) {
  if (!Array.isArray(res.depends_on)) return res;
  return { ...res, depends_on: res.depends_on.map(mapAddress) };
}

function deriveModule(mod) {
  if (!isObject(mod)) return mod;
  const out = { ...mod };
  if (Array.isArray(mod.resources)) out.resources = mod.resources.map((r) => deriveStateResource(r, mod.address));
  if (Array.isArray(mod.child_modules)) out.child_modules = mod.child_modules.map(deriveModule);
  return out;
}

function deriveValues(values) {
  if (!isObject(values)) return values;
  return { ...values, root_module: deriveModule(values.root_module) };
}

// Rewrites "references" and "depends_on" arrays anywhere below node.
function mapReferences(node) {
  if (Array.isArray(node)) return node.map(mapReferences);
  if (!isObject(node)) return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'references' || k === 'depends_on') && Array.isArray(v)) out[k] = v.map(mapAddress);
    else out[k] = mapReferences(v);
  }
  return out;
}

function deriveConfiguration(config) {
  if (!isObject(config) || !isObject(config.root_module)) return config;
  const root = config.root_module;
  const newProviders = new Map();
  const resources = (root.resources ?? []).map((res) => {
    const hit = map.get(res.address);
    if (!hit || res.mode !== 'managed') return res;
    const { spec, providerConfigKey } = hit;
    newProviders.set(providerConfigKey, spec.provider_name);
    const out = {};
    for (const [k, v] of Object.entries(res)) {
      switch (k) {
        case 'address':
          out[k] = mapAddress(v);
          break;
        case 'type':
          out[k] = spec.type;
          break;
        case 'name':
          out[k] = spec.name;
          break;
        case 'provider_config_key':
          out[k] = providerConfigKey;
          break;
        case 'expressions': {
          const input = v?.input;
          const exprs = {};
          if (input && isObject(input.constant_value)) {
            for (const [ak, av] of Object.entries(input.constant_value)) exprs[ak] = { constant_value: av };
          }
          out[k] = exprs;
          break;
        }
        default:
          out[k] = v;
      }
    }
    return out;
  });
  const newRoot = mapReferences({ ...root, ...(root.resources ? { resources } : {}) });
  const providerConfig = { ...(config.provider_config ?? {}) };
  for (const [key, fullName] of newProviders) {
    if (!providerConfig[key]) providerConfig[key] = { name: key, full_name: fullName };
  }
  const stillUsesBuiltin = JSON.stringify(newRoot).includes('"provider_config_key":"terraform"');
  if (!stillUsesBuiltin && providerConfig.terraform?.full_name === 'terraform.io/builtin/terraform') {
    delete providerConfig.terraform;
  }
  const out = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'provider_config') out[k] = providerConfig;
    else if (k === 'root_module') out[k] = newRoot;
    else out[k] = v;
  }
  return out;
}

const derived = {};
for (const [k, v] of Object.entries(plan)) {
  switch (k) {
    case 'resource_changes':
    case 'resource_drift':
      derived[k] = v.map(deriveChangeEntry);
      break;
    case 'prior_state':
      derived[k] = isObject(v) ? { ...v, values: deriveValues(v.values) } : v;
      break;
    case 'planned_values':
      derived[k] = deriveValues(v);
      break;
    case 'configuration':
      derived[k] = deriveConfiguration(v);
      break;
    case 'relevant_attributes':
      derived[k] = v.map((ra) => {
        if (!map.has(ra.resource.replace(/\[[^\]]*\]$/, ''))) return ra;
        const attr = ra.attribute[0] === 'input' ? ra.attribute.slice(1) : ra.attribute;
        return { ...ra, resource: mapAddress(ra.resource), attribute: attr };
      });
      break;
    default:
      derived[k] = v;
  }
}

for (const addr of map.keys()) {
  if (!used.has(addr)) fail(`mapped resource ${addr} does not occur in ${planPath}`);
}

const text = `${JSON.stringify(derived, null, 2)}\n`;
if (outPath) writeFileSync(outPath, text);
else process.stdout.write(text);
