import { readdir, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workingDirArchiveSuffixes } from '@jobs/contract';
import { extractArchive } from './extractArchive.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

export interface WorkingDirOptions {
  /** `runtime_env.working_dir` as submitted: an absolute path, a file:// URL or a gcs:// package. */
  workingDir: string;
  /** Where uploaded packages are stored; `gcs://<name>` is the file `<packagesDir>/<name>`. */
  packagesDir?: string;
  /** Archives are extracted into `<jobDir>/working_dir`. */
  jobDir: string;
  maxArchiveBytes: number;
  signal: AbortSignal;
  log: (line: string) => void;
}

const PACKAGE_URI_PREFIX = 'gcs://';

/** The uploaded package, marked used now so that it is not removed as unused meanwhile. */
async function packagePath(uri: string, packagesDir: string | undefined): Promise<string> {
  if (packagesDir === undefined) {
    throw new RuntimeEnvSetupError(`runtime_env.working_dir ${uri}: this node has no packages`);
  }
  const path = join(packagesDir, uri.slice(PACKAGE_URI_PREFIX.length));
  try {
    const now = new Date();
    await utimes(path, now, now);
  } catch {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir ${uri} is not an uploaded package (or was removed as unused); upload it again`,
    );
  }
  return path;
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
  // Messages name the working_dir as submitted: a package's place on the server is not the
  // job's business.
  const named = options.workingDir;
  const path = options.workingDir.startsWith(PACKAGE_URI_PREFIX)
    ? await packagePath(options.workingDir, options.packagesDir)
    : localPath(options.workingDir);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir ${named} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (info.isDirectory()) {
    options.log(`runtime_env: working directory ${named}`);
    return path;
  }
  const suffix = workingDirArchiveSuffixes.find((candidate) => path.endsWith(candidate));
  if (!info.isFile() || suffix === undefined) {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir ${named} is neither a directory nor a .zip, .tar.gz or .tgz file`,
    );
  }

  const root = join(options.jobDir, 'working_dir');
  // A leftover of an earlier attempt must not mix with this extraction.
  await rm(root, { recursive: true, force: true });
  options.log(`runtime_env: extracting ${named}`);
  await extractArchive({
    archivePath: path,
    format: suffix === '.zip' ? 'zip' : 'tar.gz',
    root,
    maxBytes: options.maxArchiveBytes,
    signal: options.signal,
  });
  return soleTopLevelDirectory(root);
}
