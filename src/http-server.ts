import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** Starts an Express app on a host and port (0 picks a free one) and resolves once it is listening. */
export async function listen(app: Express, port: number, host: string): Promise<{ server: Server; port: number }> {
  const server = app.listen(port, host);
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Stops an HTTP server gracefully: it stops accepting connections and closes idle keep-alive ones at once,
 * lets in-flight requests finish, and cuts whatever is still open after `graceMs`.
 */
export async function stopHttpServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
