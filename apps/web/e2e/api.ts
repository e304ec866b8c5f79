import { isDeepStrictEqual } from 'node:util';

/**
 * Submits a job straight to the API, as another user, jobctl or a Python client would: the
 * dashboard only learns of it through the server.
 */
export async function submitThroughApi(
  baseUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<string> {
  const response = await fetch(`${baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`submit answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { submission_id: string }).submission_id;
}

/**
 * Reads `read` until it returns `expected` (deep equality), failing with the last value read
 * after `timeoutMs`: the page updates asynchronously, so assertions wait for it.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  expected: T,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (isDeepStrictEqual(last, expected)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `still ${JSON.stringify(last)} after ${timeoutMs} ms, expected ${JSON.stringify(expected)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the job's status, read straight from the API, is `status`. */
export async function waitForStatusThroughApi(
  baseUrl: string,
  submissionId: string,
  status: string,
): Promise<void> {
  await eventually(async () => {
    const response = await fetch(`${baseUrl}/api/jobs/${encodeURIComponent(submissionId)}`);
    return ((await response.json()) as { status: string }).status;
  }, status);
}
