export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

export class BodyEncodingError extends Error {}

/**
 * Reads a request body as UTF-8 text, refusing it as soon as it passes `limit`
 * bytes: a declared Content-Length over the limit is refused before reading,
 * and a chunked body is cut off at the first chunk that crosses it.
 */
export async function readBodyWithLimit(
  request: Request,
  limit: number,
): Promise<{ text: string; bytes: number }> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  if (!request.body) return { text: '', bytes: 0 };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }

  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), bytes: received };
  } catch {
    throw new BodyEncodingError('request body is not valid UTF-8');
  }
}
