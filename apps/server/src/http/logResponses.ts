import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Response } from 'express';
import type { LogFollowEvent } from '../jobs/followJobLogs.js';
import type { LogSlice } from '../logs/jobLogs.js';

/** `{"logs": "<the stream's text>"}` produced as the stream is read, never held whole. */
export function logsAsJson(source: Readable): Readable {
  const decoder = new StringDecoder('utf8');
  async function* json() {
    yield '{"logs":"';
    for await (const chunk of source) {
      yield JSON.stringify(decoder.write(chunk as Buffer)).slice(1, -1);
    }
    yield `${JSON.stringify(decoder.end()).slice(1, -1)}"}`;
  }
  return Readable.from(json());
}

export function setLogRangeHeaders(
  res: Response,
  slice: Pick<LogSlice, 'start' | 'end' | 'size'>,
): void {
  res.setHeader('X-Log-Start', String(slice.start));
  res.setHeader('X-Log-End', String(slice.end));
  res.setHeader('X-Log-Size', String(slice.size));
}

/** Server-Sent Events framing of a log follower's events. */
export function logEventStream(events: AsyncGenerator<LogFollowEvent>): Readable {
  async function* frames() {
    yield 'retry: 2000\n\n';
    for await (const event of events) {
      switch (event.type) {
        case 'log':
          yield `event: log\nid: ${event.end}\ndata: ${JSON.stringify({ start: event.start, text: event.text })}\n\n`;
          break;
        case 'idle':
          yield ': still here\n\n';
          break;
        case 'end':
          yield `event: end\ndata: ${JSON.stringify(event.job)}\n\n`;
          break;
      }
    }
  }
  return Readable.from(frames());
}
