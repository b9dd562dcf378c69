import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { readBody } from './gateway-body.ts';
import { forwardUpstream, type UpstreamTarget } from './gateway-upstream.ts';

/**
 * The local stand-in for Supabase's API gateway (Kong): routes /rest/v1/* to
 * PostgREST and /functions/v1/<name> to that edge function, checks keys and
 * JWTs like Supabase does, and answers CORS.
 */
export interface GatewayOptions {
  port: number;
  host?: string;
  jwtSecret: string;
  postgrestPort: number;
  /** Edge function name → port of the Deno process serving it. */
  functions: ReadonlyMap<string, number>;
  allowedOrigins: string[] | '*';
  /** Largest body forwarded to a function; bigger uploads get 413 here, before any byte is forwarded. */
  maxFunctionBodyBytes: number;
  /** Largest body forwarded to PostgREST (which would read 100 MB before refusing it). */
  maxRestBodyBytes?: number;
  timeouts?: Partial<GatewayTimeouts>;
  /** Where unexpected request failures are written (stderr by default). */
  log?: (line: string) => void;
}

export interface GatewayTimeouts {
  /** To receive a request's headers (slowloris). */
  headersMs: number;
  /** Longest pause within a body. */
  bodyIdleMs: number;
  /** To receive a whole body, however steadily it trickles. */
  bodyMs: number;
  /** For an upstream to start answering; the hosted edge runtime's request idle timeout. */
  upstreamMs: number;
  /** Longest a client may leave an answer unread (a slow reader holds an upstream connection). */
  responseIdleMs: number;
}

export const DEFAULT_GATEWAY_TIMEOUTS: GatewayTimeouts = {
  headersMs: 20_000,
  bodyIdleMs: 15_000,
  bodyMs: 120_000,
  upstreamMs: 150_000,
  responseIdleMs: 30_000,
};

/** The console sends no bodies to PostgREST; RPC arguments fit far below this. */
export const DEFAULT_MAX_REST_BODY_BYTES = 1024 * 1024;

export interface Gateway {
  port: number;
  url: string;
  close(): Promise<void>;
}

const DEFAULT_ALLOWED_HEADERS =
  'authorization, x-client-info, apikey, content-type, content-profile, accept-profile, prefer, range, x-upsert';

class TokenVerifier {
  private readonly secret: Uint8Array;
  /** Verified tokens until they expire: HMAC verification is the gateway's only per-request cost. */
  private readonly cache = new Map<string, number>();

  constructor(secret: string) {
    this.secret = new TextEncoder().encode(secret);
  }

  async isValid(token: string): Promise<boolean> {
    const now = Date.now() / 1000;
    const cachedExpiry = this.cache.get(token);
    if (cachedExpiry !== undefined) {
      if (cachedExpiry > now) return true;
      this.cache.delete(token);
      return false;
    }
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: ['HS256'] });
      if (typeof payload.role !== 'string') return false;
      if (this.cache.size >= 1000) this.cache.clear();
      this.cache.set(token, payload.exp ?? Number.POSITIVE_INFINITY);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * The request target as a URL on this gateway, or undefined for anything but
 * a plain path: an absolute or authority form, `*`, or a path that a URL
 * parser would read as another host (`//host:port/…`, `/\\host/…`).
 */
