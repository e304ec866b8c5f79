import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { JobsClient, SubmitJobRequest } from '@jobs/client';
import { uploadWorkingDir } from '@jobs/client/node';

/** The server takes only absolute paths and URIs, so a relative path can only mean one here. */
async function isLocalDirectory(path: string): Promise<boolean> {
  if (path.includes('://') || isAbsolute(path)) return false;
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * As `ray job submit` does: a working_dir that is a relative path of a directory here (`.`,
 * `./project`) is zipped and uploaded, and the job gets the package's `gcs://` URI. An absolute
 * path or a URI goes to the server as given.
 */
export async function uploadLocalWorkingDir(
  client: JobsClient,
  request: SubmitJobRequest,
): Promise<SubmitJobRequest> {
  const workingDir = request.runtime_env?.working_dir;
  if (typeof workingDir !== 'string' || !(await isLocalDirectory(workingDir))) return request;
  const uri = await uploadWorkingDir(client, resolve(workingDir));
  return { ...request, runtime_env: { ...request.runtime_env, working_dir: uri } };
}
