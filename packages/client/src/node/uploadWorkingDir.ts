import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { PACKAGE_PROTOCOL, packagesContract } from '@jobs/contract';
import type { JobsClient } from '../createJobsClient.js';
import { JobsApiError } from '../jobsApiError.js';
import { zipDirectory } from './zipDirectory.js';

export interface UploadWorkingDirOptions {
  /** gitignore-style patterns, relative to the directory, left out besides `.gitignore`'s. */
  excludes?: readonly string[];
}

function packagePath(name: string): string {
  return packagesContract.uploadPackage.path
    .replace(':protocol', PACKAGE_PROTOCOL)
    .replace(':package_name', name);
}

async function answerOf(response: Response): Promise<JobsApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  return JobsApiError.fromResponse({ status: response.status, body });
}

/**
 * Zips a local directory (Node only), uploads it unless the server already has it, and returns
 * the `gcs://_ray_pkg_<sha256>.zip` URI to submit as `runtime_env.working_dir`. The name is the
 * SHA-256 of the zip, which the server checks; an unchanged directory is uploaded once.
 */
export async function uploadWorkingDir(
  client: JobsClient,
  dir: string,
  options: UploadWorkingDirOptions = {},
): Promise<string> {
  if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a directory`);
  const zip = await zipDirectory(dir, options.excludes);
  const name = `_ray_pkg_${createHash('sha256').update(zip).digest('hex')}.zip`;
  const { baseUrl, headers } = client.connection;
  const url = `${baseUrl}${packagePath(name)}`;
  const found = await fetch(url, { headers });
  if (found.status === 404) {
    await found.body?.cancel();
    const uploaded = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/zip' },
      body: zip,
    });
    if (!uploaded.ok) throw await answerOf(uploaded);
    await uploaded.body?.cancel();
  } else if (!found.ok) {
    throw await answerOf(found);
  } else {
    await found.body?.cancel();
  }
  return `${PACKAGE_PROTOCOL}://${name}`;
}
