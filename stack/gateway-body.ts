import type http from 'node:http';

export interface BodyLimits {
  maxBytes: number;
  /** Longest pause between two chunks of a body. */
  idleMs: number;
  /** Longest time to receive a whole body, however steadily it trickles. */
  totalMs: number;
}

export type BodyResult =
  | { kind: 'body'; body: Buffer }
  /** Over `maxBytes` (declared or sent): the rest is drained, within the same deadlines, so the connection stays usable. */
  | { kind: 'too_large' }
  /** Too slow: the caller answers 408 and closes the connection. */
  | { kind: 'timeout'; reason: 'idle' | 'total' }
  /** The client went away mid-body: there is no one to answer. */
  | { kind: 'aborted' };

/**
 * Receives a request body whole before anything is sent upstream, as Kong
 * (nginx's request buffering) does: a client that stops mid-upload, trickles
 * bytes or goes away never holds an upstream connection, only its own socket,
 * and only until a deadline.
 */
export function readBody(req: http.IncomingMessage, limits: BodyLimits): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    let draining = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };

    let idleTimer: NodeJS.Timeout | undefined;
    const stopTimers = () => {
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
    };
    const timedOut = (reason: 'idle' | 'total') => {
      stopTimers();
      req.removeListener('data', onData);
      req.pause();
      chunks.length = 0;
      if (draining) {
        // A 413 has been answered already: a client still sending after it loses the connection.
        req.socket.destroy();
        return;
      }
      settle({ kind: 'timeout', reason });
    };
    const totalTimer = setTimeout(() => timedOut('total'), limits.totalMs);
    const armIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => timedOut('idle'), limits.idleMs);
    };

    const tooLarge = () => {
      draining = true;
      chunks.length = 0;
      settle({ kind: 'too_large' });
    };
    const onData = (chunk: Buffer) => {
      armIdle();
      if (draining) return;
      received += chunk.length;
      if (received > limits.maxBytes) return tooLarge();
      chunks.push(chunk);
    };

    req.on('data', onData);
    req.once('end', () => {
      stopTimers();
      if (!draining) settle({ kind: 'body', body: Buffer.concat(chunks, received) });
    });
    req.once('close', () => {
      stopTimers();
      if (!req.complete) settle({ kind: 'aborted' });
    });

    if (Number(req.headers['content-length'] ?? 0) > limits.maxBytes) tooLarge();
    armIdle();
  });
}
