#!/usr/bin/env node
// Stands in for `terraform` in tests: `show -json <file>` prints the JSON plan named by
// FAKE_TERRAFORM_JSON; FAKE_TERRAFORM_FAIL makes it fail the way Terraform does.
import { readFileSync } from 'node:fs';

const [command, flag, file] = process.argv.slice(2);
if (command !== 'show' || flag !== '-json' || !file) {
  process.stderr.write(`fake-terraform: unexpected arguments ${process.argv.slice(2).join(' ')}\n`);
  process.exit(64);
}
if (process.env.FAKE_TERRAFORM_FAIL) {
  process.stderr.write('╷\n│ Error: Failed to read the given file as a state or plan file\n│\n╵\n');
  process.exit(1);
}
process.stdout.write(readFileSync(process.env.FAKE_TERRAFORM_JSON, 'utf8'));
