import { join } from 'node:path';

/** A job that runs until the test creates `<dir>/go`, then exits with the code written in it. */
export function gatedEntrypoint(dir: string): string {
  const gate = join(dir, 'go');
  return `while [ ! -f ${gate} ]; do sleep 0.05; done; echo "exiting with $(cat ${gate})"; exit $(cat ${gate})`;
}
