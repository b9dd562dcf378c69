import http from 'node:http';
import { pipeline } from 'node:stream';

export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface UpstreamTarget {
  port: number;
  path: string;
  /** Named in the 502/504 message, e.g. "PostgREST". */
  name: string;
  /** Headers set by the gateway; they win over the client's. */
  headers: Record<string, string>;
}

export type UpstreamFailure = { status: 502 | 504; code: string; message: string };

/**
 * Sends a fully received request upstream and streams the answer back. The
 * upstream request lives only as long as its client: a client that goes away
 * (or stops reading the answer) takes the upstream request down with it, and an upstream
 * that does not answer within `timeoutMs` is cut off with 504.
 */
export function forwardUpstream(options: {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: Buffer;
  target: UpstreamTarget;
  agent: http.Agent;
  timeoutMs: number;
  /** Longest the client may leave the answer unread before the connection is dropped. */
  responseIdleMs: number;
  responseHeaders: () => http.OutgoingHttpHeaders;
  fail: (failure: UpstreamFailure) => void;
}): void {
  const { req, res, body, target } = options;
  const headers: http.OutgoingHttpHeaders = { ...target.headers };
  for (const [name, value] of Object.entries(req.headers)) {
    if (HOP_BY_HOP.has(name) || name === 'content-length' || name in headers) continue;
    if (value !== undefined) headers[name] = value;
  }
  const hadBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  if (hadBody || body.length > 0) headers['content-length'] = String(body.length);

  const upstream = http.request({
    host: '127.0.0.1',
    port: target.port,
    method: req.method,
    path: target.path,
    headers,
    agent: options.agent,
  });
  upstream.once('socket', (socket) => socket.setNoDelay(true));

  let answered = false;
  const timer = setTimeout(() => {
    upstream.destroy(new UpstreamTimeout());
  }, options.timeoutMs);
  // The client went away before the whole answer reached it: nobody wants the rest.
  res.once('close', () => {
    clearTimeout(timer);
    if (!res.writableFinished) upstream.destroy();
  });

  upstream.once('response', (upstreamRes) => {
    answered = true;
    clearTimeout(timer);
    const responseHeaders = options.responseHeaders();
    for (const [name, value] of Object.entries(upstreamRes.headers)) {
      if (HOP_BY_HOP.has(name) || name.startsWith('access-control-') || value === undefined)
        continue;
      responseHeaders[name] = value;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
    // A client that stops reading would hold the upstream connection behind it.
    res.setTimeout(options.responseIdleMs, () => res.destroy());
    pipeline(upstreamRes, res, (error) => {
      if (error) upstream.destroy();
    });
  });
  upstream.on('error', (error) => {
    clearTimeout(timer);
    // An upstream may answer early (e.g. 413) and reset the upload it refused: the answer stands.
    if (answered || res.writableEnded || res.destroyed) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof UpstreamTimeout) {
      options.fail({
        status: 504,
        code: 'gateway_timeout',
        message: `${target.name} did not answer within ${options.timeoutMs} ms`,
      });
      return;
    }
    options.fail({
      status: 502,
      code: 'bad_gateway',
      message: `${target.name} is not reachable: ${error.message}`,
    });
  });
  upstream.end(body);
}

class UpstreamTimeout extends Error {
  constructor() {
    super('upstream timeout');
  }
}
