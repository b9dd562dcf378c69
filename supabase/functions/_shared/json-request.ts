import { formatPath } from '@core/run-constants.ts';
import type { z } from 'zod';
import { corsHeaders, errorResponse } from './cors.ts';
import {
  BodyAbortedError,
  BodyBudgetError,
  BodyEncodingError,
  BodyTimeoutError,
  BodyTooLargeError,
  type ReadBodyOptions,
  readBodyWithLimit,
} from './read-body.ts';

export type TextRequest =
  | { ok: true; text: string; bytes: number; mediaType: string }
  | { ok: false; response: Response; bytes: number };

export type JsonRequest =
  | { ok: true; text: string; bytes: number; value: unknown }
  | { ok: false; response: Response; bytes: number };

interface RequestRules extends ReadBodyOptions {
  maxBytes: number;
  methods?: string[];
  /** Accepted media types, lower case, without parameters. */
  mediaTypes?: string[];
}

const fail = (status: number, code: string, message: string, bytes = 0, extra?: HeadersInit) => ({
  ok: false as const,
  response: errorResponse(status, code, message, undefined, extra),
  bytes,
});

/**
 * The checks every edge function makes before looking at the body: CORS
 * preflight, method, content type, size (refused before reading it all) and
 * UTF-8. Each failure is a ready response with CORS headers.
 */
export async function readTextRequest(
  request: Request,
  { maxBytes, methods = ['POST'], mediaTypes = ['application/json'], ...reading }: RequestRules,
): Promise<TextRequest> {
  if (request.method === 'OPTIONS') {
    return {
      ok: false,
      response: new Response(null, { status: 204, headers: corsHeaders }),
      bytes: 0,
    };
  }
  if (!methods.includes(request.method)) {
    const allow = [...methods, 'OPTIONS'].join(', ');
    return fail(
      405,
      'method_not_allowed',
      `${request.method} is not allowed; use ${methods.join(' or ')}`,
      0,
      { Allow: allow },
    );
  }
  const mediaType =
    (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!mediaTypes.includes(mediaType)) {
    return fail(415, 'unsupported_media_type', `content-type must be ${mediaTypes.join(' or ')}`);
  }
  try {
    const { text, bytes } = await readBodyWithLimit(request, maxBytes, reading);
    return { ok: true, text, bytes, mediaType };
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return fail(413, 'payload_too_large', `body exceeds the limit of ${maxBytes} bytes`);
    }
    if (error instanceof BodyEncodingError) return fail(400, 'invalid_encoding', error.message);
    if (error instanceof BodyTimeoutError) {
      return fail(408, 'request_timeout', error.message);
    }
    if (error instanceof BodyBudgetError) {
      return fail(503, 'busy', error.message, 0, { 'Retry-After': '1' });
    }
    // Nobody is left to read this answer; it is for the log.
    if (error instanceof BodyAbortedError) return fail(400, 'body_aborted', error.message);
    throw error;
  }
}

/** readTextRequest for `application/json`, then JSON syntax. */
export async function readJsonRequest(
  request: Request,
  rules: Omit<RequestRules, 'mediaTypes'>,
): Promise<JsonRequest> {
  const body = await readTextRequest(request, rules);
  if (!body.ok) return body;
  try {
    return { ok: true, text: body.text, bytes: body.bytes, value: JSON.parse(body.text) };
  } catch (error) {
    return fail(
      400,
      'invalid_json',
      `body is not valid JSON: ${(error as Error).message}`,
      body.bytes,
    );
  }
}

/** zod issues as the API reports them: a path per field and a one-line summary. */
export function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) {
  const list = issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const summary = list
    .slice(0, 3)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  return { list, summary };
}

/** readJsonRequest, then the body checked against `schema`: a 400 naming the fields when it does not fit. */
export async function readValidJson<T extends z.ZodType>(
  request: Request,
  schema: T,
  options: Omit<RequestRules, 'mediaTypes'>,
): Promise<{ ok: true; data: z.infer<T> } | { ok: false; response: Response }> {
  const body = await readJsonRequest(request, options);
  if (!body.ok) return body;
  const parsed = schema.safeParse(body.value);
  if (parsed.success) return { ok: true, data: parsed.data };
  const { list, summary } = describeIssues(parsed.error.issues);
  return { ok: false, response: errorResponse(400, 'invalid_request', summary, list) };
}
