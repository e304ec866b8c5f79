import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workingDirArchiveSuffixes } from '@jobs/contract';
import { extractArchive } from './extractArchive.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

export interface WorkingDirOptions {
  /** `runtime_env.working_dir` as submitted: an absolute path or a file:// URL. */
  workingDir: string;
  /** Archives are extracted into `<jobDir>/working_dir`. */
  jobDir: string;
  maxArchiveBytes: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

function localPath(workingDir: string): string {
  if (!workingDir.startsWith('file:')) return workingDir;
  try {
    return fileURLToPath(workingDir);
  } catch (error) {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir is not a usable file:// URL: ${(error as Error).message}`,
    );
  }
}

/**
 * GitHub downloads and `zip -r project.zip project` hold one top-level directory: as with Ray,
 * the driver then starts inside it rather than above it.
 */
async function soleTopLevelDirectory(root: string): Promise<string> {
  const entries = await readdir(root, { withFileTypes: true });
  const [only] = entries;
  return entries.length === 1 && only?.isDirectory() ? join(root, only.name) : root;
}

/** The directory the driver starts in: the given directory, or the archive extracted. */
export async function resolveWorkingDir(options: WorkingDirOptions): Promise<string> {
  const path = localPath(options.workingDir);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (info.isDirectory()) {
    options.log(`runtime_env: working directory ${path}`);
    return path;
  }
  const suffix = workingDirArchiveSuffixes.find((candidate) => path.endsWith(candidate));
  if (!info.isFile() || suffix === undefined) {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir ${path} is neither a directory nor a .zip, .tar.gz or .tgz file`,
    );
  }

  const root = join(options.jobDir, 'working_dir');
  // A leftover of an earlier attempt must not mix with this extraction.
  await rm(root, { recursive: true, force: true });
  options.log(`runtime_env: extracting ${path} into ${root}`);
  await extractArchive({
    archivePath: path,
    format: suffix === '.zip' ? 'zip' : 'tar.gz',
    root,
    maxBytes: options.maxArchiveBytes,
    signal: options.signal,
  });
  return soleTopLevelDirectory(root);
}
