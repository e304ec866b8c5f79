/**
 * The end of a log as it grows, holding at most `maxChars` characters: when it would hold
 * more, whole lines leave from the start. `cut` says the start of the log is not in it.
 */
export class LogWindow {
  #text = '';
  #cut = false;
  /** Reading began partway through the log: what comes before the first newline is a fragment. */
  #skippingFragment = false;

  constructor(private readonly maxChars: number) {}

  get text(): string {
    return this.#text;
  }

  get cut(): boolean {
    return this.#cut;
  }

  /** The first text appended starts inside the log, maybe inside a line or a character. */
  startMidway(): void {
    this.#cut = true;
    this.#skippingFragment = true;
  }

  append(chunk: string): void {
    let text = chunk;
    if (this.#skippingFragment) {
      // The first piece read: drop what precedes its first line break (\r too, for progress
      // bars). A piece without any is shown whole rather than hiding the log.
      this.#skippingFragment = false;
      const lineBreak = /[\r\n]/.exec(text);
      if (lineBreak !== null) text = text.slice(lineBreak.index + 1);
    }
    this.#text += text;
    if (this.#text.length > this.maxChars) {
      const over = this.#text.length - this.maxChars;
      const newline = this.#text.indexOf('\n', over - 1);
      // A single line longer than the window is cut inside the line.
      this.#text = this.#text.slice(newline === -1 ? over : newline + 1);
      this.#cut = true;
    }
  }
}
