import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../helpers/paths.js';
import { runMain } from '../helpers/run-main.js';
import { runCli } from '../helpers/run-cli.js';

const examples = readdirSync(EXAMPLES).filter((name) => existsSync(join(EXAMPLES, name, 'plan.json')));

describe('examples print what their tfguard-output.txt says (re-record with node scripts/update-examples.mjs)', () => {
  it('has the environment-recreation and safe-change examples', async () => {
    expect(examples).toEqual(expect.arrayContaining(['environment-recreation', 'safe-change']));
  });

  it.each(examples)('%s', async (name) => {
    const plan = `examples/${name}/plan.json`;
    const result = (await runMain([plan], { env: { NO_COLOR: '1' } }));
    const recorded = readFileSync(join(EXAMPLES, name, 'tfguard-output.txt'), 'utf8');
    expect(`$ tfguard ${plan}\n${result.stdout}${result.stderr}[exit code ${result.status}]\n`).toBe(recorded);
  });
});
