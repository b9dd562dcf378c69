import { expect, it } from 'vitest';
import { checkoutFunctions } from '../config/checkout.ts';
import { checkDeployBundle } from './check-deploy-bundle.ts';

// The Supabase CLI's own `functions deploy --use-api`, against a fake Management API on loopback:
// every function's upload must hold its whole module graph, core/ included.
it('uploads each function with every file it imports, core/ included', async () => {
  const lines: string[] = [];
  expect(await checkDeployBundle((line) => lines.push(line))).toEqual([]);
  expect(lines.filter((line) => / files uploaded /.test(line))).toHaveLength(
    checkoutFunctions().length,
  );
}, 120_000);
