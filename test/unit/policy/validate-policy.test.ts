import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TfguardError, TfguardErrors } from '../../../src/shared/errors.js';
import { POLICY_BLOCKS } from '../../../src/policy/blocks.js';
import { parseModelFile, type PolicyFormat } from '../../../src/policy/parse-policy.js';
import { validatePolicyFile } from '../../../src/policy/validate-policy.js';
import { ROOT } from '../../helpers/paths.js';

const ED25519 = readFileSync(join(ROOT, 'test/fixtures/ssh/ed25519.pub'), 'utf8').trim();

const load = async (text: string, format: PolicyFormat = 'hcl') => validatePolicyFile(await parseModelFile(text, `policy.${format}`, format, POLICY_BLOCKS));

async function errorsOf(text: string, format: PolicyFormat = 'hcl'): Promise<string[]> {
  try {
    await load(text, format);
  } catch (error) {
    if (error instanceof TfguardErrors) return error.errors.map((item) => item.oneLine());
    if (error instanceof TfguardError) return [error.oneLine()];
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

const HCL = `
version = 1
stateful {
  types     = ["custom_db_*"]
  addresses = ["module.data.**"]
  tags      = { data-class = "customer" }
}
rule "db" {
  description = "Databases need two approvals"
  match {
    stateful   = true
    categories = ["database"]
  }
  enforcement = "soft-mandatory"
  approval {
    when  = "always"
    count = 2
  }
  message = "Destroys a database"
}
rule "env" {
  match {
    whole_environment {
      min_count = 3
      min_share = 0.4
    }
  }
  enforcement = "hard-mandatory"
  lock        = true
}
approver "alice" {
  github   = "alice"
  ssh_keys = ["${ED25519}"]
}
provenance {
  unknown = "ai"
  ai_signatures {
    trailers = ["Co-authored-by: *agent*"]
  }
}
`;

const JSON_POLICY = JSON.stringify({
  version: 1,
  stateful: { types: ['custom_db_*'], addresses: ['module.data.**'], tags: { 'data-class': 'customer' } },
  rule: {
    db: { description: 'Databases need two approvals', match: { stateful: true, categories: ['database'] }, enforcement: 'soft-mandatory', approval: { when: 'always', count: 2 }, message: 'Destroys a database' },
    env: { match: { whole_environment: { min_count: 3, min_share: 0.4 } }, enforcement: 'hard-mandatory', lock: true },
  },
  approver: { alice: { github: 'alice', ssh_keys: [ED25519] } },
  provenance: { unknown: 'ai', ai_signatures: { trailers: ['Co-authored-by: *agent*'] } },
});

describe('policy files: HCL and JSON are one model', () => {
  it('reads the same policy from HCL and JSON into the same document', async () => {
    expect(await load(HCL)).toEqual(await load(JSON_POLICY, 'json'));
  });
});

describe('every malformed policy is refused with a clear error', () => {
  it('an HCL syntax error, with its line', async () => {
    expect(await errorsOf('rule "x" {\n  enforcement = \n}\n')).toEqual([expect.stringMatching(/^policy\.hcl:2: HCL syntax error at column \d+: Invalid expression/)]);
  });

  it('invalid JSON, with its line', async () => {
    expect(await errorsOf('{\n  "rule": {,\n}', 'json')).toEqual([expect.stringMatching(/^policy\.json:2: invalid JSON/)]);
  });

  it('an empty file (whitespace and comments only)', async () => {
    expect(await errorsOf('\n  # nothing here\n// nor here\n')).toEqual([expect.stringMatching(/the file is empty/)]);
    expect(await errorsOf('   ', 'json')).toEqual([expect.stringMatching(/the file is empty/)]);
  });

  it('unknown fields, with a suggestion', async () => {
    const errors = await errorsOf('rule "x" {\n  enforcment = "advisory"\n}\nstatefull {\n}\n');
    expect(errors).toContainEqual(expect.stringMatching(/^policy\.hcl:2: rule\.x\.enforcment: unknown field \(did you mean "enforcement"\?\); expected one of description, enabled, match, enforcement/));
    expect(errors).toContainEqual(expect.stringMatching(/^policy\.hcl:4: statefull: unknown field \(did you mean "stateful"\?\)/));
    expect(errors).toContainEqual(expect.stringMatching(/rule\.x: missing required field "enforcement"/));
  });

  it('wrong types and values, saying what was expected and what was found', async () => {
    const errors = await errorsOf('rule "x" {\n  enforcement = "soft"\n  enabled = "yes"\n  match {\n    kinds = "delete"\n  }\n}\n');
    expect(errors).toContainEqual(expect.stringMatching(/rule\.x\.enforcement: expected one of "advisory", "soft-mandatory", "hard-mandatory"; found the string "soft"/));
    expect(errors).toContainEqual(expect.stringMatching(/rule\.x\.enabled: expected true or false; found the string "yes"/));
    expect(errors).toContainEqual(expect.stringMatching(/rule\.x\.match\.kinds: expected a list; found the string "delete"/));
  });

  it('duplicate rule names, in HCL and in JSON', async () => {
    const hcl = await errorsOf('rule "x" {\n  enforcement = "advisory"\n}\nrule "x" {\n  enforcement = "advisory"\n}\n');
    expect(hcl).toEqual([expect.stringMatching(/rule\.x: rule "x" is defined 2 times/)]);
    const json = await errorsOf('{"rule": {\n  "x": {"enforcement": "advisory"},\n  "x": {"enforcement": "hard-mandatory"}\n}}', 'json');
    expect(json).toEqual([expect.stringMatching(/^policy\.json:3: rule\.x: defined twice/)]);
  });

  it('invalid globs', async () => {
    const errors = await errorsOf('stateful {\n  types = ["aws_{db"]\n}\nrule "x" {\n  match {\n    addresses = ["module.(a"]\n  }\n  enforcement = "advisory"\n}\n');
    expect(errors).toContainEqual(expect.stringMatching(/stateful\.types\[0\]: invalid glob "aws_\{db"/));
    expect(errors).toContainEqual(expect.stringMatching(/rule\.x\.match\.addresses\[0\]: invalid glob "module\.\(a"/));
  });

  it('an approver with neither key nor login, and malformed SSH keys', async () => {
    const errors = await errorsOf(`approver "bob" {\n  name = "Bob"\n}\napprover "carol" {\n  ssh_keys = ["ssh-ed25519 AAAA!!!!"]\n}\napprover "dave" {\n  ssh_keys = ["ssh-dss AAAAB3NzaC1kc3MAAACBAP"]\n}\n`);
    expect(errors).toContainEqual(expect.stringMatching(/approver\.bob: an approver needs a GitHub login .*SSH public keys/));
    expect(errors).toContainEqual(expect.stringMatching(/approver\.carol\.ssh_keys\[0\]: .*base64/));
    expect(errors).toContainEqual(expect.stringMatching(/approver\.dave\.ssh_keys\[0\]: .*unsupported key type "ssh-dss"/));
    expect(errors.join('\n')).not.toContain('AAAA!!!!');
  });

  it('thresholds and counts out of range', async () => {
    const errors = await errorsOf('rule "e" {\n  match {\n    whole_environment {\n      min_count = 0\n      min_share = 1.5\n    }\n  }\n  enforcement = "soft-mandatory"\n  approval {\n    count = 11\n  }\n}\n');
    expect(errors).toContainEqual(expect.stringMatching(/min_count: expected a number >= 1; found the number 0/));
    expect(errors).toContainEqual(expect.stringMatching(/min_share: expected a number <= 1; found the number 1\.5/));
    expect(errors).toContainEqual(expect.stringMatching(/approval\.count: expected a number <= 10; found the number 11/));
    expect(await errorsOf('rule "e" {\n  match {\n    whole_environment {\n      min_count = 1\n      min_share = 0\n    }\n  }\n  enforcement = "hard-mandatory"\n}\n')).toEqual([
      expect.stringMatching(/min_share: expected a number > 0; found the number 0/),
    ]);
  });

  it('rules that cannot mean anything', async () => {
    const soft = await errorsOf('rule "s" {\n  enforcement = "soft-mandatory"\n}\n');
    expect(soft).toEqual([expect.stringMatching(/rule\.s\.approval: a soft-mandatory rule needs an approval block/)]);
    const advisory = await errorsOf('rule "a" {\n  enforcement = "advisory"\n  approval {\n    count = 1\n  }\n}\n');
    expect(advisory).toEqual([expect.stringMatching(/approval has no effect on an advisory rule/)]);
    const mixed = await errorsOf('rule "m" {\n  match {\n    kinds = ["delete"]\n    whole_environment {\n      min_count = 1\n      min_share = 0.5\n    }\n  }\n  enforcement = "hard-mandatory"\n}\n');
    expect(mixed).toEqual([expect.stringMatching(/whole_environment matches the plan as a whole and cannot be combined with kinds/)]);
    const attributes = await errorsOf('rule "t" {\n  match {\n    attributes = ["deletion_protection"]\n  }\n  enforcement = "advisory"\n}\n');
    expect(attributes).toEqual([expect.stringMatching(/attributes only applies with protection_downgrade = true/)]);
  });

  it('a block given twice', async () => {
    expect(await errorsOf('stateful {\n}\nstateful {\n}\n')).toEqual([expect.stringMatching(/stateful: `stateful` block is defined 2 times/)]);
  });

  it('reports every problem of a file, in line order', async () => {
    const errors = await errorsOf('rule "a" {\n  enforcment = "advisory"\n}\nrule "b" {\n  enforcement = "nope"\n}\n');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    const lines = errors.map((error) => Number(/^policy\.hcl:(\d+)/.exec(error)?.[1] ?? 0));
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
