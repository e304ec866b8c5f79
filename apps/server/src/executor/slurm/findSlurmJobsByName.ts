import type { SlurmCli } from './slurmCli.js';

/**
 * Slurm job ids of the given submission ids (every job is named by its submission id), as far
 * as Slurm still knows them: the job of a server that died between sbatch and recording the id
 * is found again this way instead of being submitted twice.
 */
export async function findSlurmJobsByName(
  cli: SlurmCli,
  submissionIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (submissionIds.length === 0) return found;
  const out = await cli.run('squeue', [
    '--noheader',
    '--states=all',
    '--format=%i|%j',
    // A comma would split the name list; such names are looked for in Slurm's whole list.
    ...(submissionIds.some((id) => id.includes(',')) ? [] : [`--name=${submissionIds.join(',')}`]),
  ]);
  const wanted = new Set(submissionIds);
  for (const line of out.split('\n')) {
    const separator = line.indexOf('|');
    const name = line.slice(separator + 1).trimEnd();
    if (separator > 0 && wanted.has(name)) found.set(name, line.slice(0, separator).trim());
  }
  return found;
}
