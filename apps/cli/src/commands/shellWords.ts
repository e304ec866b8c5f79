/** Characters a POSIX shell takes literally in a word. */
const plainWord = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** One word quoted for /bin/sh so that it arrives exactly as given. */
export function quoteForShell(word: string): string {
  if (plainWord.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The entrypoint from the words after `--`. One word is a shell command as it is
 * (`jobctl submit -- 'python a.py && python b.py'`); several are a command and its arguments,
 * each quoted so the job runs them as typed (`jobctl submit -- python3 -c 'print("hi there")'`).
 */
export function entrypointOf(words: readonly string[]): string {
  return words.length === 1 ? (words[0] ?? '') : words.map(quoteForShell).join(' ');
}
