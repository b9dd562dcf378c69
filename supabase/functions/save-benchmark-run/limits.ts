/** Saves one process parses, validates and stores at once, unless SAVE_RUN_MAX_CONCURRENT says otherwise. */
export const DEFAULT_MAX_CONCURRENT_SAVES = 4;
/** Request body bytes one process holds at once (read, waiting or being saved), unless SAVE_RUN_MAX_BUFFERED_BYTES says otherwise. */
export const DEFAULT_MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export { createSemaphore } from '../_shared/semaphore.ts';
