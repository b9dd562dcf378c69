import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scenarioHash, scenarioSchema } from '@core/scenario.ts';
import { scenarioToYaml } from '@core/scenario-yaml.ts';
import { getRuns } from '@data/get-runs.ts';
import { getScenarioVersions } from '@data/get-scenario-versions.ts';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { syncScenarios } from '../../config/scenario-files.ts';
import { adminSql, anonClient, apiUrl, LOCAL_ANON_KEY, saveRun } from '../support/stack-clients.ts';

const sql = adminSql();
afterAll(() => sql.end({ timeout: 1 }));

const endpoint = () => ({ functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY });

/** A scenario file whose name no other test uses. */
function uniqueYaml(label = 'Scenario'): { name: string; yaml: string } {
  const name = `${label} ${randomUUID()}`;
  const scenario = scenarioSchema.parse(makeScenarioInput({ name }));
  return { name, yaml: `# written by a test\n${scenarioToYaml(scenario)}` };
}

const upsert = (body: string, contentType = 'application/yaml') =>
  fetch(`${apiUrl()}/functions/v1/upsert-scenario`, {
    method: 'POST',
    headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': contentType },
    body,
  });

async function storedVersions(name: string) {
  return sql<{ scenario_hash: string; from_file: boolean }[]>`
    select scenario_hash, from_file from public.benchmark_scenarios where name = ${name}`;
}

describe('upsert-scenario on the real stack', () => {
  it('stores a version once: 201, then 200 for the same content, marked as from a file', async () => {
    const { name, yaml } = uniqueYaml();
    const first = await upsert(yaml);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { scenario_hash: string; created: boolean };
    expect(created).toMatchObject({ name, created: true });

    const reordered = yaml.replace('# written by a test\n', '# same content, other comment\n');
    const again = await upsert(reordered, 'text/yaml');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      scenario_hash: created.scenario_hash,
      created: false,
    });
    expect(await storedVersions(name)).toEqual([
      { scenario_hash: created.scenario_hash, from_file: true },
    ]);
    // No upload's text is kept, so no uploader's comments speak for a version.
    const [row] = await sql`
      select to_jsonb(s)::text as stored from public.benchmark_scenarios s where name = ${name}`;
    expect(row?.stored).not.toContain('written by a test');
    expect(row?.stored).not.toContain('other comment');
  });

  it('leaves one row when the same version is uploaded many times at once', async () => {
    const { name, yaml } = uniqueYaml();
    const statuses = await Promise.all(
      Array.from({ length: 8 }, () => upsert(yaml).then((response) => response.status)),
    );
    expect(statuses.sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(await storedVersions(name)).toHaveLength(1);
  });

  it('answers 400 with positions for YAML and schema errors, and stores nothing', async () => {
    const { name, yaml } = uniqueYaml();
    const syntax = await upsert(`${yaml}interviewer: [unclosed\n`);
    expect(syntax.status).toBe(400);
    const syntaxError = ((await syntax.json()) as { error: { code: string; message: string } })
      .error;
    expect(syntaxError.code).toBe('invalid_yaml');
    expect(syntaxError.message).toMatch(/line \d+, column \d+/);

    const schema = await upsert(yaml.replace(/max_turns: \d+/, 'max_turns: many'));
    expect(schema.status).toBe(400);
    const schemaError = ((await schema.json()) as { error: { message: string } }).error;
    expect(schemaError.message).toMatch(/termination\.max_turns/);
    expect(await storedVersions(name)).toEqual([]);
  });

  it('refuses an upload without a valid JWT at the gateway', async () => {
    const response = await fetch(`${apiUrl()}/functions/v1/upsert-scenario`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: uniqueYaml().yaml,
    });
    expect(response.status).toBe(401);
  });
});

