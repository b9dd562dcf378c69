import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from '../config/env.ts';
import {
  DEFAULT_MAX_REST_BODY_BYTES,
  type Gateway,
  type GatewayOptions,
  startGateway,
} from './gateway.ts';
import { freePort } from './processes.ts';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A stand-in upstream that records what reached it; `/early-413` answers
 * before reading the body, `/slow` never answers. `open` counts requests it
 * holds (until answered or cut off).
 */
async function upstream(): Promise<{
  port: number;
  seen: Seen[];
  open: () => number;
  close: () => Promise<void>;
}> {
  const seen: Seen[] = [];
  let open = 0;
  const server = http.createServer((req, res) => {
    open++;
    res.once('close', () => open--);
    if (req.url?.includes('slow')) return;
    if (req.url?.includes('big')) {
      // 64 MiB, far more than socket buffers hold, written as fast as it is read.
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let left = 64;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          left--;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      return pump();
    }
    if (req.url?.includes('early-413')) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end('{"error":{"code":"payload_too_large"}}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'access-control-allow-origin': 'https://upstream.example',
      });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    open: () => open,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const secret = new TextEncoder().encode(LOCAL_JWT_SECRET);
const sign = (claims: Record<string, unknown>, key = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);

describe('gateway', () => {
  let rest: Awaited<ReturnType<typeof upstream>>;
  let fn: Awaited<ReturnType<typeof upstream>>;
  let gateway: Gateway;

  beforeEach(async () => {
    rest = await upstream();
    fn = await upstream();
    gateway = await startGateway({
      port: await freePort(),
      jwtSecret: LOCAL_JWT_SECRET,
      postgrestPort: rest.port,
      functions: new Map([['save-benchmark-run', fn.port]]),
      allowedOrigins: '*',
      maxFunctionBodyBytes: 1024 * 1024,
    });
  });
  afterEach(async () => {
    await gateway.close();
    await rest.close();
    await fn.close();
  });

  it('routes /rest/v1 to PostgREST with the apikey as the bearer token', async () => {
    const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs?select=run_id`, {
      headers: { apikey: LOCAL_ANON_KEY },
    });
    expect(response.status).toBe(200);
    expect(rest.seen[0]?.url).toBe('/benchmark_runs?select=run_id');
    expect(rest.seen[0]?.headers.authorization).toBe(`Bearer ${LOCAL_ANON_KEY}`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('Content-Range');
  });

  it.each([
    ['no key', {}, 'No API key found in request'],
    ['a malformed key', { apikey: 'not-a-jwt' }, 'Invalid API key'],
  ])('refuses REST requests with %s (401)', async (_, headers, message) => {
    const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, { headers });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message });
    expect(rest.seen).toHaveLength(0);
  });

  it('refuses keys signed with another secret, expired tokens and tokens without a role', async () => {
    const forged = await sign({ role: 'service_role' }, new TextEncoder().encode('x'.repeat(40)));
    const expired = await sign({ role: 'anon', exp: Math.floor(Date.now() / 1000) - 60 });
    const roleless = await sign({ sub: 'someone' });
    for (const key of [forged, expired, roleless]) {
      const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
        headers: { apikey: key },
      });
      expect(response.status).toBe(401);
    }
    const badBearer = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
      headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${forged}` },
    });
    expect(badBearer.status).toBe(401);
    expect(rest.seen).toHaveLength(0);
  });

  it('routes /functions/v1/<name> with its body and requires a valid JWT', async () => {
    const missing = await fetch(`${gateway.url}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      body: '{}',
    });
    expect(missing.status).toBe(401);
    const invalid = await fetch(`${gateway.url}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: 'Bearer nonsense' },
      body: '{}',
    });
    expect(invalid.status).toBe(401);
    expect(fn.seen).toHaveLength(0);

    const ok = await fetch(`${gateway.url}/functions/v1/save-benchmark-run?x=1`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`,
        'content-type': 'application/json',
      },
      body: '{"hello":"world"}',
    });
    expect(ok.status).toBe(200);
    expect(fn.seen[0]).toMatchObject({
      method: 'POST',
      url: '/save-benchmark-run?x=1',
      body: '{"hello":"world"}',
    });
    // The gateway's CORS answer replaces the upstream's.
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('tells functions who connected, never what the client claims, and lets browsers read Retry-After', async () => {
    const answer = await fetch(`${gateway.url}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`,
        'x-forwarded-for': '203.0.113.9',
      },
      body: '{}',
    });
    expect(answer.status).toBe(200);
    expect(fn.seen.at(-1)?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(answer.headers.get('access-control-expose-headers')).toMatch(/\bRetry-After\b/);
  });

  it('answers 404 for an unknown function and 502 when a function is down', async () => {
    const unknown = await fetch(`${gateway.url}/functions/v1/nope`, {
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}` },
    });
    expect(unknown.status).toBe(404);
    await fn.close();
    const down = await fetch(`${gateway.url}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}` },
      body: '{}',
    });
    expect(down.status).toBe(502);
    expect((await down.json()).error.code).toBe('bad_gateway');
  });

  it('answers CORS preflights without auth', async () => {
    const response = await fetch(`${gateway.url}/functions/v1/save-benchmark-run`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );
  });

  it('refuses an oversize upload with 413 before forwarding it, and keeps the connection usable', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: Buffer, chunked = false) =>
      new Promise<{ status: number; body: string; socket: unknown }>((resolve, reject) => {
        const headers: http.OutgoingHttpHeaders = {
          authorization: `Bearer ${LOCAL_ANON_KEY}`,
          'content-type': 'application/json',
          ...(chunked ? {} : { 'content-length': body.length }),
        };
        const req = http.request(
          `${gateway.url}/functions/v1/save-benchmark-run`,
          { method: 'POST', agent, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString(),
                socket: req.socket,
              }),
            );
          },
        );
        req.on('error', reject);
        if (chunked) {
          for (let offset = 0; offset < body.length; offset += 64 * 1024)
            req.write(body.subarray(offset, offset + 64 * 1024));
          req.end();
        } else req.end(body);
      });

    const big = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const declared = await send(big);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe('payload_too_large');
    expect(fn.seen).toHaveLength(0);

    const chunked = await send(big, true);
    expect(chunked.status).toBe(413);
    expect(fn.seen).toHaveLength(0);

    const small = await send(Buffer.from('{"after":true}'));
    expect(small.status).toBe(200);
    expect(small.socket).toBe(declared.socket);
    expect(fn.seen[0]?.body).toBe('{"after":true}');
    agent.destroy();
  });
});

