/** One Server-Sent Events message as a client reads it. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
  /** `performance.now()` when the message was read. */
  at: number;
}

export interface SseConnection {
  status: number;
  messages: SseMessage[];
  /** Comment lines (keep-alives) read so far. */
  comments: number;
  /** Resolves when the server ends the stream or it is closed. */
  ended: Promise<void>;
  /** Resolves once `predicate` holds for the messages read (checked as each one arrives). */
  until(predicate: (messages: SseMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Opens an event stream with fetch and parses it as it arrives (the `text/event-stream` rules
 * the API uses: `id`, `event`, `data` fields, comment lines, blank-line separated).
 */
export async function openSse(
  url: string,
  key: string,
  headers: Record<string, string> = {},
): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${key}`, ...headers },
    signal: abort.signal,
  });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const connection: SseConnection = {
    status: response.status,
    messages,
    comments: 0,
    ended: Promise.resolve(),
    async until(predicate, timeoutMs = 30_000) {
      if (predicate(messages)) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE condition not met in ${timeoutMs} ms (${messages.length} read)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        connection.ended.then(check);
      });
    },
    close: () => abort.abort(),
  };
  if (!response.body || response.status !== 200) return connection;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  connection.ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { data: '', at: performance.now() };
          let isComment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            isComment = false;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id') message.id = text;
            else if (field === 'event') message.event = text;
            else if (field === 'data')
              message.data = message.data ? `${message.data}\n${text}` : text;
          }
          if (isComment) connection.comments++;
          else messages.push(message);
          for (const waiter of [...waiters]) waiter();
        }
      }
    } catch {
      // Aborted by close(): the stream simply ends.
    }
  })();
  return connection;
}
