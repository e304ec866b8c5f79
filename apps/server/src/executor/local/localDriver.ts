import type { JobDriver } from '../../domain/jobRecord.js';

/** A local driver process, named for good by its pid and kernel start time. */
export interface LocalDriverProcess {
  pid: number;
  startedAt: string | null;
}

/** The driver record of a job whose wrapper runs on this node as `process`. */
export function localDriver(
  submissionId: string,
  process: LocalDriverProcess,
  node: { nodeIp: string; nodeId: string },
): JobDriver {
  return {
    ref: `${String(process.pid)}:${process.startedAt ?? ''}`,
    id: submissionId,
    pid: String(process.pid),
    nodeIp: node.nodeIp,
    nodeId: node.nodeId,
  };
}

/** The process a local driver reference names; undefined when it is not one of ours. */
export function parseLocalDriverRef(ref: string): LocalDriverProcess | undefined {
  const match = /^(\d+):(\d*)$/.exec(ref);
  if (match === null) return undefined;
  return { pid: Number(match[1]), startedAt: match[2] === '' ? null : (match[2] ?? null) };
}
