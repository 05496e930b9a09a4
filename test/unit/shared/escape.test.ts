import { describe, expect, it } from 'vitest';
import { choosePalette } from '../../../src/render/palette.js';
import { terminalSafe } from '../../../src/shared/escape.js';

describe('terminal output', () => {
  it('makes control characters visible instead of letting them act', () => {
    expect(terminalSafe('aws_s3_bucket.b["\u001b[2Jx"]')).toBe('aws_s3_bucket.b["\\u001b[2Jx"]');
    expect(terminalSafe('a\rb\nc\u0007\u009b')).toBe('a\\u000db\\u000ac\\u0007\\u009b');
    expect(terminalSafe('daten-ü "team a"/prod')).toBe('daten-ü "team a"/prod');
  });

  it('colours only on a TTY, never with NO_COLOR, always with FORCE_COLOR', () => {
    expect(choosePalette(true, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(choosePalette(false, {}).red('x')).toBe('x');
    expect(choosePalette(true, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(choosePalette(true, { TERM: 'dumb' }).red('x')).toBe('x');
    expect(choosePalette(false, { FORCE_COLOR: '1' }).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});

describe('workflow commands in untrusted text', () => {
  it('the legacy ##[command] syntax never survives terminalSafe, wherever it stands in a line', () => {
    expect(terminalSafe('aws_s3_bucket.b["##[warning]pwned"]')).toBe('aws_s3_bucket.b["#\\u0023[warning]pwned"]');
    expect(terminalSafe('###[x] ##[y]')).not.toContain('##[');
  });
});
