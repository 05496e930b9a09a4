import { TfguardError } from '../shared/errors.js';

/** GitHub refuses a comment body over 65,536 characters; measured in UTF-8 bytes, which is never fewer. */
export const COMMENT_LIMIT = 65_536;
/** The runner drops a job summary over 1 MiB; a little room is left for the line break core adds. */
export const SUMMARY_LIMIT = 1024 * 1024 - 1024;

/**
 * Renders with a character budget until the result fits `limitBytes` of UTF-8: the renderer
 * counts characters, GitHub and the runner count bytes, and text outside ASCII takes more of them.
 */
export function fitWithin(render: (maxLength: number) => string, limitBytes: number, what: string): string {
  let maxLength = limitBytes;
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const text = render(maxLength);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= limitBytes) return text;
    maxLength = Math.max(1, Math.floor((maxLength * limitBytes) / bytes) - 64 * (attempt + 1));
  }
  throw new TfguardError(what, `the Markdown report does not fit in ${limitBytes} bytes`, 'this is a bug in tfguard; report it');
}
