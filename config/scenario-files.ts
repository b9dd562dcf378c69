import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { callFunction, type FunctionsEndpoint } from '@engine/functions-client.ts';

export interface SyncResult {
  file: string;
  outcome: 'new' | 'unchanged' | 'invalid' | 'failed';
  /** The version hash, or why the file was not stored. */
  detail: string;
}

export const isScenarioFile = (name: string) => /\.ya?ml$/i.test(name);

/** The scenario files of `dir`, sorted; a missing folder has none. */
export async function listScenarioFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names
    .filter(isScenarioFile)
    .sort()
    .map((name) => path.join(dir, name));
}

/** POSTs one scenario file to `upsert-scenario`; never throws. */
export async function uploadScenario(
  endpoint: FunctionsEndpoint,
  file: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SyncResult> {
  const name = path.basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { file: name, outcome: 'failed', detail: (error as Error).message };
  }
  try {
    const { status, data, error } = await callFunction<{ scenario_hash: string }>(
      endpoint,
      'upsert-scenario',
      text,
      { contentType: 'application/yaml', fetchImpl },
    );
    if (data && (status === 201 || status === 200)) {
      return {
        file: name,
        outcome: status === 201 ? 'new' : 'unchanged',
        detail: data.scenario_hash,
      };
    }
    const reason = error?.message ?? `the server answered ${status}`;
    return { file: name, outcome: status === 400 ? 'invalid' : 'failed', detail: reason };
  } catch (error) {
    // Nothing answered: say where it looked, as the stack's port may not be the default.
    return {
      file: name,
      outcome: 'failed',
      detail: `${(error as Error).message}: nothing answered at ${endpoint.functionsUrl} (is the stack up there? BENCH_API_PORT or SUPABASE_URL say where it is)`,
    };
  }
}

/** Upserts every scenario file of `dir`, one at a time; one bad file never stops the others. */
export async function syncScenarios(
  endpoint: FunctionsEndpoint,
  dir: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const file of await listScenarioFiles(dir)) {
    results.push(await uploadScenario(endpoint, file, fetchImpl));
  }
  return results;
}

export function formatSyncResult({ file, outcome, detail }: SyncResult): string {
  const shown = outcome === 'new' || outcome === 'unchanged' ? detail.slice(0, 8) : detail;
  return `${file}: ${outcome}${shown ? ` (${shown})` : ''}`;
}
