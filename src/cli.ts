#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import packageJson from '../package.json' with { type: 'json' };
import { analyzePlan, EXIT_CODES } from './analyze.js';
import { builtinCatalogue } from './catalogue/data.js';
import { loadPlan } from './check-plan.js';
import { TfguardError } from './errors.js';
import { builtinPolicy } from './policy/default-policy.js';
import { buildReport } from './report/report.js';
import { renderText } from './report/text.js';
import { choosePalette, PLAIN } from './report/terminal.js';
import { changeSetDigest } from './approval/digest.js';
import { classifyChanges } from './catalogue/classify.js';
import { planChanges } from './plan/changes.js';

const VERSION = packageJson.version;
const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

interface CheckArgs {
  plan: string;
  format: Format;
  output?: string;
  provenance?: 'ai' | 'human';
  terraformBin?: string;
}

let debug = process.argv.includes('--debug');

// yargs-parser turns a bare `-` into an empty string, so stdin travels through it under another name.
const STDIN_ARG = '\u0000stdin';
const planArg = (value: unknown): string => (value === STDIN_ARG ? '-' : String(value));

async function check(args: CheckArgs): Promise<number> {
  const { checked, source } = await loadPlan(args.plan, { terraformBin: args.terraformBin });
  const analysis = analyzePlan(checked, { policy: builtinPolicy(), catalogue: builtinCatalogue(), provenance: args.provenance });
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

async function digest(args: { plan: string; terraformBin?: string }): Promise<number> {
  const { checked } = await loadPlan(args.plan, { terraformBin: args.terraformBin });
  const classified = classifyChanges(planChanges(checked.raw), builtinCatalogue());
  process.stdout.write(`${changeSetDigest(classified)}\n`);
  return checked.raw.errored === true ? 2 : 0;
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new TfguardError(path, `cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Check that the directory exists and is writable');
  }
}

function fail(error: unknown): void {
  if (error instanceof TfguardError) {
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
            .options(planOptions),
        async (args) => {
          exitCode = await check({
            plan: planArg(args.plan),
            format: args.format as Format,
            output: args.output,
            provenance: args.provenance,
            terraformBin: args['terraform-bin'],
          });
        },
      )
      .command(
        'digest <plan>',
        'Print the change-set digest an approval must cover',
        (command) => command.positional('plan', { type: 'string', demandOption: true }).options(planOptions),
        async (args) => {
          exitCode = await digest({ plan: planArg(args.plan), terraformBin: args['terraform-bin'] });
        },
      )
      .option('debug', { type: 'boolean', describe: 'Show stack traces of internal errors' })
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

debug = process.argv.includes('--debug');
await main(hideBin(process.argv));
