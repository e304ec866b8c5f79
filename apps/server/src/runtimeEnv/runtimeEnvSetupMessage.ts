import { RuntimeEnvSchema, workingDirArchiveSuffixes } from '@jobs/contract';

/**
 * The message a job carries while its runtime environment is being set up, naming the slow
 * steps, e.g. "Job is setting up its runtime environment (working_dir archive, pip install).".
 */
export function runtimeEnvSetupMessage(runtimeEnv: unknown): string {
  const parsed = RuntimeEnvSchema.safeParse(runtimeEnv ?? {});
  const steps: string[] = [];
  if (parsed.success) {
    const { working_dir: workingDir, pip } = parsed.data;
    if (workingDir && workingDirArchiveSuffixes.some((suffix) => workingDir.endsWith(suffix))) {
      steps.push('working_dir archive');
    }
    if (Array.isArray(pip) && pip.length > 0) steps.push('pip install');
    if (typeof pip === 'string') steps.push('pip setup command');
  }
  const detail = steps.length > 0 ? ` (${steps.join(', ')})` : '';
  return `Job is setting up its runtime environment${detail}.`;
}
