import type { Loosening } from '../policy/model.js';

/** The result models of the policy commands, as the report is for check: what renderers print. */
export interface ValidatedFile {
  source: string;
  rules: number;
  approvers: number;
}

export interface ValidateOutcome {
  files: ValidatedFile[];
  loosened: Loosening[];
  exitCode: 0;
}

export interface CaseResult {
  file: string;
  name: string;
  /** Empty when the case passed; else one sentence per expectation it missed. */
  failures: string[];
}

export interface PolicyTestOutcome {
  cases: CaseResult[];
  passed: number;
  failed: number;
  /** 1 when any case failed. */
  exitCode: 0 | 1;
}
