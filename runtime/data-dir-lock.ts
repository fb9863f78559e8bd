import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartError } from '../common/start-error';
import { isAlive, startTime } from './processes';

/**
 * DATA_DIR/conveyor.pid names the Conveyor process that owns DATA_DIR: its embedded Postgres
 * data and Temporal SQLite file. Holding it is what makes it safe for a start to stop a
 * Postgres or dev server still running on that data: its owner is dead, so they are orphans.
 * The file holds the pid and the process's start time, so a reused pid is not taken for it.
 */
export interface DataDirLock {
  /** The pid of the previous owner when it died without releasing DATA_DIR. */
  previousOwner?: number;
  release(): void;
}

interface Owner {
  pid: number;
  started?: string;
}

function readOwner(file: string): Owner | undefined {
  try {
    const [pid, started] = readFileSync(file, 'utf8').trim().split(/\s+/);
    return pid && /^\d+$/.test(pid) ? { pid: Number(pid), started } : undefined;
  } catch {
    return undefined;
  }
}

function ownerIsRunning(owner: Owner): boolean {
  return isAlive(owner.pid) && (!owner.started || startTime(owner.pid) === owner.started);
}

export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'conveyor.pid');
  const mine = `${process.pid} ${startTime(process.pid) ?? ''}\n`;
  let previousOwner: number | undefined;
  // Two tries: the second follows removing a dead owner's file; losing that race to another
  // start means that start owns DATA_DIR now, which the second read reports.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o644 });
      const release = () => {
        if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
      };
      // A crash that skips the orderly stop still frees DATA_DIR for the next start.
      const onExit = () => {
        try {
          release();
        } catch {}
      };
      process.once('exit', onExit);
      return {
        previousOwner,
        release: () => {
          process.off('exit', onExit);
          onExit();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner && owner.pid !== process.pid && ownerIsRunning(owner)) {
      throw new StartError(
        `Conveyor is already running (pid ${owner.pid}) on DATA_DIR ${dir}; stop it or use another DATA_DIR.`,
      );
    }
    previousOwner = owner?.pid;
    try {
      unlinkSync(file);
    } catch {}
  }
  throw new StartError(
    `Another Conveyor is starting on DATA_DIR ${dir}; stop it or use another DATA_DIR.`,
  );
}
