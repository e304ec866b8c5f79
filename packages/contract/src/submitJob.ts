import { z } from 'zod';
import { optional } from './optional.js';
import { RuntimeEnvSchema } from './runtimeEnv.js';
import { SubmissionIdSchema } from './submissionId.js';

const NonNegativeNumber = z.number().finite().nonnegative();

export const SubmitJobRequestSchema = z
  .object({
    entrypoint: z
      .string()
      .min(1, 'must be a non-empty shell command')
      .regex(/^[^\0]*$/, 'must not contain NUL characters'),
    submission_id: optional(SubmissionIdSchema),
    /** Legacy alias of submission_id. */
    job_id: optional(SubmissionIdSchema),
    runtime_env: optional(RuntimeEnvSchema),
    metadata: optional(z.record(z.string(), z.string())),
    entrypoint_num_cpus: optional(NonNegativeNumber),
    entrypoint_num_gpus: optional(NonNegativeNumber),
    entrypoint_memory: optional(z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)),
    entrypoint_resources: optional(z.record(z.string(), NonNegativeNumber)),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.submission_id && body.job_id && body.submission_id !== body.job_id) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['job_id'],
        message: 'is a legacy alias of submission_id and must equal it when both are given',
      });
    }
  });
/** What a client sends. */
export type SubmitJobRequest = z.input<typeof SubmitJobRequestSchema>;
/** What the server works with after validation (nulls removed). */
export type ValidSubmitJobRequest = z.output<typeof SubmitJobRequestSchema>;

export const SubmitJobResponseSchema = z.object({ submission_id: z.string() }).strict();
export type SubmitJobResponse = z.infer<typeof SubmitJobResponseSchema>;