describe('gateway CORS with an allow-list', () => {
  it('echoes only allowed origins', async () => {
    const gateway = await startGateway({
      port: await freePort(),
      jwtSecret: LOCAL_JWT_SECRET,
      postgrestPort: await freePort(),
      functions: new Map(),
      allowedOrigins: ['http://127.0.0.1:5173'],
      maxFunctionBodyBytes: 1024,
    });
    const preflight = (origin: string) =>
      fetch(`${gateway.url}/rest/v1/benchmark_runs`, { method: 'OPTIONS', headers: { origin } });
    expect(
      (await preflight('http://127.0.0.1:5173')).headers.get('access-control-allow-origin'),
    ).toBe('http://127.0.0.1:5173');
    expect(
      (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
    await gateway.close();
  });
});

/** Opens a raw connection and sends `head` (and any `body`); answers are collected as they come. */
function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => received, closed };
}

const saveHead = (contentLength: number, path = '/functions/v1/save-benchmark-run') =>
  `POST ${path} HTTP/1.1\r\nhost: gateway\r\nauthorization: Bearer ${LOCAL_ANON_KEY}\r\n` +
  `apikey: ${LOCAL_ANON_KEY}\r\ncontent-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n`;

describe('gateway under aborted, slow and oversize requests', () => {
  let rest: Awaited<ReturnType<typeof upstream>>;
  let fn: Awaited<ReturnType<typeof upstream>>;
  let gateway: Gateway;
  const start = async (overrides: Partial<GatewayOptions> = {}) => {
    gateway = await startGateway({
      port: await freePort(),
      jwtSecret: LOCAL_JWT_SECRET,
      postgrestPort: rest.port,
      functions: new Map([['save-benchmark-run', fn.port]]),
      allowedOrigins: '*',
      maxFunctionBodyBytes: 1024 * 1024,
      ...overrides,
    });
  };
  const save = (body: string) =>
    fetch(`${gateway.url}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(5000),
    });

  beforeEach(async () => {
    rest = await upstream();
    fn = await upstream();
  });
  afterEach(async () => {
    await gateway.close();
    await rest.close();
    await fn.close();
  });

  it('forwards nothing of an upload its client abandons, so 150 of them leave saves working', async () => {
    await start();
    const clients = Array.from({ length: 150 }, () => rawClient(gateway.port));
    await Promise.all(
      clients.map(
        ({ socket }) =>
          new Promise<void>((resolve) =>
            socket.write(`${saveHead(100_000)}{"run_id":"${'x'.repeat(1000)}`, () => resolve()),
          ),
      ),
    );
    for (const { socket } of clients) socket.destroy();
    await Promise.all(clients.map(({ closed }) => closed));

    const response = await save('{"after":"aborts"}');
    expect(response.status).toBe(200);
    expect(fn.seen.map((seen) => seen.body)).toEqual(['{"after":"aborts"}']);
    expect(fn.open()).toBe(0);
  });

  it("forwards a function's larger body when it has its own limit, and only to that function", async () => {
    await start({
      functions: new Map([
        ['save-benchmark-run', fn.port],
        ['save-run-audio', fn.port],
      ]),
      maxFunctionBodyBytes: 1024,
      functionBodyLimits: new Map([['save-run-audio', 4096]]),
    });
    const post = (name: string, bytes: number) =>
      fetch(`${gateway.url}/functions/v1/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ pad: 'x'.repeat(bytes - 10) }),
        signal: AbortSignal.timeout(5000),
      });
    expect((await post('save-run-audio', 4000)).status).toBe(200);
    expect((await post('save-run-audio', 5000)).status).toBe(413);
    expect((await post('save-benchmark-run', 2000)).status).toBe(413);
    expect(fn.seen).toHaveLength(1);
  });

  it('cuts the upstream request off when its client goes away before the answer', async () => {
    await start();
    const leaving = new AbortController();
    const request = fetch(`${gateway.url}/rest/v1/slow`, {
      headers: { apikey: LOCAL_ANON_KEY },
      signal: leaving.signal,
    }).catch(() => 'aborted');
    await vi.waitFor(() => expect(rest.open()).toBe(1));
    leaving.abort();
    expect(await request).toBe('aborted');
    await vi.waitFor(() => expect(rest.open()).toBe(0), { timeout: 2000 });
  });

  it('answers 504 when an upstream does not answer in time, and frees its connection', async () => {
    await start({ timeouts: { upstreamMs: 300 } });
    const response = await fetch(`${gateway.url}/functions/v1/save-benchmark-run/slow`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}` },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    });
    expect(response.status).toBe(504);
    expect((await response.json()).error).toEqual({
      code: 'gateway_timeout',
      message: 'edge function save-benchmark-run did not answer within 300 ms',
    });
    await vi.waitFor(() => expect(fn.open()).toBe(0), { timeout: 2000 });
  });

  it('answers 408 and closes the connection when a body stalls or trickles past its deadline', async () => {
    await start({ timeouts: { bodyIdleMs: 200, bodyMs: 1000 } });
    const stalled = rawClient(gateway.port);
    stalled.socket.write(`${saveHead(100)}{"run_id":`);
    await stalled.closed;
    expect(stalled.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(stalled.received()).toContain('no part of the body arrived for 200 ms');

    const trickling = rawClient(gateway.port);
    trickling.socket.write(saveHead(1000, '/rest/v1/rpc/search'));
    const drip = setInterval(() => trickling.socket.write('x'), 50);
    await trickling.closed;
    clearInterval(drip);
    expect(trickling.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(trickling.received()).toContain('the body did not arrive within 1000 ms');

    expect(fn.seen).toEqual([]);
    expect(rest.seen).toEqual([]);
  });

  it('drops a client that stops reading its answer, and the upstream request behind it', async () => {
    await start({ timeouts: { responseIdleMs: 300 } });
    const reader = rawClient(gateway.port);
    reader.socket.write(
      `GET /rest/v1/big HTTP/1.1\r\nhost: gateway\r\napikey: ${LOCAL_ANON_KEY}\r\n\r\n`,
    );
    await vi.waitFor(() => expect(reader.received()).toMatch(/^HTTP\/1\.1 200 /));
    reader.socket.pause();
    await vi.waitFor(() => expect(rest.open()).toBe(0), { timeout: 3000 });
    reader.socket.destroy();
  });

  it('answers 408 and closes the connection when headers trickle past their deadline', async () => {
    await start({ timeouts: { headersMs: 300 } });
    const slow = rawClient(gateway.port);
    slow.socket.write('GET /rest/v1/benchmark_runs HTTP/1.1\r\nhost: gateway\r\n');
    const drip = setInterval(() => slow.socket.write('x-drip: 1\r\n'), 100);
    await slow.closed;
    clearInterval(drip);
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(rest.seen).toEqual([]);
  });

  it('refuses an oversize body to /rest/v1 with 413 before forwarding it, and keeps the connection usable', async () => {
    await start();
    const client = rawClient(gateway.port);
    // A 100 MB body declared: refused at once, before (almost) any of it is sent.
    client.socket.write(saveHead(100 * 1024 * 1024, '/rest/v1/rpc/search'));
    await vi.waitFor(() => expect(client.received()).toMatch(/^HTTP\/1\.1 413 /));
    expect(client.received()).toContain(
      `body exceeds the limit of ${DEFAULT_MAX_REST_BODY_BYTES} bytes`,
    );
    client.socket.destroy();

    await gateway.close();
    await start({ maxRestBodyBytes: 1024 });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (body: Buffer) =>
      new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
        const req = http.request(
          `${gateway.url}/rest/v1/rpc/search`,
          { method: 'POST', agent, headers: { apikey: LOCAL_ANON_KEY } },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
          },
        );
        req.on('error', reject);
        // Chunked, so the size shows only as the body arrives.
        for (let offset = 0; offset < body.length; offset += 512)
          req.write(body.subarray(offset, offset + 512));
        req.end();
      });
    const refused = await post(Buffer.alloc(64 * 1024, 0x20));
    expect(refused.status).toBe(413);
    expect(rest.seen).toEqual([]);
    const small = await post(Buffer.from('{"q":"x"}'));
    expect(small.status).toBe(200);
    expect(small.socket).toBe(refused.socket);
    expect(rest.seen.map((seen) => seen.body)).toEqual(['{"q":"x"}']);
    agent.destroy();
  });

  it('answers requests for targets that are not a path with 400', async () => {
    await start();
    for (const target of ['//a:99999/x', '/\\a:99999/x', 'http://a/rest/v1/x', '*']) {
      const client = rawClient(gateway.port);
      client.socket.write(`GET ${target} HTTP/1.1\r\nhost: a\r\napikey: ${LOCAL_ANON_KEY}\r\n\r\n`);
      await client.closed;
      expect(client.received(), target).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(rest.seen).toEqual([]);
  });
});

