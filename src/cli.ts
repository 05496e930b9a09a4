#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import packageJson from '../package.json' with { type: 'json' };
import { analyzePlan, EXIT_CODES } from './analyze.js';
import { builtinCatalogue } from './catalogue/data.js';
import { loadPlan } from './check-plan.js';
import { TfguardError, TfguardErrors } from './shared/errors.js';
import { expandPolicySpec, loadPolicy, readLayers } from './policy/load-policy.js';
import { layerPolicies } from './policy/layer.js';
import { effectivePolicyJson } from './policy/print-policy.js';
import { buildReport } from './report/report.js';
import { renderText } from './report/text.js';
import { choosePalette, PLAIN, terminalSafe as safe } from './report/terminal.js';

const VERSION = packageJson.version;
const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface CheckArgs {
  plan: string;
  format: Format;
  output?: string;
  provenance?: 'ai' | 'human';
  terraformBin?: string;
  policy: string[];
  environment?: string;
}

const debug = process.argv.includes('--debug');

const policyList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

// yargs-parser turns a bare `-` into an empty string, so stdin travels through it under another name.
const STDIN_ARG = '\u0000stdin';
const planArg = (value: unknown): string => (value === STDIN_ARG ? '-' : String(value));

async function check(args: CheckArgs): Promise<number> {
  const policy = await loadPolicy(args.policy);
  const { checked, source } = await loadPlan(args.plan, { terraformBin: args.terraformBin });
  const analysis = analyzePlan(checked, {
    policy,
    catalogue: builtinCatalogue(),
    provenance: args.provenance,
    environment: args.environment,
  });
  const report = buildReport(analysis, source, VERSION);
  const toFile = args.output !== undefined;
  const palette = toFile ? PLAIN : choosePalette(process.stdout.isTTY === true, process.env);
  const rendered = args.format === 'json' ? `${JSON.stringify(report)}\n` : renderText(report, palette);
  if (toFile) writeOutput(args.output!, rendered);
  else process.stdout.write(rendered);
  if (analysis.verdict === 'error') {
    fail(
      new TfguardError(
        source,
        'the plan errored (errored: true), so it is not a complete picture of what apply would do',
        'Fix the errors `terraform plan` printed and plan again; the destructive changes found so far are listed above',
      ),
    );
  }
  return EXIT_CODES[analysis.verdict];
}

async function digest(args: { plan: string; terraformBin?: string; policy: string[] }): Promise<number> {
  const policy = await loadPolicy(args.policy);
  const { checked } = await loadPlan(args.plan, { terraformBin: args.terraformBin });
  const analysis = analyzePlan(checked, { policy, catalogue: builtinCatalogue() });
  process.stdout.write(`${analysis.digest}\n`);
  return analysis.facts.errored ? 2 : 0;
}

async function validatePolicies(specs: string[]): Promise<number> {
  const layers = await readLayers(specs.flatMap(expandPolicySpec));
  const policy = layerPolicies(layers);
  for (const layer of layers) {
    const rules = Object.keys(layer.document.rule ?? {}).length;
    const approvers = Object.keys(layer.document.approver ?? {}).length;
    process.stdout.write(`${layer.source}: valid (${rules} rule${rules === 1 ? '' : 's'}, ${approvers} approver${approvers === 1 ? '' : 's'})\n`);
  }
  for (const item of policy.loosened) process.stdout.write(`${item.source}: loosens on purpose: ${item.what}\n`);
  return 0;
}

async function testPolicies(dirs: string[], policySpecs: string[]): Promise<number> {
  const { findTestFiles, runTestFile } = await import('./policy/policy-test.js');
  const files = dirs.flatMap(findTestFiles);
  if (files.length === 0) throw new TfguardError(dirs.join(', '), 'no *.test.hcl or *.test.json files found', 'Write test cases (docs/policy.md, "Testing policies")');
  const palette = choosePalette(process.stdout.isTTY === true, process.env);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    for (const result of await runTestFile(file, policySpecs, builtinCatalogue())) {
      if (result.failures.length === 0) {
        passed += 1;
        process.stdout.write(`${palette.green('PASS')} ${safe(result.file)} › ${safe(result.name)}\n`);
      } else {
        failed += 1;
        process.stdout.write(`${palette.red('FAIL')} ${safe(result.file)} › ${safe(result.name)}\n`);
        for (const failure of result.failures) process.stdout.write(`       ${safe(failure)}\n`);
      }
    }
  }
  process.stdout.write(`\n${passed + failed} case(s): ${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

async function printPolicy(specs: string[]): Promise<number> {
  process.stdout.write(`${JSON.stringify(effectivePolicyJson(await loadPolicy(specs)), null, 2)}\n`);
  return 0;
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new TfguardError(path, `cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Check that the directory exists and is writable');
  }
}

