import { describe, expect, it } from 'vitest';
import { CopyTextEncoder } from './copy-text.encoder';

describe('CopyTextEncoder', () => {
  it("writes rows in COPY's text format: tabs, newlines, \\N for null, escapes, NUL as U+FFFD", () => {
    const encoder = new CopyTextEncoder();
    encoder.row(['u1', 'SOAAA', 3]);
    encoder.row([null, 'a\tb\\c\nd\re\0f', -2.5]);
    encoder.row(['Björk – 夢', 0, null]);
    expect(encoder.take().toString('utf8')).toBe(
      'u1\tSOAAA\t3\n\\N\ta\\tb\\\\c\\nd\\re\uFFFDf\t-2.5\nBjörk – 夢\t0\t\\N\n',
    );
    expect(encoder.size).toBe(0);
  });

  it('writes other control characters and DEL as they are, and a backslash after plain ASCII escaped', () => {
    const encoder = new CopyTextEncoder();
    encoder.row(['a\x01b', 'del\x7f', 'plain then \\', 'é after ascii', 12345678901]);
    expect(encoder.take().toString('utf8')).toBe(
      'a\x01b\tdel\x7f\tplain then \\\\\té after ascii\t12345678901\n',
    );
  });

  it('grows past its chunk size without losing bytes, and starts afresh after take', () => {
    const encoder = new CopyTextEncoder(16);
    const long = 'x'.repeat(100);
    for (let i = 0; i < 50; i++) encoder.row([long, i]);
    const text = encoder.take().toString('utf8');
    expect(text.split('\n')).toHaveLength(51);
    expect(text.startsWith(`${long}\t0\n${long}\t1\n`)).toBe(true);
    expect(text.endsWith(`${long}\t49\n`)).toBe(true);
    encoder.row(['again']);
    expect(encoder.take().toString('utf8')).toBe('again\n');
  });
});
