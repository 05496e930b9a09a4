import { terminalSafe } from './escape.js';

/**
 * An error the user can act on: what is wrong, where, and how to fix it.
 * The CLI prints it as one line and exits 2; it never becomes a pass.
 */
export class TfguardError extends Error {
  readonly where: string;
  readonly fix: string;

  constructor(where: string, what: string, fix = '') {
    super(what);
    this.name = 'TfguardError';
    this.where = where;
    this.fix = fix;
  }

  /** `where: what. fix` on one line, control characters made visible. */
  oneLine(): string {
    const text = this.fix === '' ? `${this.where}: ${this.message}` : `${this.where}: ${this.message}. ${this.fix}`;
    return terminalSafe(text);
  }
}

/** Several errors found in one pass (a policy file with many mistakes): each is printed on its own line. */
export class TfguardErrors extends Error {
  readonly errors: TfguardError[];

  constructor(errors: TfguardError[]) {
    super(errors.map((error) => error.oneLine()).join('\n'));
    this.name = 'TfguardErrors';
    this.errors = errors;
  }
}
