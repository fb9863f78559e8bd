import { createServer, type Server } from 'node:http';
import { registry } from '../common/metrics';

/** A worker's `/metrics` on its own port, for Prometheus to scrape each worker. */
export function serveWorkerMetrics(port: number, host: string): Promise<Server> {
  const server = createServer(async (request, response) => {
    if (request.url !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Only /metrics is served here.\n');
      return;
    }
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
