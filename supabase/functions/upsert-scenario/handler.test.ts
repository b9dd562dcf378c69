import { describe, expect, it, vi } from 'vitest';
import type { ScenarioVersion } from '../_shared/scenario-store.ts';
import { createUpsertScenarioHandler } from './handler.ts';
import type { ScenarioStore } from './scenario-store.ts';

const YAML = `name: Screening call
interviewer:
  prompt: You screen candidates for a warehouse job. Ask about shifts.
simulated_user:
  persona: You are Kim, reluctant, answering in few words.
`;

function memoryStore(): ScenarioStore & { versions: Map<string, ScenarioVersion> } {
  const versions = new Map<string, ScenarioVersion>();
  return {
    versions,
    async upsert(version) {
      const created = !versions.has(version.hash);
      if (created) versions.set(version.hash, version);
      return { created, created_at: '2026-11-24T00:00:00.000Z' };
    },
  };
}

function setup(store: ScenarioStore = memoryStore()) {
  return createUpsertScenarioHandler({ store, log: vi.fn(), maxBodyBytes: 4096 });
}

const post = (body: string, contentType = 'application/yaml', method = 'POST') =>
  new Request('http://functions.test/upsert-scenario', {
    method,
    headers: { 'content-type': contentType },
    body: method === 'GET' ? undefined : body,
  });

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('upsert-scenario handler', () => {
  it('stores a new version (201) as uploaded from a file, then recognises it (200)', async () => {
    const store = memoryStore();
    const handler = setup(store);
    const first = await handler(post(YAML));
    expect(first.status).toBe(201);
    const body = (await first.json()) as { scenario_hash: string; name: string; created: boolean };
    expect(body).toMatchObject({ name: 'Screening call', created: true });
    expect(body.scenario_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.versions.get(body.scenario_hash)?.fromFile).toBe(true);

    const again = await handler(post(`# same content\n${YAML}`, 'text/yaml'));
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ scenario_hash: body.scenario_hash, created: false });
  });

  it('takes the JSON equivalent, giving the same version', async () => {
    const handler = setup();
    const fromYaml = (await (await handler(post(YAML))).json()) as { scenario_hash: string };
    const json = JSON.stringify({
      simulated_user: { persona: 'You are Kim, reluctant, answering in few words.' },
      interviewer: { prompt: 'You screen candidates for a warehouse job. Ask about shifts.' },
      name: 'Screening call',
    });
    const fromJson = await handler(post(json, 'application/json; charset=utf-8'));
    expect(fromJson.status).toBe(200);
    expect(await fromJson.json()).toMatchObject({ scenario_hash: fromYaml.scenario_hash });
  });

  it('answers 400 with line and column for a YAML syntax error', async () => {
    const response = await setup()(post('name: a\ninterviewer:\n  prompt: x: y\n'));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_yaml');
    expect(error.message).toMatch(/^line 3, column \d+: /);
  });

  it('answers 400 naming the field for a schema error', async () => {
    const response = await setup()(post(YAML.replace('persona:', 'personna:')));
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('invalid_scenario');
    expect(error.message).toContain('simulated_user.persona');
  });

  it('refuses other methods (405), other media types (415) and big bodies (413)', async () => {
    const handler = setup();
    expect((await handler(post('', 'application/yaml', 'GET'))).status).toBe(405);
    expect((await handler(post(YAML, 'text/plain'))).status).toBe(415);
    const big = await handler(post(`${YAML}description: ${'x'.repeat(5000)}\n`));
    expect(big.status).toBe(413);
  });

  it('answers 503 with Retry-After when the database is unreachable', async () => {
    const handler = setup({ upsert: () => Promise.reject(new Error('ECONNREFUSED')) });
    const response = await handler(post(YAML));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });
});
