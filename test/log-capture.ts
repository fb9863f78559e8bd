import { Writable } from 'node:stream';
import { configureLogging } from '../common/log';

/** Sends the process's JSON log lines into the returned array; `stop` silences logging again. */
export function captureLogs(): { lines: Record<string, unknown>[]; stop: () => void } {
  const lines: Record<string, unknown>[] = [];
  const capture = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  configureLogging({ level: 'info', json: true }, capture);
  return { lines, stop: () => configureLogging({ level: 'silent', json: true }) };
}
