// Build step: policies/default.hcl → src/policy/generated/default-policy.json, through the same
// parser and validator as any user policy, so the built-in default can never be invalid.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { TfguardErrors } from '../src/shared/errors.js';
import { POLICY_BLOCKS } from '../src/policy/blocks.js';
import { parseModelFile } from '../src/policy/parse-policy.js';
import { validatePolicyFile } from '../src/policy/validate-policy.js';

const source = 'policies/default.hcl';
try {
  const document = await validatePolicyFile(await parseModelFile(readFileSync(source, 'utf8'), source, 'hcl', POLICY_BLOCKS));
  mkdirSync('src/policy/generated', { recursive: true });
  writeFileSync('src/policy/generated/default-policy.json', `${JSON.stringify(document, null, 2)}\n`);
} catch (error) {
  console.error(error instanceof TfguardErrors ? error.message : error);
  process.exit(1);
}