export function parseTarget(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/') || target.startsWith('//')) return undefined;
  try {
    const url = new URL(target, 'http://gateway');
    return url.host === 'gateway' ? url : undefined;
  } catch {
    return undefined;
  }
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const verifier = new TokenVerifier(options.jwtSecret);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128, keepAliveMsecs: 10_000 });
  const host = options.host ?? '127.0.0.1';
  const timeouts = { ...DEFAULT_GATEWAY_TIMEOUTS, ...options.timeouts };
  const maxRestBodyBytes = options.maxRestBodyBytes ?? DEFAULT_MAX_REST_BODY_BYTES;
  const log = options.log ?? ((line: string) => console.error(line));

  const corsHeaders = (req: http.IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    const headers: Record<string, string> = {
      'Access-Control-Expose-Headers':
        'Content-Range, Content-Location, Range-Unit, Preference-Applied, Retry-After',
    };
    if (options.allowedOrigins === '*') headers['Access-Control-Allow-Origin'] = '*';
    else if (origin && options.allowedOrigins.includes(origin)) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers.Vary = 'Origin';
    }
    return headers;
  };

  const reply = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    body: unknown,
    extraHeaders: Record<string, string> = {},
  ) => {
    if (res.headersSent || res.destroyed) return;
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      ...corsHeaders(req),
      ...extraHeaders,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
    });
    res.end(payload);
    // An unread request body must still be consumed so the connection stays usable.
    req.resume();
  };

  /** Receives the whole body (within its limit and deadlines), then forwards it. */
  const proxy = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: UpstreamTarget,
    maxBodyBytes: number,
  ) => {
    const received = await readBody(req, {
      maxBytes: maxBodyBytes,
      idleMs: timeouts.bodyIdleMs,
      totalMs: timeouts.bodyMs,
    });
    switch (received.kind) {
      case 'aborted':
        return;
      case 'too_large':
        return reply(req, res, 413, {
          error: {
            code: 'payload_too_large',
            message: `body exceeds the limit of ${maxBodyBytes} bytes`,
          },
        });
      case 'timeout':
        return reply(
          req,
          res,
          408,
          {
            error: {
              code: 'request_timeout',
              message:
                received.reason === 'idle'
                  ? `no part of the body arrived for ${timeouts.bodyIdleMs} ms`
                  : `the body did not arrive within ${timeouts.bodyMs} ms`,
            },
          },
          { Connection: 'close' },
        );
      case 'body':
        return forwardUpstream({
          req,
          res,
          body: received.body,
          // The caller is who connected, as on hosted Supabase: a client's own X-Forwarded-For
          // is replaced, so per-caller limits cannot be dodged by sending one.
          target: {
            ...target,
            headers: { ...target.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
          },
          agent,
          timeoutMs: timeouts.upstreamMs,
          responseIdleMs: timeouts.responseIdleMs,
          responseHeaders: () => corsHeaders(req),
          fail: ({ status, code, message }) =>
            reply(req, res, status, { error: { code, message } }),
        });
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = parseTarget(req.url);
    if (!url) {
      return reply(
        req,
        res,
        400,
        {
          error: {
            code: 'bad_request',
            message: 'the request target must be a path such as /rest/v1/<table>',
          },
        },
        { Connection: 'close' },
      );
    }

    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req),
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers':
          req.headers['access-control-request-headers'] ?? DEFAULT_ALLOWED_HEADERS,
        'Access-Control-Max-Age': '86400',
      });
      res.end();
      req.resume();
      return;
    }

    if (url.pathname.startsWith('/rest/v1/') || url.pathname === '/rest/v1') {
      const apikey = req.headers.apikey;
      const key =
        (typeof apikey === 'string' ? apikey : undefined) ?? bearer(req.headers.authorization);
      if (!key) return reply(req, res, 401, { message: 'No API key found in request' });
      if (!(await verifier.isValid(key)))
        return reply(req, res, 401, { message: 'Invalid API key' });
      const authorization = bearer(req.headers.authorization);
      if (authorization && authorization !== key && !(await verifier.isValid(authorization))) {
        return reply(req, res, 401, { message: 'Invalid JWT' });
      }
      const rest = url.pathname.slice('/rest/v1'.length) || '/';
      return proxy(
        req,
        res,
        {
          port: options.postgrestPort,
          path: `${rest}${url.search}`,
          name: 'PostgREST',
          headers: authorization ? {} : { authorization: `Bearer ${key}` },
        },
        maxRestBodyBytes,
      );
    }

    const fn = /^\/functions\/v1\/([^/]+)(\/.*)?$/.exec(url.pathname);
    if (fn) {
      const name = fn[1] as string;
      const port = options.functions.get(name);
      if (port === undefined) {
        return reply(req, res, 404, {
          error: { code: 'not_found', message: `no edge function named "${name}"` },
        });
      }
      const token = bearer(req.headers.authorization);
      if (!token)
        return reply(req, res, 401, { code: 401, message: 'Missing authorization header' });
      if (!(await verifier.isValid(token)))
        return reply(req, res, 401, { code: 401, message: 'Invalid JWT' });
      return proxy(
        req,
        res,
        {
          port,
          path: `/${name}${fn[2] ?? ''}${url.search}`,
          name: `edge function ${name}`,
          headers: {},
        },
        options.maxFunctionBodyBytes,
      );
    }

    reply(req, res, 404, { error: { code: 'not_found', message: `no route for ${url.pathname}` } });
  };

  const server = http.createServer(
    // Header and request deadlines are checked every second rather than Node's 30.
    { noDelay: true, keepAlive: true, connectionsCheckingInterval: 1000 },
    (req, res) => {
      // Nothing a request does may escape: an error here is answered (or the connection dropped), never thrown.
      handle(req, res).catch((error: unknown) => {
        log(`gateway     ${req.method} ${String(req.url).slice(0, 200)} failed: ${String(error)}`);
        if (res.headersSent) res.destroy();
        else
          reply(req, res, 500, {
            error: { code: 'internal_error', message: 'the gateway failed' },
          });
      });
    },
  );
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.headersMs + timeouts.bodyMs;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      // Errors after listening (e.g. out of file descriptors on accept) must not end the process.
      server.on('error', (error) => log(`gateway     ${String(error)}`));
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
