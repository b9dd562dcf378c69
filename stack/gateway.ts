import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';

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
}

export interface Gateway {
  port: number;
  url: string;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
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

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const verifier = new TokenVerifier(options.jwtSecret);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128, keepAliveMsecs: 10_000 });
  const host = options.host ?? '127.0.0.1';

  const corsHeaders = (req: http.IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    const headers: Record<string, string> = {
      'Access-Control-Expose-Headers':
        'Content-Range, Content-Location, Range-Unit, Preference-Applied',
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
  ) => {
    const payload = JSON.stringify(body);
    res.writeHead(status, {
      ...corsHeaders(req),
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
    });
    res.end(payload);
    // An unread request body must still be consumed so the connection stays usable.
    req.resume();
  };

  const proxy = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    upstreamPort: number,
    upstreamPath: string,
    extraHeaders: Record<string, string>,
    upstreamName: string,
    maxBodyBytes = Number.POSITIVE_INFINITY,
  ) => {
    const tooLarge = () =>
      reply(req, res, 413, {
        error: {
          code: 'payload_too_large',
          message: `body exceeds the limit of ${maxBodyBytes} bytes`,
        },
      });
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return tooLarge();

    const headers: http.OutgoingHttpHeaders = { ...extraHeaders };
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && value !== undefined && !(name in headers)) headers[name] = value;
    }
    if (req.headers['transfer-encoding']) headers['transfer-encoding'] = 'chunked';

    let requestDone = false;
    req.once('end', () => {
      requestDone = true;
    });

    const upstream = http.request({
      host: '127.0.0.1',
      port: upstreamPort,
      method: req.method,
      path: upstreamPath,
      headers,
      agent,
    });
    upstream.once('socket', (socket) => socket.setNoDelay(true));
    let responded = false;
    upstream.on('response', (upstreamRes) => {
      responded = true;
      upstreamRes.once('error', () => res.destroy());
      const responseHeaders: http.OutgoingHttpHeaders = { ...corsHeaders(req) };
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined && !name.startsWith('access-control-')) {
          responseHeaders[name] = value;
        }
      }
      res.writeHead(upstreamRes.statusCode ?? 502, responseHeaders);
      upstreamRes.pipe(res);
      if (!requestDone) {
        // The upstream answered before the upload finished (e.g. an early 413):
        // stop forwarding, drain the rest so the client connection stays usable,
        // and retire the upstream socket, whose request was cut short.
        req.unpipe(upstream);
        req.resume();
        upstreamRes.once('end', () => upstream.destroy());
      }
    });
    upstream.on('error', (error) => {
      // After an early answer the upstream may reset the upload it refused; the answer stands.
      if (responded || res.writableEnded) return;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      reply(req, res, 502, {
        error: {
          code: 'bad_gateway',
          message: `${upstreamName} is not reachable: ${error.message}`,
        },
      });
    });
    let forwarded = 0;
    req.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      if (forwarded > maxBodyBytes && !requestDone) {
        // A chunked upload ran past the limit: cut it off upstream, refuse it, drain the rest.
        requestDone = true;
        req.unpipe(upstream);
        upstream.destroy();
        if (!res.headersSent) tooLarge();
      }
    });
    req.pipe(upstream);
  };

  const server = http.createServer({ noDelay: true, keepAlive: true }, async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');

    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req),
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers':
          req.headers['access-control-request-headers'] ?? DEFAULT_ALLOWED_HEADERS,
        'Access-Control-Max-Age': '86400',
      });
      res.end();
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
      const extra: Record<string, string> = authorization ? {} : { authorization: `Bearer ${key}` };
      const rest = url.pathname.slice('/rest/v1'.length) || '/';
      return proxy(req, res, options.postgrestPort, `${rest}${url.search}`, extra, 'PostgREST');
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
      const path = `/${name}${fn[2] ?? ''}${url.search}`;
      return proxy(req, res, port, path, {}, `edge function ${name}`, options.maxFunctionBodyBytes);
    }

    reply(req, res, 404, { error: { code: 'not_found', message: `no route for ${url.pathname}` } });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
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
