import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalJWKSet,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
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
  /** The legacy JWT secret: HS256 JWTs (the legacy keys, users') are verified and role tokens signed with it. */
  jwtSecret: string;
  /** Public keys that user JWTs signed with asymmetric keys (ES256, RS256) are verified against. */
  jwks?: JSONWebKeySet;
  /**
   * The new, opaque API keys accepted as `apikey`, as the hosted gateway
   * accepts them: a publishable key acts as anon, a secret key as service_role.
   * Any other `sb_…` value is an invalid key.
   */
  apiKeys?: { publishable: readonly string[]; secret: readonly string[] };
  postgrestPort: number;
  /** Edge function name → port of the Deno process serving it. */
  functions: ReadonlyMap<string, number>;
  /**
   * Functions deployed with `verify_jwt = false` (supabase/config.toml): the
   * gateway forwards their requests without a JWT, as the hosted platform
   * does, and the function checks the caller's key itself.
   */
  functionsWithoutJwtCheck?: ReadonlySet<string>;
  allowedOrigins: string[] | '*';
  /** Largest body forwarded to a function; bigger uploads get 413 here, before any byte is forwarded. */
  maxFunctionBodyBytes: number;
  /** Functions whose bodies may be larger (or must be smaller) than maxFunctionBodyBytes: name → limit. */
  functionBodyLimits?: ReadonlyMap<string, number>;
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

type Role = string;

/** Verifies JWTs: HS256 with the legacy secret, ES256/RS256 against the JWKS. */
class TokenVerifier {
  private readonly getKey: JWTVerifyGetKey;
  /** Verified tokens until they expire: signature checks are the gateway's only per-request cost. */
  private readonly cache = new Map<string, { exp: number; role: Role }>();

  constructor(secret: string, jwks: JSONWebKeySet | undefined) {
    const hmacKey = new TextEncoder().encode(secret);
    const keySet = jwks ? createLocalJWKSet(jwks) : undefined;
    this.getKey = async (header, token) => {
      if (header.alg === 'HS256') return hmacKey;
      if (!keySet) throw new Error('no JWKS for an asymmetric JWT');
      return keySet(header, token);
    };
  }

  /** The role claim of a valid token, or undefined. */
  async roleOf(token: string): Promise<Role | undefined> {
    const now = Date.now() / 1000;
    const cached = this.cache.get(token);
    if (cached !== undefined) {
      if (cached.exp > now) return cached.role;
      this.cache.delete(token);
      return undefined;
    }
    try {
      // Every token must expire: one without `exp` would be valid (and cached) forever.
      const { payload } = await jwtVerify(token, this.getKey, {
        algorithms: ['HS256', 'ES256', 'RS256'],
        requiredClaims: ['exp'],
      });
      if (typeof payload.role !== 'string') return undefined;
      if (this.cache.size >= 1000) this.cache.clear();
      this.cache.set(token, { exp: payload.exp as number, role: payload.role });
      return payload.role;
    } catch {
      return undefined;
    }
  }
}

/** Lifetime of the role tokens the gateway signs for an opaque key; renewed well before they expire. */
const ROLE_TOKEN_SECONDS = 300;

/**
 * Short-lived JWTs of a role signed with the legacy secret, which PostgREST
 * verifies: what the gateway sends on for a request that came with an opaque
 * key and no user JWT, as the hosted gateway does.
 */
class RoleTokens {
  private readonly secret: Uint8Array;
  private readonly tokens = new Map<Role, { token: string; exp: number }>();

  constructor(secret: string) {
    this.secret = new TextEncoder().encode(secret);
  }

  async for(role: Role): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const held = this.tokens.get(role);
    if (held && held.exp - now > ROLE_TOKEN_SECONDS / 2) return held.token;
    const exp = now + ROLE_TOKEN_SECONDS;
    // No `iat`: PostgREST refuses a token issued "in the future", and its clock
    // may run behind this process's (a static binary is not moved by libfaketime).
    const token = await new SignJWT({ role, iss: 'supabase' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(exp)
      .sign(this.secret);
    this.tokens.set(role, { token, exp });
    return token;
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

/** The API key a request presents: its `apikey` header, or a (legacy) key as the bearer token. */
function presentedKey(req: http.IncomingMessage): string | undefined {
  const apikey = req.headers.apikey;
  return (typeof apikey === 'string' ? apikey : undefined) ?? bearer(req.headers.authorization);
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const verifier = new TokenVerifier(options.jwtSecret, options.jwks);
  const roleTokens = new RoleTokens(options.jwtSecret);
  const opaqueKeys = new Map<string, Role>([
    ...(options.apiKeys?.publishable ?? []).map((key) => [key, 'anon'] as const),
    ...(options.apiKeys?.secret ?? []).map((key) => [key, 'service_role'] as const),
  ]);
  /** The role an `apikey` acts as: a configured opaque key's, or a valid JWT's; undefined when invalid. */
  const roleOfApiKey = (key: string) =>
    key.startsWith('sb_') ? opaqueKeys.get(key) : verifier.roleOf(key);
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
      const key = presentedKey(req);
      if (!key) return reply(req, res, 401, { message: 'No API key found in request' });
      const keyRole = await roleOfApiKey(key);
      if (keyRole === undefined) return reply(req, res, 401, { message: 'Invalid API key' });
      const authorization = bearer(req.headers.authorization);
      const userJwt = authorization && authorization !== key ? authorization : undefined;
      if (userJwt && (await verifier.roleOf(userJwt)) === undefined) {
        return reply(req, res, 401, { message: 'Invalid JWT' });
      }
      // PostgREST takes only JWTs: a user's goes on as it came; otherwise a legacy key
      // is itself the token, and an opaque key's role gets a short-lived one.
      const upstreamToken = userJwt
        ? undefined
        : key.startsWith('sb_')
          ? await roleTokens.for(keyRole)
          : key;
      const rest = url.pathname.slice('/rest/v1'.length) || '/';
      return proxy(
        req,
        res,
        {
          port: options.postgrestPort,
          path: `${rest}${url.search}`,
          name: 'PostgREST',
          headers: upstreamToken ? { authorization: `Bearer ${upstreamToken}` } : {},
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
      if (!options.functionsWithoutJwtCheck?.has(name)) {
        const token = bearer(req.headers.authorization);
        if (!token)
          return reply(req, res, 401, { code: 401, message: 'Missing authorization header' });
        if ((await verifier.roleOf(token)) === undefined)
          return reply(req, res, 401, { code: 401, message: 'Invalid JWT' });
      } else {
        // The function checks the caller's key itself; refusing a caller with no
        // key of this stack here keeps its body from being read and forwarded.
        const key = presentedKey(req);
        if (!key || (await roleOfApiKey(key)) === undefined) {
          return reply(req, res, 401, {
            error: {
              code: key ? 'invalid_api_key' : 'missing_api_key',
              message: key
                ? "the key is not one of this project's keys"
                : "send the project's publishable key in the apikey header",
            },
          });
        }
      }
      return proxy(
        req,
        res,
        {
          port,
          path: `/${name}${fn[2] ?? ''}${url.search}`,
          name: `edge function ${name}`,
          headers: {},
        },
        options.functionBodyLimits?.get(name) ?? options.maxFunctionBodyBytes,
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
