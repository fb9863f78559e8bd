import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { Harness } from '../harness';

const BIN = new URL('../../bin/conveyor.mjs', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `conveyor` bin as a user would: its own process, from another directory, told
 * where the API is through CONVEYOR_URL and CONVEYOR_API_KEY (and no config file of ours).
 */
export function runCli(
  target: Pick<Harness, 'url' | 'adminKey'> | { url: string; adminKey?: string },
  args: string[],
  env: Record<string, string> = {},
  { terminal = false } = {},
): Promise<CliResult> {
  const command = [process.execPath, BIN, ...args];
  // util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would, wide
  // enough that bars are not cut at the edge.
  const shell = `stty cols 200; ${command.map((part) => `'${part}'`).join(' ')}`;
  const [file, ...argv] = terminal ? ['script', '-qec', shell, '/dev/null'] : command;
  return new Promise((resolve) => {
    execFile(
      file as string,
      argv,
      {
        cwd: tmpdir(),
        env: {
          ...process.env,
          CONVEYOR_URL: target.url,
          CONVEYOR_API_KEY: target.adminKey ?? '',
          CONVEYOR_CONFIG: '/nonexistent/conveyor.yaml',
          ...env,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** stdout as JSON, failing with what the CLI said when it is not. */
export function parseJson(result: CliResult) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
}