describe('gateway with the new API keys and asymmetric JWTs', () => {
  const PUBLISHABLE = 'sb_publishable_test_key_1';
  const SECRET = 'sb_secret_test_key_1';
  let rest: Awaited<ReturnType<typeof upstream>>;
  let fn: Awaited<ReturnType<typeof upstream>>;
  let gateway: Gateway;
  let ecKey: CryptoKey;
  let rsaKey: CryptoKey;

  beforeEach(async () => {
    rest = await upstream();
    fn = await upstream();
    const ec = await generateKeyPair('ES256');
    const rsa = await generateKeyPair('RS256');
    ecKey = ec.privateKey;
    rsaKey = rsa.privateKey;
    gateway = await startGateway({
      port: await freePort(),
      jwtSecret: LOCAL_JWT_SECRET,
      jwks: {
        keys: [
          { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256' },
          { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' },
        ],
      },
      apiKeys: { publishable: [PUBLISHABLE], secret: [SECRET] },
      postgrestPort: rest.port,
      functions: new Map([
        ['open-fn', fn.port],
        ['jwt-fn', fn.port],
      ]),
      functionsWithoutJwtCheck: new Set(['open-fn']),
      allowedOrigins: '*',
      maxFunctionBodyBytes: 1024 * 1024,
    });
  });
  afterEach(async () => {
    await gateway.close();
    await rest.close();
    await fn.close();
  });

  const signAsymmetric = (alg: 'ES256' | 'RS256', key: CryptoKey, kid: string) =>
    new SignJWT({ role: 'authenticated', sub: 'user-1' })
      .setProtectedHeader({ alg, kid })
      .setExpirationTime('5m')
      .sign(key);

  /** The role of the JWT PostgREST was sent, checked as PostgREST checks it. */
  async function forwardedRole(index = 0) {
    const token = /^Bearer (.+)$/.exec(rest.seen[index]?.headers.authorization ?? '')?.[1];
    expect(token).toBeDefined();
    const { payload } = await jwtVerify(token as string, secret, { algorithms: ['HS256'] });
    return payload;
  }

  it('reads as anon with a publishable key: PostgREST gets a short-lived anon JWT', async () => {
    const now = Date.UTC(2026, 10, 20, 10, 0, 0);
    vi.useFakeTimers({ now, toFake: ['Date'] });
    try {
      const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
        headers: { apikey: PUBLISHABLE },
      });
      expect(response.status).toBe(200);
      // Five minutes, and no `iat`: PostgREST's clock may run behind the gateway's.
      expect(await forwardedRole()).toEqual({
        role: 'anon',
        iss: 'supabase',
        exp: now / 1000 + 300,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('treats a publishable key also sent as the bearer token as no user JWT', async () => {
    const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
      headers: { apikey: PUBLISHABLE, authorization: `Bearer ${PUBLISHABLE}` },
    });
    expect(response.status).toBe(200);
    expect((await forwardedRole()).role).toBe('anon');
  });

  it('acts as service_role with a secret key', async () => {
    const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
      headers: { apikey: SECRET },
    });
    expect(response.status).toBe(200);
    expect((await forwardedRole()).role).toBe('service_role');
  });

  it('refuses keys of the new form that are not the configured ones (401 Invalid API key)', async () => {
    for (const apikey of ['sb_publishable_someone_elses', 'sb_secret_guessed', `${PUBLISHABLE}x`]) {
      const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
        headers: { apikey },
      });
      expect(response.status, apikey).toBe(401);
      expect(await response.json()).toEqual({ message: 'Invalid API key' });
    }
    expect(rest.seen).toHaveLength(0);
  });

  it('still accepts the legacy JWT keys, sent on as they came', async () => {
    const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
      headers: { apikey: LOCAL_ANON_KEY },
    });
    expect(response.status).toBe(200);
    expect(rest.seen[0]?.headers.authorization).toBe(`Bearer ${LOCAL_ANON_KEY}`);
  });

  it('accepts a user JWT signed with an asymmetric key of the JWKS, sent on as it came', async () => {
    for (const token of [
      await signAsymmetric('ES256', ecKey, 'ec-1'),
      await signAsymmetric('RS256', rsaKey, 'rsa-1'),
    ]) {
      const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
        headers: { apikey: PUBLISHABLE, authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      expect(rest.seen.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    }
  });

  it('refuses user JWTs signed by a key outside the JWKS or with another HS256 secret', async () => {
    const stranger = await generateKeyPair('ES256');
    const tokens = [
      await signAsymmetric('ES256', stranger.privateKey, 'ec-1'),
      await sign({ role: 'authenticated' }, new TextEncoder().encode('y'.repeat(40))),
    ];
    for (const token of tokens) {
      const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
        headers: { apikey: PUBLISHABLE, authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Invalid JWT' });
    }
    expect(rest.seen).toHaveLength(0);
  });

  it('lets requests through to a function deployed without the JWT check, which checks the key itself', async () => {
    const response = await fetch(`${gateway.url}/functions/v1/open-fn`, {
      method: 'POST',
      headers: { apikey: PUBLISHABLE },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(fn.seen[0]?.headers.apikey).toBe(PUBLISHABLE);
    expect(fn.seen[0]?.headers.authorization).toBeUndefined();
  });

  it('refuses a caller with no key of this stack before reading its body, for a function without the JWT check', async () => {
    const big = 'x'.repeat(512 * 1024);
    const callers: Array<Record<string, string>> = [
      {},
      { apikey: 'sb_publishable_not_ours' },
      { apikey: 'nonsense' },
    ];
    for (const headers of callers) {
      const response = await fetch(`${gateway.url}/functions/v1/open-fn`, {
        method: 'POST',
        headers,
        body: big,
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(
        /^(missing|invalid)_api_key$/,
      );
    }
    expect(fn.seen).toHaveLength(0);
  });

  it('refuses a JWT without an expiry, however it is signed', async () => {
    const forever = await new SignJWT({ role: 'authenticated', sub: 'user-1' })
      .setProtectedHeader({ alg: 'ES256', kid: 'ec-1' })
      .sign(ecKey);
    const response = await fetch(`${gateway.url}/rest/v1/benchmark_runs`, {
      headers: { apikey: PUBLISHABLE, authorization: `Bearer ${forever}` },
    });
    expect(response.status).toBe(401);
    expect(rest.seen).toHaveLength(0);
  });

  it('keeps the JWT check for the other functions, accepting asymmetric user JWTs', async () => {
    const refused = await fetch(`${gateway.url}/functions/v1/jwt-fn`, {
      method: 'POST',
      headers: { apikey: PUBLISHABLE, authorization: `Bearer ${PUBLISHABLE}` },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    const token = await signAsymmetric('ES256', ecKey, 'ec-1');
    const allowed = await fetch(`${gateway.url}/functions/v1/jwt-fn`, {
      method: 'POST',
      headers: { apikey: PUBLISHABLE, authorization: `Bearer ${token}` },
      body: '{}',
    });
    expect(allowed.status).toBe(200);
    expect(fn.seen).toHaveLength(1);
  });
});
