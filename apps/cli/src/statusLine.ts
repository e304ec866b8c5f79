import type { Terminal } from './terminal.js';

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const clearLine = '\r\x1b[2K';

export interface StatusLine {
  /** Writes job output without tearing the spinner: it is cleared first and redrawn later. */
  write(text: string): void;
  stop(): void;
}

/**
 * A spinner with a label and the time elapsed, redrawn in place on stderr. When stderr is not a
 * terminal it draws nothing, so piped output stays plain.
 */
export function startStatusLine(terminal: Terminal, label: string): StatusLine {
  if (!terminal.interactive) {
    return {
      write: (text) => {
        terminal.out(text);
      },
      stop: () => undefined,
    };
  }
  const started = Date.now();
  let frame = 0;
  // Output that did not end a line must not get the spinner glued to it.
  let atLineStart = true;
  let drawn = false;
  const draw = () => {
    if (!atLineStart) return;
    const seconds = Math.floor((Date.now() - started) / 1000);
    terminal.err(`${clearLine}${frames[frame % frames.length] ?? ''} ${label} (${seconds}s)`);
    frame += 1;
    drawn = true;
  };
  const erase = () => {
    if (drawn) terminal.err(clearLine);
    drawn = false;
  };
  const timer = setInterval(draw, 100);
  draw();
  return {
    write(text) {
      if (text === '') return;
      erase();
      terminal.out(text);
      atLineStart = text.endsWith('\n');
    },
    stop() {
      clearInterval(timer);
      erase();
    },
  };
}
