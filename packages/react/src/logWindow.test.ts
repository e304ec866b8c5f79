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

  it('skips the fragment before the first line break when reading starts midway', () => {
    const log = new LogWindow(100);
    log.startMidway();
    log.append('ragment of a line\nwhole line\n');
    log.append('next\n');
    expect(log.text).toBe('whole line\nnext\n');
    expect(log.cut).toBe(true);

    const progress = new LogWindow(100);
    progress.startMidway();
    progress.append('37%\r 38%\r 39%');
    expect(progress.text).toBe(' 38%\r 39%');
  });

  it('shows a first piece without any line break rather than nothing', () => {
    const log = new LogWindow(100);
    log.startMidway();
    log.append('one very long line');
    log.append(' goes on');
    expect(log.text).toBe('one very long line goes on');
  });
});
