import type { SlurmCli } from './slurmCli.js';

/** Node names to addresses (NodeAddr), read from Slurm when a node not seen before shows up. */
export class SlurmNodes {
  private addresses = new Map<string, string>();

  constructor(private readonly cli: SlurmCli) {}

  /** The node's address, '' when Slurm does not say. */
  async addressOf(node: string): Promise<string> {
    if (node === '') return '';
    if (!this.addresses.has(node)) {
      const out = await this.cli.run('sinfo', ['--noheader', '--Node', '--format=%N|%o']);
      this.addresses = new Map(
        out
          .split('\n')
          .map((line) => line.trim().split('|'))
          .filter((parts): parts is [string, string] => parts.length === 2),
      );
    }
    return this.addresses.get(node) ?? '';
  }
}
