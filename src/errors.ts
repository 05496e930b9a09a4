/**
 * An error the user can act on: what is wrong, where, and how to fix it.
 * The CLI prints it as one line and exits 2; it never becomes a pass.
 */
export class TfguardError extends Error {
  readonly where: string;
  readonly fix: string;

  constructor(where: string, what: string, fix: string) {
    super(what);
    this.name = 'TfguardError';
    this.where = where;
    this.fix = fix;
  }

  /** `where: what. fix` on one line, control characters made visible. */
  oneLine(): string {
    const text = `${this.where}: ${this.message}. ${this.fix}`;
    return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
}
