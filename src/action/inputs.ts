import type { Declaration } from '../provenance/resolve.js';
import { TfguardError, TfguardErrors } from '../shared/errors.js';
import { terminalSafe } from '../shared/escape.js';

/** The Action's inputs, parsed and checked; the defaults are the ones action.yml declares. */
export interface ActionInputs {
  plan: string;
  policy: string[];
  policyRef: string | undefined;
  provenance: Declaration | 'auto';
  base: string | undefined;
  approvals: string[];
  environment: string | undefined;
  githubToken: string | undefined;
  comment: boolean;
  sarifFile: string | undefined;
  junitFile: string | undefined;
  workingDirectory: string;
  terraformBin: string | undefined;
}

/** Reads one input's raw value ('' when not given), as `core.getInput(name, { trimWhitespace: false })` does. */
export type InputReader = (name: string) => string;

const PROVENANCE_CHOICES = ['auto', 'ai', 'human'] as const;
// YAML 1.2 core schema booleans, the spellings @actions/core accepts.
const TRUE_SPELLINGS = new Set(['true', 'True', 'TRUE']);
const FALSE_SPELLINGS = new Set(['false', 'False', 'FALSE']);

/**
 * Every input checked in one pass: one TfguardError per bad input, all of them thrown together.
 * The runner applies action.yml's defaults, but a direct run (and a test) does not, so the
 * defaults are repeated here.
 */
export function parseInputs(read: InputReader): ActionInputs {
  const errors: TfguardError[] = [];
  const bad = (name: string, what: string, fix: string) => errors.push(new TfguardError(`input ${name}`, what, fix));

  const single = (name: string): string | undefined => {
    const value = read(name).trim();
    if (/[\r\n]/u.test(value)) {
      bad(name, 'holds more than one line', 'Give one value');
      return undefined;
    }
    return value === '' ? undefined : value;
  };
  const list = (name: string): string[] =>
    read(name)
      .split(/\r?\n|\r/u)
      .map((line) => line.trim())
      .filter((line) => line !== '');

  const plan = single('plan');
  if (plan === undefined && !errors.some((error) => error.where === 'input plan')) {
    bad('plan', 'is required', 'Give the plan file: the JSON of `terraform show -json`, or a binary plan when terraform or tofu is on PATH');
  }

  const provenanceText = single('provenance') ?? 'auto';
  const provenance = (PROVENANCE_CHOICES as readonly string[]).includes(provenanceText) ? (provenanceText as ActionInputs['provenance']) : undefined;
  if (provenance === undefined) bad('provenance', `is ${quoted(provenanceText)}`, `Give one of ${PROVENANCE_CHOICES.join(', ')}`);

  const commentText = single('comment') ?? 'true';
  const comment = TRUE_SPELLINGS.has(commentText) ? true : FALSE_SPELLINGS.has(commentText) ? false : undefined;
  if (comment === undefined) bad('comment', `is ${quoted(commentText)}, not a YAML 1.2 boolean`, 'Give true or false');

  const inputs: ActionInputs = {
    plan: plan ?? '',
    policy: list('policy'),
    policyRef: single('policy-ref'),
    provenance: provenance ?? 'auto',
    base: single('base'),
    approvals: list('approvals'),
    environment: single('environment'),
    githubToken: single('github-token'),
    comment: comment ?? true,
    sarifFile: single('sarif-file'),
    junitFile: single('junit-file'),
    workingDirectory: single('working-directory') ?? '.',
    terraformBin: single('terraform-bin'),
  };
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new TfguardErrors(errors);
  return inputs;
}

/** An input's value in a message: quoted, controls visible, cut short. */
function quoted(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  return `"${terminalSafe(shown)}"`;
}
