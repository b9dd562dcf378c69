import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutFunctions, functionsDir } from '../config/checkout.ts';

/**
 * One place for dependency versions: package-lock.json. The edge functions run
 * on Deno, which takes its packages from each function's deno.json (`npm:zod@4.6.7`);
 * they must be the versions Node runs in the tests, the runner and the console.
 */

const repo = path.resolve(import.meta.dirname, '..');

interface Pin {
  fn: string;
  alias: string;
  name: string;
  version: string | undefined;
}

/** The `npm:` entries of a deno.json import map: `npm:@scope/name@1.2.3/sub` -> @scope/name, 1.2.3. */
function npmPins(fn: string, denoJson: { imports?: Record<string, string> }): Pin[] {
  return Object.entries(denoJson.imports ?? {})
    .filter(([, target]) => target.startsWith('npm:'))
    .map(([alias, target]) => {
      const match = /^npm:(@[^/@]+\/[^/@]+|[^/@]+)(?:@([^/]+))?/.exec(target);
      return { fn, alias, name: match?.[1] ?? target, version: match?.[2] };
    });
}

/** Each pin that is not exactly the version package-lock.json installs, as a sentence. */
function offLock(pins: Pin[], lock: { packages: Record<string, { version?: string }> }): string[] {
  return pins.flatMap(({ fn, alias, name, version }) => {
    const installed = lock.packages[`node_modules/${name}`]?.version;
    if (installed === undefined) {
      return [
        `${fn}/deno.json "${alias}": npm:${name} is not in package-lock.json (add it to package.json)`,
      ];
    }
    return version === installed
      ? []
      : [
          `${fn}/deno.json "${alias}": npm:${name}@${version ?? '(no version)'}, package-lock.json has ${installed}`,
        ];
  });
}

function functionPins(): Pin[] {
  return checkoutFunctions().flatMap((fn) =>
    npmPins(fn, JSON.parse(readFileSync(path.join(functionsDir, fn, 'deno.json'), 'utf8'))),
  );
}

describe("the edge functions' npm versions", () => {
  const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));

  it('are the versions package-lock.json installs', () => {
    const pins = functionPins();
    expect(pins.map((pin) => pin.name)).toContain('zod');
    expect(offLock(pins, lock)).toEqual([]);
  });

  it('are the same in every function', () => {
    const versions = new Map<string, Set<string>>();
    for (const { name, version } of functionPins()) {
      versions.set(name, (versions.get(name) ?? new Set()).add(version ?? '(no version)'));
    }
    const split = [...versions].filter(([, found]) => found.size > 1);
    expect(split.map(([name, found]) => `${name}: ${[...found].join(', ')}`)).toEqual([]);
  });

  it('name the function, the entry and both versions when one drifts', () => {
    const pins = npmPins('judge-run', {
      imports: {
        '@core/': '../../../core/',
        zod: 'npm:zod@4.1.0',
        '@std/x': 'npm:@std/x/sub',
        left: 'npm:left-pad@1.3.0',
      },
    });
    expect(
      offLock(pins, {
        packages: {
          'node_modules/zod': { version: '4.6.7' },
          'node_modules/@std/x': { version: '1.0.0' },
        },
      }),
    ).toEqual([
      'judge-run/deno.json "zod": npm:zod@4.1.0, package-lock.json has 4.6.7',
      'judge-run/deno.json "@std/x": npm:@std/x@(no version), package-lock.json has 1.0.0',
      'judge-run/deno.json "left": npm:left-pad is not in package-lock.json (add it to package.json)',
    ]);
  });
});
