import { lchown, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Makes `dir` and everything in it (links themselves, not their targets) the user's. */
export async function giveTree(dir: string, owner: { uid: number; gid: number }): Promise<void> {
  await lchown(dir, owner.uid, owner.gid);
  for (const entry of await readdir(dir, { recursive: true })) {
    await lchown(join(dir, entry), owner.uid, owner.gid);
  }
}
