import { type SubmitJobRequest, okBody, readLogRanges } from '@jobs/client';
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query';
import { jobKeys } from './jobKeys.js';
import { newerSnapshot } from './jobPages.js';
import { useJobsClient } from './JobsProvider.js';
import type { JobListData, JobView } from './queries.js';

async function invalidateLists(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: jobKeys.lists() }),
    queryClient.invalidateQueries({ queryKey: jobKeys.summaries() }),
  ]);
}

/** Submits a job; resolves to the server's answer (`submission_id`). Lists are read again. */
export function useSubmitJob() {
  const client = useJobsClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (request: SubmitJobRequest) =>
      okBody(await client.submitJob({ body: request })),
    onSettled: () => invalidateLists(queryClient),
  });
}

/**
 * Stops a job (its processes get SIGTERM, then SIGKILL after the grace period). Resolves to
 * whether a stop was started (false: it had already ended); the job is read again into the
 * cache, since a stop is not immediate nothing is shown before the server says so.
 */
export function useStopJob() {
  const client = useJobsClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (submissionId: string) => {
      const params = { submission_id: submissionId };
      const stopped = okBody(await client.stopJob({ params }));
      const job = okBody(await client.getJob({ params }));
      return { stopped, job };
    },
    onSuccess: ({ job }) => {
      queryClient.setQueryData<JobView>(jobKeys.job(job.submission_id), (view) =>
        view === undefined
          ? { job, deleted: false }
          : { ...view, job: newerSnapshot(view.job, job) },
      );
    },
    onSettled: () => invalidateLists(queryClient),
  });
}

function withoutJob(data: JobListData, submissionId: string): JobListData {
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      jobs: page.jobs.filter((job) => job.submission_id !== submissionId),
    })),
  };
}

/**
 * Deletes an ended job and its log. The job leaves every cached list at once, and comes back
 * if the server refuses (it is still active: resolves to false) or the call fails.
 */
export function useDeleteJob() {
  const client = useJobsClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (submissionId: string) =>
      okBody(await client.deleteJob({ params: { submission_id: submissionId } })),
    onMutate: async (submissionId) => {
      await queryClient.cancelQueries({ queryKey: jobKeys.lists() });
      const before = queryClient.getQueriesData<JobListData>({ queryKey: jobKeys.lists() });
      queryClient.setQueriesData<JobListData>({ queryKey: jobKeys.lists() }, (data) =>
        data === undefined ? data : withoutJob(data, submissionId),
      );
      return { before };
    },
    onSuccess: (deleted, submissionId, context) => {
      if (!deleted) {
        for (const [key, data] of context.before) queryClient.setQueryData(key, data);
        return;
      }
      queryClient.setQueryData<JobView>(jobKeys.job(submissionId), (view) =>
        view === undefined ? view : { ...view, deleted: true },
      );
    },
    onError: (_error, _submissionId, context) => {
      for (const [key, data] of context?.before ?? []) queryClient.setQueryData(key, data);
    },
    onSettled: () => invalidateLists(queryClient),
  });
}

/** The whole of a job's log, read in bounded ranges, as a Blob to save. */
export function useDownloadJobLog() {
  const client = useJobsClient();
  return useMutation({
    mutationFn: async (submissionId: string) => {
      // One blob per range: each range's text can be collected once it is in the blob.
      const parts: Blob[] = [];
      for await (const range of readLogRanges(client, submissionId)) {
        parts.push(new Blob([range.text]));
      }
      return new Blob(parts, { type: 'text/plain;charset=utf-8' });
    },
  });
}
