export interface SseEvent {
  event: string;
  id: string | undefined;
  data: string;
}

/** Reads Server-Sent Events from a fetch response until `until` says stop or the stream ends. */
export async function readSse(
  response: Response,
  until: (event: SseEvent, all: SseEvent[]) => boolean = () => false,
): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) throw new Error('response has no body');
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return events;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', id: undefined, data: '' };
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          const colon = line.indexOf(':');
          if (colon === 0) continue;
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event.event = text;
          else if (field === 'id') event.id = text;
          else if (field === 'data') data.push(text);
        }
        if (data.length === 0) continue;
        event.data = data.join('\n');
        events.push(event);
        if (until(event, events)) return events;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
