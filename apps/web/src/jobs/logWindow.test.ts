import { describe, expect, it } from 'vitest';
import { LogWindow } from './logWindow.js';

describe('the log view window', () => {
  it('keeps a short log whole', () => {
    const log = new LogWindow(100);
    log.append('one\n');
    log.append('tw');
    log.append('o\n');
    expect(log.text).toBe('one\ntwo\n');
    expect(log.cut).toBe(false);
  });

  it('drops whole lines from the start once it holds too much', () => {
    const log = new LogWindow(10);
    log.append('aaaa\nbbbb\n');
    log.append('cccc\n');
    expect(log.text).toBe('bbbb\ncccc\n');
    expect(log.cut).toBe(true);
  });

  it('cuts inside a line longer than the whole window', () => {
    const log = new LogWindow(4);
    log.append('0123456789');
    expect(log.text).toBe('6789');
  });

  it('skips the fragment before the first newline when reading starts midway', () => {
    const log = new LogWindow(100);
    log.startMidway();
    log.append('ragment ');
    log.append('of a line\nwhole line\n');
    expect(log.text).toBe('whole line\n');
    expect(log.cut).toBe(true);
  });
});
