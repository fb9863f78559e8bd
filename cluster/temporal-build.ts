import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The Temporal server the cluster runs: the version the dev server of the tests embeds. */
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
/** Its go.mod asks for a newer Go than Debian ships; the module proxy serves this toolchain. */
const GO_TOOLCHAIN = 'go1.27.3';
const CACHE = resolve('.cache/temporal-server', TEMPORAL_SERVER_VERSION);

export interface TemporalBinaries {
  server: string;
  sqlTool: string;
}

/**
 * The Temporal server and its SQL schema tool, built once from the Go module proxy into
 * `.cache/temporal-server/<version>/bin` (about four minutes on two cores). Throws a one-line
 * reason, with what to do, when Go is missing or the build fails. The build runs beside the event
 * loop, not blocking it: a test worker blocked for minutes stops answering its runner.
 */
export async function ensureTemporalBinaries(
  log: (line: string) => void,
): Promise<TemporalBinaries> {
  const bin = join(CACHE, 'bin');
  const binaries = { server: join(bin, 'server'), sqlTool: join(bin, 'sql') };
  if (existsSync(binaries.server) && existsSync(binaries.sqlTool)) return binaries;
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error(
      'The Temporal cluster needs Go to build its server (`go` is not on PATH): install Go 1.21 or newer, or point TEMPORAL_ADDRESS at a cluster you run.',
    );
  }
  mkdirSync(bin, { recursive: true });
  log(
    `Building Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool into ${bin} (once; about four minutes) …`,
  );
  const started = Date.now();
  const status = await new Promise<number | null>((done) => {
    const build = spawn(
      'go',
      [
        'install',
        `go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`,
        `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
      ],
      {
        env: { ...process.env, GOBIN: bin, GOTOOLCHAIN: GO_TOOLCHAIN },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    build.once('error', () => done(null));
    build.once('close', (code) => done(code));
  });
  if (status !== 0) {
    throw new Error(
      `Building Temporal server ${TEMPORAL_SERVER_VERSION} failed (go install exited ${status}); check that the Go module proxy is reachable (GOPROXY) and that ${GO_TOOLCHAIN} can be downloaded.`,
    );
  }
  log(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binaries;
}
