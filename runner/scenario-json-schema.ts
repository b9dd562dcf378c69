import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarioSchema } from '@core/scenario.ts';
import { z } from 'zod';

export const schemaFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'scenarios',
  'scenario.schema.json',
);

/** The JSON Schema (generated, not formatted by Biome) editors use to validate and complete scenario files, from the zod schema. */
export function scenarioJsonSchemaText(): string {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12' });
  const titled = { $schema: schema.$schema, title: 'Realtime Bench scenario', ...schema };
  return `${JSON.stringify(titled, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, scenarioJsonSchemaText());
  console.log(`wrote ${path.relative(process.cwd(), schemaFile)}`);
}
