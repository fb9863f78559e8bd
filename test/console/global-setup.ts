import type { TestProject } from 'vitest/node';
import { setupRuntime } from '../global-setup';

/** The shared runtime with a Temporal Web UI, so the console's links to it can be followed. */
export default function setup(project: TestProject) {
  return setupRuntime(project, { webUi: true });
}