describe('runs saved with their scenario', () => {
  it('link each run to its version; an edited prompt is a new version of the same scenario', async () => {
    const name = `Linked ${randomUUID()}`;
    const original = makeScenarioInput({ name });
    const edited = makeScenarioInput({
      name,
      interviewer: { prompt: `${original.interviewer.prompt} Keep it short.` },
    });
    const [originalHash, editedHash] = await Promise.all(
      [original, edited].map((input) => scenarioHash(scenarioSchema.parse(input))),
    );
    const saves = [makeScenarioRun(original), makeScenarioRun(original), makeScenarioRun(edited)];
    for (const run of saves) {
      const response = await saveRun(run);
      expect(response.status).toBe(201);
      expect((await response.json()) as { scenario_hash: string }).toMatchObject({
        scenario_hash: run === saves[2] ? editedHash : originalHash,
      });
    }

    const client = anonClient();
    const byName = await getRuns(client, { cursor: null, filters: { scenario: name } });
    expect(byName.runs).toHaveLength(3);
    expect(byName.runs.every((run) => run.scenario?.name === name)).toBe(true);
    const byVersion = await getRuns(client, { cursor: null, filters: { version: originalHash } });
    expect(byVersion.runs.map((run) => run.run_id).sort()).toEqual(
      [saves[0]?.run_id, saves[1]?.run_id].sort(),
    );

    const versions = (await getScenarioVersions(client)).filter((v) => v.name === name);
    expect(versions.map((v) => v.scenario_hash).sort()).toEqual([originalHash, editedHash].sort());
    expect(versions.every((v) => v.last_run_at !== null && !v.from_file)).toBe(true);
    // The stored content is the canonical one: hashing it again gives its key.
    for (const version of versions) {
      expect(await scenarioHash(scenarioSchema.parse(version.content))).toBe(version.scenario_hash);
    }
  });

  it('marks a version first seen with a run as from a file when its file is uploaded', async () => {
    const name = `Ad hoc first ${randomUUID()}`;
    const input = makeScenarioInput({ name });
    expect((await saveRun(makeScenarioRun(input))).status).toBe(201);
    expect((await storedVersions(name))[0]?.from_file).toBe(false);
    const yaml = scenarioToYaml(scenarioSchema.parse(input));
    expect((await upsert(yaml)).status).toBe(200);
    expect((await storedVersions(name))[0]?.from_file).toBe(true);
  });
});

describe('scenario sync', () => {
  it('stores every good file and reports the bad one, which stops nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-scenarios-'));
    try {
      const good = [uniqueYaml('Sync A'), uniqueYaml('Sync B')];
      writeFileSync(path.join(dir, 'a.yaml'), good[0]?.yaml ?? '');
      writeFileSync(path.join(dir, 'b-broken.yml'), 'name: Broken\ninterviewer: {prompt: [\n');
      writeFileSync(path.join(dir, 'c.yaml'), good[1]?.yaml ?? '');
      writeFileSync(path.join(dir, 'notes.txt'), 'not a scenario');

      const first = await syncScenarios(endpoint(), dir);
      expect(first.map((r) => [r.file, r.outcome])).toEqual([
        ['a.yaml', 'new'],
        ['b-broken.yml', 'invalid'],
        ['c.yaml', 'new'],
      ]);
      expect(first[1]?.detail).toMatch(/line \d+, column \d+/);
      for (const { name } of good) expect(await storedVersions(name)).toHaveLength(1);

      const second = await syncScenarios(endpoint(), dir);
      expect(second.map((r) => r.outcome)).toEqual(['unchanged', 'invalid', 'unchanged']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every file as failed, without throwing, when the API is unreachable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-scenarios-'));
    try {
      writeFileSync(path.join(dir, 'a.yaml'), uniqueYaml().yaml);
      const results = await syncScenarios(
        { functionsUrl: 'http://127.0.0.1:9/functions/v1', anonKey: LOCAL_ANON_KEY },
        dir,
      );
      expect(results).toEqual([{ file: 'a.yaml', outcome: 'failed', detail: expect.any(String) }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
