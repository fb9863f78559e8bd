/** One Server-Sent Events message: `id` is the event id, `event` its type, `data` its JSON. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Parses a `text/event-stream` body as it arrives (fields `id`, `event`, `data`; comment lines
 * and unknown fields ignored; messages separated by a blank line).
 */
export async function* readEventStream(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let message: Partial<SseMessage> & { lines: string[] } = { lines: [] };
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.search(/\r?\n/);
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(buffer[newline] === '\r' ? newline + 2 : newline + 1);
      newline = buffer.search(/\r?\n/);
      if (line === '') {
        if (message.lines.length > 0) {
          yield { id: message.id, event: message.event, data: message.lines.join('\n') };
        }
        message = { lines: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') message.lines.push(value);
      else if (field === 'id') message.id = value;
      else if (field === 'event') message.event = value;
    }
  }
}
