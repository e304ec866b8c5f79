import { z } from 'zod';

/** 1-64 characters of letters, digits, '-', '_' and '.', not starting with '.'. */
export const submissionIdPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

export const SubmissionIdSchema = z
  .string()
  .regex(
    submissionIdPattern,
    "must be 1-64 characters of letters, digits, '-', '_' or '.', not starting with '.'",
  );
