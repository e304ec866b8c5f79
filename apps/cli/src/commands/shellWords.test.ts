import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { entrypointOf, quoteForShell } from './shellWords.js';

describe('entrypoints from words', () => {
  it('keeps one word as a shell command', () => {
    expect(entrypointOf(['echo a && echo b'])).toBe('echo a && echo b');
  });

  it('quotes several words so the shell passes each on exactly as typed', () => {
    const words = ['printf', '%s|', 'print("hi there")', "it's", '$HOME', 'a\nb', 'ünï'];
    const output = execFileSync('/bin/sh', ['-c', entrypointOf(words)], { encoding: 'utf8' });
    expect(output).toBe('print("hi there")|it\'s|$HOME|a\nb|ünï|');
  });

  it('leaves plain words unquoted', () => {
    expect(quoteForShell('train.py')).toBe('train.py');
    expect(quoteForShell('--epochs=3')).toBe('--epochs=3');
    expect(quoteForShell('')).toBe("''");
  });
});
