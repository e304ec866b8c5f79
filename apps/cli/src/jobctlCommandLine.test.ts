import { describe, expect, it } from 'vitest';
import { runJobctl } from './jobctl.js';
import type { Terminal } from './terminal.js';

/** Runs jobctl in this process, capturing what it writes (no server is needed for these). */
async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const terminal: Terminal = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    interactive: false,
  };
  const code = await runJobctl(argv, terminal);
  return { code, stdout, stderr };
}

describe('the jobctl command line', () => {
  it('has --help for every command, listing its options', async () => {
    const top = await run('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('--address <url>');
    const commands = {
      submit: ['--submission-id', '--runtime-env-json', '--working-dir', '--env', '--no-wait'],
      list: ['--status', '--search', '--metadata', '--order', '--limit', '--json'],
      status: ['--json'],
      logs: ['--follow', '--tail'],
      stop: ['--wait'],
      delete: [],
    };
    for (const [command, options] of Object.entries(commands)) {
      expect(top.stdout).toContain(command);
      const help = await run(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: jobctl ${command}`);
      for (const option of options) expect(help.stdout).toContain(option);
    }
  });

  it('rejects malformed option values before calling any server, exiting 2', async () => {
    const cases = [
      [['submit', '--metadata-json', '{nope', '--', 'true'], "'{nope' is invalid"],
      [['submit', '--entrypoint-num-cpus', '-1', '--', 'true'], 'must be a number >= 0'],
      [['submit', '--env', 'NOEQUALS', '--', 'true'], "'NOEQUALS' is not KEY=VALUE"],
      [['list', '--status', 'DONE'], "'DONE' is not one of PENDING"],
      [['list', '--status', 'failed,'], "'' is not one of PENDING"],
      [['list', '--metadata', 'team'], "'team' is not KEY=VALUE"],
      [['list', '--search', ''], 'must not be empty'],
      [['list', '--limit', '-1'], 'must be a whole number >= 0'],
      [['list', '--order', 'fastest'], "'fastest' is not one of newest, oldest, longest, shortest"],
      [['logs', 'x', '--tail', '1000001'], 'must be a whole number from 0 to 1000000'],
      [['logs', 'x', '--tail', 'many'], 'must be a whole number'],
      [['--address', 'localhost:9080', 'list'], "the address 'localhost:9080'"],
      [['submit'], "missing required argument 'entrypoint'"],
    ] as const;
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      expect(result.stderr, argv.join(' ')).toContain(message);
      expect(result.code, argv.join(' ')).toBe(2);
    }
  });
});
