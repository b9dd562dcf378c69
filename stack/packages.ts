import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The installed folder of an npm package, even one whose `exports` hide its package.json. */
export function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  for (const modulesDir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(modulesDir, name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`${name} is not installed: run \`npm install\` on this machine`);
}
