import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseScenarioYaml } from '@core/scenario-yaml.ts';
import { describe, expect, it } from 'vitest';
import { listScenarioFiles } from '../config/scenario-files.ts';
import { scenarioJsonSchemaText, schemaFile } from './scenario-json-schema.ts';

const scenariosDir = path.dirname(schemaFile);

describe('the scenarios folder', () => {
  it('publishes the JSON Schema generated from the zod schema (npm run scenarios:schema)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('holds example scenarios that are valid, distinct versions pointing editors at the schema', async () => {
    const files = await listScenarioFiles(scenariosDir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const hashes = new Set<string>();
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      expect(source.split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
      const parsed = await parseScenarioYaml(source);
      expect(parsed.ok ? parsed.hash : parsed.message).toMatch(/^[0-9a-f]{64}$/);
      if (parsed.ok) hashes.add(parsed.hash);
    }
    expect(hashes.size).toBe(files.length);
  });
});
