import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';

export interface ConsoleServer {
  url: string;
  close(): Promise<void>;
}

/** Hashed file names never change content: cache them for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves a built console: files as built (their gzip/brotli copies to
 * browsers that take them), any other path without a file extension gets
 * index.html so the client router can take it (SPA fallback), a missing
 * asset is a 404. index.html is revalidated on every load, so a rebuild shows
 * up at once; everything under /assets/ carries a content hash and is cached
 * for good.
 */
export async function serveConsole(options: {
  dir: string;
  host: string;
  port: number;
}): Promise<ConsoleServer> {
  const files = sirv(options.dir, {
    single: true,
    gzip: true,
    brotli: true,
    etag: true,
    setHeaders: (res: ServerResponse, pathname: string) => {
      res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    files(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${options.port} (console) is already in use`)
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
