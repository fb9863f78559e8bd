import { createServer, type Server } from 'node:http';
import { registry } from '../common/metrics';
import { portInUseError } from '../common/start-error';

/**
 * A worker's `/metrics` on its own port, for Prometheus to scrape each worker, and its `/ready`:
 * 503 naming what a starting worker still waits for (`waitingFor`), 200 once it polls.
 */
export function serveWorkerMetrics(
  port: number,
  host: string,
  waitingFor: () => string | undefined = () => undefined,
): Promise<Server> {
  const server = createServer(async (request, response) => {
    if (request.url === '/ready') {
      const waiting = waitingFor();
      response
        .writeHead(waiting ? 503 : 200, { 'content-type': 'text/plain' })
        .end(waiting ? `Not ready: starting, waiting for ${waiting}.\n` : 'Ready: polling.\n');
      return;
    }
    if (request.url !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Only /metrics and /ready are served here.\n');
      return;
    }
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? portInUseError('the worker’s metrics', port, 'METRICS_PORT')
          : error,
      ),
    );
    server.listen(port, host, () => resolve(server));
  });
}
