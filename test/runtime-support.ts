import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inheritedEnv } from '../runtime/child-env';
import { freePort } from '../runtime/ports';
import { resolveTemporalCli } from '../runtime/temporal-cli';

/**
 * Runs `tsx runtime/main.ts` as a real process group, the way a terminal would: what
 * test/runtime-*.test.ts need to start, kill and restart the whole service.
 */

export const REPO = resolve(import.meta.dirname, '..');

export interface Ports {
  PORT: string;
  POSTGRES_PORT: string;
  TEMPORAL_PORT: string;
  TEMPORAL_UI_PORT: string;
}

export async function freePorts(): Promise<Ports> {
  const ports = new Set<number>();
  while (ports.size < 4) ports.add(await freePort());
  const [api, pg, temporal, ui] = [...ports].map(String) as [string, string, string, string];
  return { PORT: api, POSTGRES_PORT: pg, TEMPORAL_PORT: temporal, TEMPORAL_UI_PORT: ui };
}

/** A DATA_DIR the postgres user can reach (mkdtemp makes 0700 directories). */
export function reachableDataDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return join(dir, 'data');
}

export async function childEnv(extra: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const cli = await resolveTemporalCli({ allowSdkDownload: false });
  return { ...inheritedEnv(), TEMPORAL_CLI_PATH: cli.path ?? '', ...extra };
}

export interface ConveyorProcess {
  child: ChildProcess;
  /** The group leader's pid (tsx); the main process is its child, named in DATA_DIR/conveyor.pid. */
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Signals the whole group, as a terminal's Ctrl-C or `kill -9 -<pgid>` would. */
  signalGroup(signal: NodeJS.Signals): void;
}

const started = new Set<ConveyorProcess>();

export function startMain(
  cwd: string,
  env: NodeJS.ProcessEnv,
  command: string[] = [join(cwd, 'node_modules', '.bin', 'tsx'), 'runtime/main.ts'],
): ConveyorProcess {
  const [file, ...args] = command as [string, ...string[]];
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (!child.pid) throw new Error(`spawning ${command.join(' ')} failed`);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const pid = child.pid;
  const proc: ConveyorProcess = {
    child,
    pid,
    stdout: () => out,
    stderr: () => err,
    exited,
    signalGroup: (signal) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // The group is gone already.
      }
    },
  };
  started.add(proc);
  return proc;
}

/** Kills every group a test started, orphans included (they stay in their group). */
export function killAllStarted(): void {
  for (const proc of started) proc.signalGroup('SIGKILL');
  started.clear();
}

/** Resolves when GET /health answers 200; fails at once if the process exits first. */
export async function waitForHealth(
  proc: ConveyorProcess,
  apiUrl: string,
  timeoutMs = 120_000,
): Promise<void> {
  let exit: string | undefined;
  void proc.exited.then(({ code, signal }) => {
    exit = signal ?? `code ${code}`;
  });
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (exit) {
      throw new Error(
        `main exited (${exit}) before /health answered:\n${proc.stdout()}\n${proc.stderr()}`,
      );
    }
    const status = await fetch(`${apiUrl}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(250);
  }
  throw new Error(`/health did not answer 200 within ${timeoutMs} ms:\n${proc.stdout()}`);
}

/** Calls the API with the admin key Conveyor generated in DATA_DIR. */
export async function api(
  apiUrl: string,
  dataDir: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const key = readFileSync(join(dataDir, 'admin-key'), 'utf8').trim();
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

/** The pid in DATA_DIR/conveyor.pid: the node process running runtime/main.ts. */
export function mainPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'conveyor.pid'), 'utf8').split(/\s+/)[0]);
}
