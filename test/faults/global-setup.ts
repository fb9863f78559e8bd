import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflows } from '../../worker/create-worker';
import { SCENARIOS } from './catalog';
import { isAlive } from './procs';
import { readResults, updateResultsFile } from './report';

const PREFIX = 'conveyor-faults-';

/** Removes what runs that died left in the temp directory (their pid is in the name). */
function removeStaleRoots() {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(name.slice(PREFIX.length).split('-')[0]);
    if (name.startsWith(PREFIX) && Number.isInteger(pid) && !isAlive(pid)) {
      rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/**
 * The fault suite's one-time work: a temp root the postgres system user can enter, the workflow
 * bundle every worker process loads, and at the end the results table in bench/results.md.
 */
export default async function setup(project: TestProject) {
  removeStaleRoots();
  const root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  chmodSync(root, 0o755);
  const bundle = await bundleWorkflows();
  const bundlePath = join(root, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('faultsRoot', root);
  project.provide('faultsBundlePath', bundlePath);
  console.log(`[faults] root ${root}; workflow bundle built`);

  return () => {
    const results = readResults(root);
    if (results.length > 0) {
      updateResultsFile(resolve('bench', 'results.md'), results, [...SCENARIOS]);
      console.log(`[faults] wrote ${results.length} results to bench/results.md`);
    }
    if (process.env.FAULTS_KEEP) console.log(`[faults] kept ${root} (FAULTS_KEEP)`);
    else if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  };
}
