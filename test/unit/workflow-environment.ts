import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { resolveTemporalCli } from '../../runtime/temporal-cli';
import { bundleWorkflows } from '../../worker/create-worker';

/**
 * Temporal's test environment for the workflow unit tests: a local server of their own on the
 * project's Temporal CLI (never downloaded), and the workflow bundle built once per file. Nothing
 * else: no Postgres, no API, no global setup, so `npm run test:unit` runs in seconds.
 */
export async function startWorkflowEnvironment() {
  // Workers start and stop per test; their state changes are noise.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await resolveTemporalCli({ allowSdkDownload: false });
  const [environment, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cli.path as string },
        // The server's own lines would drown the test output.
        extraArgs: ['--log-level', 'error'],
      },
    }),
    bundleWorkflows(),
  ]);
  return { environment, workflowBundle: { code: bundle.code } };
}
