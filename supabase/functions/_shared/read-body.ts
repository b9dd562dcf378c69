export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

export class BodyEncodingError extends Error {}

/** The body stopped arriving (idle) or took too long altogether (total). */
export class BodyTimeoutError extends Error {
  constructor(
    readonly kind: 'idle' | 'total',
    readonly ms: number,
  ) {
    super(
      kind === 'idle'
        ? `no body bytes arrived for ${ms} ms; the upload was abandoned`
        : `the body did not arrive within ${ms} ms`,
    );
  }
}

/** The client went away before the body was complete. */
export class BodyAbortedError extends Error {}

/** The process already holds as many body bytes as it may; the caller should retry later. */
export class BodyBudgetError extends Error {}

/**
 * Body bytes a process may hold at once, shared by its requests. Bytes are
 * counted as they arrive, so a slow upload holds only what it has sent.
 */
export interface ByteBudget {
  /** Takes `bytes` if they fit; false (and nothing taken) if not. */
  take(bytes: number): boolean;
  give(bytes: number): void;
  readonly held: number;
  readonly limit: number;
}

export function createByteBudget(limit: number): ByteBudget {
  let held = 0;
  return {
    take(bytes) {
      if (held + bytes > limit) return false;
      held += bytes;
      return true;
    },
    give(bytes) {
      held = Math.max(0, held - bytes);
    },
    get held() {
      return held;
    },
    limit,
  };
}

/** Longest pause between two parts of a body before the upload counts as abandoned. */
export const DEFAULT_BODY_IDLE_TIMEOUT_MS = 10_000;
/** Longest a whole body may take to arrive. */
export const DEFAULT_BODY_TIMEOUT_MS = 60_000;

export interface ReadBodyOptions {
  idleTimeoutMs?: number;
  timeoutMs?: number;
  /**
   * Counts the body's bytes against a shared budget. On success the caller
   * owns the returned `bytes` in it and gives them back when done; on any
   * failure they have been given back already.
   */
  budget?: ByteBudget;
}

/**
 * Reads a request body as UTF-8 text, refusing it as soon as it passes `limit`
 * bytes: a declared Content-Length over the limit is refused before reading,
 * and a chunked body is cut off at the first chunk that crosses it. A body
 * that stalls for `idleTimeoutMs` or is not complete after `timeoutMs` is
 * cancelled, so a trickling or abandoned upload does not hold the request
 * (and its memory) forever.
 */
export async function readBodyWithLimit(
  request: Request,
  limit: number,
  options: ReadBodyOptions = {},
): Promise<{ text: string; bytes: number }> {
  const {
    idleTimeoutMs = DEFAULT_BODY_IDLE_TIMEOUT_MS,
    timeoutMs = DEFAULT_BODY_TIMEOUT_MS,
    budget,
  } = options;
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  // Refuse at once what cannot fit now, rather than part-way through the upload.
  if (budget && Number.isFinite(declared) && budget.held + declared > budget.limit) {
    throw new BodyBudgetError('too many request bodies are being processed; retry later');
  }
  if (!request.body) return { text: '', bytes: 0 };

  const reader = request.body.getReader();
  let chunks: Uint8Array[] = [];
  let received = 0;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const remaining = deadline - Date.now();
      const wait = Math.min(idleTimeoutMs, remaining);
      const kind = wait === idleTimeoutMs ? 'idle' : 'total';
      const { done, value } = await readWithin(reader, wait, () =>
        kind === 'idle'
          ? new BodyTimeoutError('idle', idleTimeoutMs)
          : new BodyTimeoutError('total', timeoutMs),
      );
      if (done) break;
      received += value.byteLength;
      if (received > limit) throw new BodyTooLargeError(limit);
      if (budget && !budget.take(value.byteLength)) {
        received -= value.byteLength;
        throw new BodyBudgetError('too many request bodies are being processed; retry later');
      }
      chunks.push(ownBytes(value));
    }
  } catch (error) {
    chunks = [];
    budget?.give(received);
    reader.cancel().catch(() => {});
    if (
      error instanceof BodyTooLargeError ||
      error instanceof BodyTimeoutError ||
      error instanceof BodyBudgetError
    ) {
      throw error;
    }
    throw new BodyAbortedError(
      `the request body ended abruptly: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  // One buffer for the body; the chunks are let go before it is decoded.
  const bytes = concat(chunks, received);
  chunks = [];
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bytes: received };
  } catch {
    budget?.give(received);
    throw new BodyEncodingError('request body is not valid UTF-8');
  }
}

/**
 * A chunk can be a small view of a large buffer (Deno reads a body into 64 KiB
 * buffers): keep a copy of just its bytes, or a trickle of one-byte chunks
 * would hold 64 KiB each while the budget counts one byte.
 */
export function ownBytes(chunk: Uint8Array): Uint8Array {
  return chunk.byteLength * 2 < chunk.buffer.byteLength ? chunk.slice() : chunk;
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
  timeoutError: () => Error,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (ms <= 0) throw timeoutError();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
