import { readFileSync } from 'node:fs';
import { expect, inject, it } from 'vitest';
import { generateTypes, typesFile } from '../../stack/gen-types.ts';

it('data/database.types.ts matches the migrated schema (run `npm run db:types` if not)', async () => {
  const generated = await generateTypes(inject('dbUrl'));
  expect(readFileSync(typesFile, 'utf8')).toBe(generated);
});
