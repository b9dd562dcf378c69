import type OpenAI from 'openai';
import { z } from 'zod';

// What `GET /v1/models` says of the models the functions accept: which this key
// can use, and the shutdown dates OpenAI has announced for them. The openai
// package's Model type does not declare `shutdown_date` (OpenAI documents it on
// the deprecations page: YYYY-MM-DD, or null when none is announced), so the
// list is read through this schema.

const listedModel = z.object({
  id: z.string(),
  shutdown_date: z.iso.date().nullable().optional(),
});

export interface OpenAIModelsReport {
  /** Of `wanted`, the models OpenAI lists for this key. */
  available: string[];
  /** Of those, the announced shutdown dates (null: none announced). */
  shutdown_dates: Record<string, string | null>;
  /** When OpenAI was asked (ISO 8601). */
  checked_at: string;
}

/** How long one answer of GET /v1/models is reused: the console asks on every load. */
export const MODELS_CACHE_MS = 10 * 60_000;
/** How long a failed ask is remembered, so an OpenAI outage does not slow every load. */
export const MODELS_FAILURE_CACHE_MS = 60_000;
/** The console waits for this GET: OpenAI gets one short try. */
export const MODELS_TIMEOUT_MS = 3_000;

/**
 * Asks OpenAI which of `wanted` it serves, at most once per MODELS_CACHE_MS;
 * null when OpenAI does not answer (the caller goes on without it).
 */
export function createModelsReporter(
  openai: OpenAI,
  wanted: readonly string[],
  now: () => number = Date.now,
) {
  let cached: { at: number; report: OpenAIModelsReport | null } | null = null;
  return async (): Promise<OpenAIModelsReport | null> => {
    const ttl = cached?.report ? MODELS_CACHE_MS : MODELS_FAILURE_CACHE_MS;
    if (cached && now() - cached.at < ttl) return cached.report;
    let listed: Array<z.infer<typeof listedModel>>;
    try {
      const page = await openai.models.list({ maxRetries: 0, timeout: MODELS_TIMEOUT_MS });
      listed = z.array(listedModel).parse(page.data);
    } catch (error) {
      console.error('GET /v1/models failed:', error);
      cached = { at: now(), report: null };
      return null;
    }
    const byId = new Map(listed.map((model) => [model.id, model]));
    const available = [...new Set(wanted)].filter((id) => byId.has(id));
    const report: OpenAIModelsReport = {
      available,
      shutdown_dates: Object.fromEntries(
        available.map((id) => [id, byId.get(id)?.shutdown_date ?? null]),
      ),
      checked_at: new Date(now()).toISOString(),
    };
    cached = { at: now(), report };
    return report;
  };
}
