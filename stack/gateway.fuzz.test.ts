import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, repoRoot } from '../config/env.ts';

/**
 * Raw bytes at the gateway, running in a process of its own as under
 * `npm start`: whatever the request line and headers, the process stays up,
 * keeps answering, and every answer is a well-formed HTTP status line that is
 * not an internal error.
 */

let upstream: http.Server;
let child: ChildProcess;
let port: number;
let childOutput = '';

beforeAll(async () => {
  // Stands in for PostgREST and the functions: reads the body, answers 200.
  upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamPort = (upstream.address() as AddressInfo).port;
  const options = {
    port: 0,
    jwtSecret: LOCAL_JWT_SECRET,
    postgrestPort: upstreamPort,
    functions: [['save-benchmark-run', upstreamPort]],
    allowedOrigins: ['http://127.0.0.1:5173'],
    maxFunctionBodyBytes: 4096,
    maxRestBodyBytes: 1024,
    // Short, so incomplete bodies are answered (408) rather than waited for.
    timeouts: { bodyIdleMs: 150, bodyMs: 600, upstreamMs: 2000 },
    log: undefined,
  };
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/gateway-process.ts', JSON.stringify(options)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.on('data', (chunk) => {
    childOutput += chunk;
  });
  port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      childOutput += chunk;
      const match = /listening (\d+)/.exec(childOutput);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}):\n${childOutput}`)));
  });
}, 30_000);

afterAll(async () => {
  child.kill('SIGKILL');
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

/** True once `answer` holds a whole final response (1xx interim answers skipped). */
function complete(answer: string): boolean {
  let rest = answer;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return false;
    const head = rest.slice(0, end);
    if (/^HTTP\/1\.[01] 1\d\d /.test(head)) {
      rest = rest.slice(end + 4);
      continue;
    }
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    return length !== undefined && rest.length - end - 4 >= Number(length);
  }
}

/**
 * Sends bytes on a fresh connection and returns the first whole answer, or
 * whatever came back before the gateway closed the connection or fell silent.
 */
function exchange(bytes: Buffer, quietMs = 200, maxMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let quiet: NodeJS.Timeout | undefined;
    const answer = () => Buffer.concat(chunks).toString('latin1');
    const done = () => {
      clearTimeout(quiet);
      clearTimeout(cap);
      socket.destroy();
      resolve(answer());
    };
    const cap = setTimeout(done, maxMs);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      clearTimeout(quiet);
      if (complete(answer())) done();
      else quiet = setTimeout(done, quietMs);
    });
    socket.on('close', done);
    socket.on('error', done);
    socket.write(bytes, () => {});
  });
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*\r\n/;

async function expectStillServing(): Promise<void> {
  expect(child.exitCode, childOutput).toBeNull();
  const answer = await exchange(
    Buffer.from(
      `GET /rest/v1/benchmark_runs HTTP/1.1\r\nhost: x\r\napikey: ${LOCAL_ANON_KEY}\r\n\r\n`,
    ),
  );
  expect(answer).toMatch(/^HTTP\/1\.1 200 /);
}

interface RawRequest {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  body: string;
  lineEnd: string;
}

const hostish = fc.oneof(
  fc.constantFrom('a', 'localhost', '127.0.0.1', '[::1]', 'gateway', 'evil.example', ''),
  fc.stringMatching(/^[a-z0-9.-]{1,20}$/),
);
const portish = fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.constantFrom('x', '-1', ''));
const segment = fc.stringMatching(/^[\w.%~-]{0,12}$/);
const anyText = fc.string({ unit: 'binary', maxLength: 40 });
const printable = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);

const hostileTarget = fc.oneof(
  fc.constantFrom(
    '/',
    '*',
    '/rest/v1',
    '/rest/v1/benchmark_runs?select=*&limit=1',
    '/functions/v1/',
    '/functions/v1/nope/x',
    '/functions/v1/save-benchmark-run/../../rest/v1/x',
    '//a:99999/x',
    '/\\a:99999/x',
    'http://a:99999/rest/v1/x',
    '/rest/v1/%',
    '/rest/v1/%ZZ?%',
    '/..%2f..%2f/etc/passwd',
    '/rest/v1/x#frag',
  ),
  fc.tuple(hostish, portish, segment).map(([h, p, s]) => `//${h}:${p}/${s}`),
  fc.tuple(hostish, portish, segment).map(([h, p, s]) => `/\\${h}:${p}/${s}`),
  fc
    .tuple(fc.constantFrom('http', 'https', 'ftp', 'javascript'), hostish, portish, segment)
    .map(([scheme, h, p, s]) => `${scheme}://${h}:${p}/rest/v1/${s}`),
  fc.tuple(hostish, portish).map(([h, p]) => `${h}:${p}`),
  fc
    .tuple(fc.constantFrom('/rest/v1/', '/functions/v1/', '/', ''), fc.oneof(printable, anyText))
    .map(([prefix, rest]) => prefix + rest),
);
const hostileMethod = fc.oneof(
  fc.constantFrom('CONNECT', 'TRACE', 'PRI', 'get', 'M-SEARCH', 'PROPFIND', 'QUERY', ''),
  fc.stringMatching(/^[A-Z]{1,10}$/),
);
const hostileVersion = fc.constantFrom(
  'HTTP/1.0',
  'HTTP/2.0',
  'HTTP/0.9',
  'HTTP/1.1 x',
  'HTTP/1',
  '',
);
const headerName = fc.oneof(
  fc.constantFrom(
    'host',
    'content-length',
    'transfer-encoding',
    'authorization',
    'apikey',
    'origin',
    'access-control-request-headers',
    'connection',
    'expect',
    'upgrade',
    'content-type',
    'prefer',
    'range',
    'accept-profile',
    'x-forwarded-host',
    'proxy-authorization',
  ),
  fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/),
  anyText,
);
const headerValue = fc.oneof(
  fc.constantFrom(
    LOCAL_ANON_KEY,
    `Bearer ${LOCAL_ANON_KEY}`,
    'Bearer ',
    'Bearer a.b.c',
    'chunked',
    'gzip, chunked',
    'chunked, gzip',
    '100-continue',
    'keep-alive',
    'close',
    'Upgrade',
    'websocket',
    'h2c',
    'http://127.0.0.1:5173',
    'null',
    '0',
    '-1',
    '5',
    '1e3',
    '99999999999999999999',
    ' 5',
    '5, 5',
  ),
  fc.integer({ min: 0, max: 10_000 }).map(String),
  printable,
  anyText,
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** A request the gateway forwards: a read with the anon key, or a save with a body. */
const validRequest: fc.Arbitrary<RawRequest> = fc.oneof(
  fc.constant<RawRequest>({
    method: 'GET',
    target: '/rest/v1/benchmark_runs?select=run_id',
    version: 'HTTP/1.1',
    headers: [
      ['host', 'gateway'],
      ['apikey', LOCAL_ANON_KEY],
    ],
    body: '',
    lineEnd: '\r\n',
  }),
  fc.string({ maxLength: 200 }).map((json) => ({
    method: 'POST',
    target: '/functions/v1/save-benchmark-run',
    version: 'HTTP/1.1',
    headers: [
      ['host', 'gateway'],
      ['authorization', `Bearer ${LOCAL_ANON_KEY}`],
      ['content-type', 'application/json'],
      ['content-length', String(Buffer.byteLength(json))],
    ] as [string, string][],
    body: json,
    lineEnd: '\r\n',
  })),
);

/** One change that makes a valid request hostile. */
const mutation: fc.Arbitrary<(request: RawRequest) => RawRequest> = fc.oneof(
  hostileMethod.map((method) => (r: RawRequest) => ({ ...r, method })),
  hostileTarget.map((target) => (r: RawRequest) => ({ ...r, target })),
  hostileVersion.map((version) => (r: RawRequest) => ({ ...r, version })),
  fc
    .tuple(headerName, headerValue)
    .map((header) => (r: RawRequest) => ({ ...r, headers: [...r.headers, header] })),
  fc.tuple(fc.nat(), headerValue).map(([index, value]) => (r: RawRequest) => {
    const headers = [...r.headers];
    const at = index % headers.length;
    headers[at] = [headers[at]?.[0] ?? 'host', value];
    return { ...r, headers };
  }),
  fc.nat().map((index) => (r: RawRequest) => {
    const headers = [...r.headers];
    headers.splice(index % headers.length, 1);
    return { ...r, headers };
  }),
  fc
    .oneof(anyText, fc.constantFrom('0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n'))
    .map((body) => (r: RawRequest) => ({ ...r, body })),
  fc.constant((r: RawRequest) => ({ ...r, lineEnd: '\n' })),
);

const request = fc
  .tuple(validRequest, fc.array(mutation, { minLength: 1, maxLength: 2 }))
  .map(([valid, changes]) => {
    const r = changes.reduce((current, change) => change(current), valid);
    const lines = [`${r.method} ${r.target} ${r.version}`.trimEnd()];
    for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
    return Buffer.from(`${lines.join(r.lineEnd)}${r.lineEnd}${r.lineEnd}${r.body}`, 'latin1');
  });

describe('the gateway under malformed requests (raw sockets)', () => {
  it('answers the 38-byte request that used to kill it with 400, and keeps serving', async () => {
    const answer = await exchange(Buffer.from('GET //a:99999/x HTTP/1.1\r\nHost: a\r\n\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"bad_request"');
    await expectStillServing();
  });

  it('stays up and answers every request line and header set with a valid status', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(request, async (bytes) => {
        const answer = await exchange(bytes);
        if (answer !== '') {
          const status = STATUS_LINE.exec(answer)?.[1];
          expect(status, answer.slice(0, 300)).toBeDefined();
          statuses.set(status as string, (statuses.get(status as string) ?? 0) + 1);
          expect(Number(status), answer.slice(0, 300)).toBeGreaterThanOrEqual(100);
          // Never an internal error; 505 is Node's answer to an HTTP version it does not speak.
          expect(Number(status) < 500 || status === '505', answer.slice(0, 300)).toBe(true);
        }
        await expectStillServing();
      }),
      {
        numRuns: 500,
        seed: 20261201,
        examples: [[Buffer.from('GET //a:99999/x HTTP/1.1\r\n\r\n')]],
      },
    );
    // The requests reach every layer: the parser (400), the routes and key checks, the upstream.
    for (const status of ['200', '400', '401', '404'])
      expect(statuses.get(status)).toBeGreaterThan(0);
  }, 300_000);
});