function fail(error: unknown): void {
  if (error instanceof TfguardErrors) {
    for (const item of error.errors) process.stderr.write(`tfguard: error: ${item.oneLine()}\n`);
  } else if (error instanceof TfguardError) {
    process.stderr.write(`tfguard: error: ${error.oneLine()}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tfguard: internal error: ${message.split('\n')[0]} (this is a bug in tfguard; --debug shows the stack)\n`);
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 2;
}

function usageError(message: string): never {
  throw new TfguardError('command line', message.replace(/\s+/g, ' ').trim(), 'Run `tfguard --help` for usage');
}

const planOptions = {
  'terraform-bin': {
    type: 'string',
    describe: 'Program that turns a binary plan file into JSON (default: terraform, then tofu)',
  },
} as const;

const policyOption = {
  // Not `array: true`: that would also swallow the plan path after `--policy a.hcl`.
  // yargs turns a repeated --policy into a list by itself.
  policy: {
    alias: 'p',
    type: 'string',
    describe: 'Policy file or directory (.hcl or .json), or builtin:default; repeat to layer, later ones on top. Default: .tfguard.hcl or .tfguard.json here, else the built-in default',
  },
} as const;

export async function main(argv: string[]): Promise<void> {
  let exitCode = 0;
  try {
    await yargs(argv.map((arg) => (arg === '-' ? STDIN_ARG : arg)))
      .scriptName('tfguard')
      .usage('$0 [check] <plan> [options]\n\nGate destructive Terraform/OpenTofu plan changes on stateful resources.')
      .command(
        ['check <plan>', '$0 <plan>'],
        'Check a plan (JSON from `terraform show -json`, a binary plan file, or - for stdin)',
        (command) =>
          command
            .positional('plan', { type: 'string', demandOption: true, describe: 'Plan file, or - for stdin' })
            .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
            .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of stdout' })
            .option('provenance', { choices: ['ai', 'human'] as const, describe: 'Declare whether the change is AI-generated (default: the policy decides; the built-in default counts unknown as ai)' })
            .option('environment', { alias: 'e', type: 'string', describe: 'Environment or workspace name, for rules scoped with match.environments (default: $TF_WORKSPACE)' })
            .options(policyOption)
            .options(planOptions),
        async (args) => {
          exitCode = await check({
            plan: planArg(args.plan),
            format: args.format as Format,
            output: args.output,
            provenance: args.provenance,
            terraformBin: args['terraform-bin'],
            policy: policyList(args.policy),
            environment: args.environment ?? (process.env.TF_WORKSPACE || undefined),
          });
        },
      )
      .command(
        'digest <plan>',
        'Print the change-set digest an approval must cover',
        (command) => command.positional('plan', { type: 'string', demandOption: true }).options(policyOption).options(planOptions),
        async (args) => {
          exitCode = await digest({ plan: planArg(args.plan), terraformBin: args['terraform-bin'], policy: policyList(args.policy) });
        },
      )
      .command('policy <command>', 'Validate, test or print policy files', (command) =>
        command
          .command(
            'validate <files..>',
            'Check policy files or directories against the schema and each other (layered in the order given); exit 0, or 2 with every error',
            (sub) => sub.positional('files', { type: 'string', array: true, demandOption: true }),
            async (args) => {
              exitCode = await validatePolicies(args.files as string[]);
            },
          )
          .command(
            'test <dirs..>',
            'Run policy test cases (*.test.hcl, *.test.json); exit 1 when one fails',
            (sub) => sub.positional('dirs', { type: 'string', array: true, demandOption: true }).options(policyOption),
            async (args) => {
              exitCode = await testPolicies(args.dirs as string[], policyList(args.policy));
            },
          )
          .command(
            'print',
            'Print the effective (layered) policy as JSON',
            (sub) => sub.options(policyOption),
            async (args) => {
              exitCode = await printPolicy(policyList(args.policy));
            },
          )
          .demandCommand(1, 'Give a policy command: validate, test or print'),
      )
      .option('debug', { type: 'boolean', describe: 'Show stack traces of internal errors' })
      .check((args) => {
        // yargs turns a repeated option into a list; only --policy may be given more than once.
        const repeated = ['format', 'output', 'provenance', 'environment', 'terraform-bin'].filter((name) => Array.isArray(args[name]));
        if (repeated.length > 0) throw new TfguardError('command line', `--${repeated[0]} is given more than once`, 'Give it once (only --policy may be repeated)');
        return true;
      })
      .epilogue('Exit codes: 0 allowed (warnings included), 1 blocked by policy, 2 error (bad input, unreadable or errored plan).')
      .strict()
      .demandCommand(1, 'Give a plan file: tfguard plan.json')
      .version(VERSION)
      .alias('h', 'help')
      .wrap(Math.min(100, process.stdout.columns ?? 100))
      .fail((message, error) => {
        if (error) throw error;
        usageError(message ?? 'invalid arguments');
      })
      .parseAsync();
  } catch (error) {
    fail(error);
    return;
  }
  if (process.exitCode === undefined || process.exitCode === 0) process.exitCode = exitCode;
}

await main(hideBin(process.argv));
