/** Where jobctl writes: results to stdout, messages and progress to stderr. */
export interface Terminal {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is an interactive terminal; only then is progress drawn. */
  interactive: boolean;
}

export function processTerminal(): Terminal {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    // Typed boolean, but undefined at run time when stderr is a pipe or a file.
    interactive: process.stderr.isTTY,
  };
}
