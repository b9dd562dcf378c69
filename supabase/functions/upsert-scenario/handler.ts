import { MAX_SCENARIO_BYTES } from '@core/scenario.ts';
import { parseScenarioYaml } from '@core/scenario-yaml.ts';
import { errorResponse, jsonResponse } from '../_shared/cors.ts';
import { isDataError } from '../_shared/db-errors.ts';
import { readTextRequest } from '../_shared/json-request.ts';
import type { ScenarioStore } from './scenario-store.ts';

export const SCENARIO_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'application/json',
];

export interface UpsertScenarioDeps {
  store: ScenarioStore;
  log: (line: Record<string, unknown>) => void;
  maxBodyBytes?: number;
}

/**
 * POST a scenario file (YAML, or the same content as JSON) → validated, stored
 * once per version: 201 `{ scenario_hash, name, created: true }` for a new
 * version, 200 `{ …, created: false }` for one already stored.
 */
export function createUpsertScenarioHandler(deps: UpsertScenarioDeps) {
  const maxBytes = deps.maxBodyBytes ?? MAX_SCENARIO_BYTES;
  return async (request: Request): Promise<Response> => {
    const body = await readTextRequest(request, { maxBytes, mediaTypes: SCENARIO_MEDIA_TYPES });
    if (!body.ok) return body.response;

    // JSON is YAML, so one parser serves both and reports positions for both.
    const parsed = await parseScenarioYaml(body.text);
    if (!parsed.ok) {
      deps.log({ fn: 'upsert-scenario', status: 400, error: parsed.message });
      return errorResponse(400, parsed.code, parsed.message, parsed.issues);
    }
    const { scenario, hash } = parsed;
    try {
      const stored = await deps.store.upsert({
        hash,
        scenario,
        fromFile: body.mediaType !== 'application/json',
      });
      const status = stored.created ? 201 : 200;
      deps.log({ fn: 'upsert-scenario', scenario_hash: hash, status });
      return jsonResponse(status, {
        scenario_hash: hash,
        name: scenario.name,
        created: stored.created,
        created_at: stored.created_at,
      });
    } catch (error) {
      const message = (error as Error).message;
      if (isDataError(error)) {
        deps.log({ fn: 'upsert-scenario', status: 400, error: message });
        return errorResponse(400, 'rejected_by_database', message);
      }
      deps.log({ fn: 'upsert-scenario', status: 503, error: message });
      return errorResponse(
        503,
        'database_unavailable',
        'the scenario could not be stored right now; retry later',
        undefined,
        { 'Retry-After': '1' },
      );
    }
  };
}
