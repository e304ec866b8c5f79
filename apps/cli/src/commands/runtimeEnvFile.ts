import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parse } from 'yaml';

/** A runtime environment from a YAML (or JSON) file, in Ray's format: a mapping of its keys. */
export function readRuntimeEnvFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(`cannot read ${path}: ${(error as Error).message}.`);
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (error) {
    const firstLine = (error as Error).message.split('\n')[0] ?? '';
    throw new InvalidArgumentError(`${path} is not valid YAML: ${firstLine}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(`${path} must hold a mapping, e.g. "env_vars: {MODE: test}".`);
  }
  return parsed as Record<string, unknown>;
}
