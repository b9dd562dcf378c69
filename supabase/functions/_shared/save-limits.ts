import { createByteBudget } from './read-body.ts';
import { createSemaphore } from './semaphore.ts';

/** What a save function bounds: one body's size, the bodies held at once, the saves under way, and slow uploads. */
export interface SaveLimits {
  maxBodyBytes: number;
  budget: ReturnType<typeof createByteBudget>;
  slots: ReturnType<typeof createSemaphore>;
  idleTimeoutMs?: number;
  timeoutMs?: number;
}

interface SaveLimitOptions {
  maxBodyBytes: number;
  /** Body bytes held at once across requests (at least one largest body). */
  maxBufferedBytes: number;
  maxConcurrent: number;
  bodyIdleTimeoutMs?: number;
  bodyTimeoutMs?: number;
}

/** The limits of a save function; refuses a buffered-bytes cap that could not hold one largest body. */
export function saveLimits(options: SaveLimitOptions): SaveLimits {
  const { maxBodyBytes, maxBufferedBytes } = options;
  if (maxBufferedBytes < maxBodyBytes) {
    throw new Error(
      `the buffered-bytes cap (${maxBufferedBytes}) must be at least the body limit (${maxBodyBytes})`,
    );
  }
  return {
    maxBodyBytes,
    budget: createByteBudget(maxBufferedBytes),
    slots: createSemaphore(options.maxConcurrent),
    idleTimeoutMs: options.bodyIdleTimeoutMs,
    timeoutMs: options.bodyTimeoutMs,
  };
}
