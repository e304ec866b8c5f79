import { type JobListOrder, type JobStatus, jobListOrders, jobStatuses } from '@jobs/client';
import { InvalidArgumentError } from 'commander';
import { maxTailLines } from '../logTail.js';

/** A JSON object given on the command line; its fields are checked by the API. */
export function parseJsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`not valid JSON (${(error as Error).message}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('must be a JSON object, e.g. \'{"key": "value"}\'.');
  }
  return parsed as Record<string, unknown>;
}

export function parseNonNegativeNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new InvalidArgumentError('must be a number >= 0.');
  }
  return number;
}

export function parseCount(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number)) {
    throw new InvalidArgumentError('must be a whole number >= 0.');
  }
  return number;
}

/** A number of log lines, up to what the server reads. */
export function parseLineCount(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > maxTailLines) {
    throw new InvalidArgumentError(`must be a whole number from 0 to ${maxTailLines}.`);
  }
  return number;
}

/** Text to search for; the server refuses an empty one. */
export function parseSearchText(value: string): string {
  if (value === '') throw new InvalidArgumentError('must not be empty.');
  return value;
}

/** `KEY=VALUE`, collected into one object across repeated options. */
export function collectKeyValue(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`'${value}' is not KEY=VALUE.`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

/** One or more statuses, comma-separated or repeated; case does not matter. */
export function collectStatuses(value: string, previous: JobStatus[] = []): JobStatus[] {
  const statuses = value.split(',').map((status) => status.trim().toUpperCase());
  for (const status of statuses) {
    if (!(jobStatuses as readonly string[]).includes(status)) {
      throw new InvalidArgumentError(`'${status}' is not one of ${jobStatuses.join(', ')}.`);
    }
  }
  return [...previous, ...(statuses as JobStatus[])];
}

/** One of the list's orders, as the server names them. */
export function parseListOrder(value: string): JobListOrder {
  if (!(jobListOrders as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`'${value}' is not one of ${jobListOrders.join(', ')}.`);
  }
  return value as JobListOrder;
}
