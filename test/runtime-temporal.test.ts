import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StartError } from '../common/start-error';
import { freePort } from '../runtime/ports';
import { commandLine, isAlive } from '../runtime/processes';
import { type RunningDevServer, startDevServer } from '../runtime/temporal-server';
import { reachableDataDir } from './runtime-support';

/** The dev server launcher on its own: SQLite durability, an orphan of a killed start, ports. */

const dataDir = reachableDataDir('conveyor-temporal-');
const running: RunningDevServer[] = [];
let held: Server | undefined;

afterAll(async () => {
  for (const server of running) await server.stop().catch(() => {});
  held?.close();
  rmSync(dirname(dataDir), { recursive: true, force: true });
});

function pragmas(pid: number | undefined): string[] {
  const argv = commandLine(pid ?? 0) ?? [];
  return argv.filter((_, i) => argv[i - 1] === '--sqlite-pragma');
}

describe('the Temporal dev server launcher', () => {
  it('syncs SQLite at commits unless told durable: false', async () => {
    const durable = await startDevServer({ dataDir, namespace: 'default' });
    running.push(durable);
    expect(pragmas(durable.pid)).toEqual(['journal_mode=WAL', 'synchronous=NORMAL']);
    await durable.stop();

    const fast = await startDevServer({ namespace: 'default', durable: false });
    running.push(fast);
    expect(pragmas(fast.pid)).toEqual(['journal_mode=WAL', 'synchronous=OFF']);
    await fast.stop();
  });

  it('stops a server a killed start left on its SQLite file, when it owns DATA_DIR', async () => {
    const orphan = await startDevServer({ dataDir, namespace: 'default' });
    running.push(orphan);
    // Without ownership, a live server on the file is someone else's: refused, not stopped.
    await expect(startDevServer({ dataDir, namespace: 'default' })).rejects.toThrow(
      `another one (pid ${orphan.pid}) is using ${join(dataDir, 'temporal.sqlite')}`,
    );
    const lines: string[] = [];
    const next = await startDevServer({
      dataDir,
      namespace: 'default',
      stopOrphans: true,
      log: (line) => lines.push(line),
    });
    running.push(next);
    expect(isAlive(orphan.pid as number)).toBe(false);
    expect(lines.join('\n')).toContain(`left running (pid ${orphan.pid})`);
    await next.stop();
  });

  it('names TEMPORAL_PORT when another program holds the port', async () => {
    const port = await freePort();
    held = createServer();
    await new Promise<void>((resolve) => held?.listen(port, '127.0.0.1', resolve));
    const started = startDevServer({ namespace: 'default', port, timeoutMs: 5_000 });
    await expect(started).rejects.toBeInstanceOf(StartError);
    await expect(started).rejects.toThrow(
      `Cannot start the Temporal dev server: port ${port} is in use by another program`,
    );
    await expect(started).rejects.toThrow(/free it or set TEMPORAL_PORT\.$/);
  });
});
