import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { checkoutFunctions, functionsDir } from '../config/checkout.ts';
import { denoBinary } from './functions.ts';

/** Type-checks every edge function with Deno itself, as the Supabase edge runtime will run it. */
let failed = false;
for (const name of checkoutFunctions()) {
  const dir = path.join(functionsDir, name);
  const result = spawnSync(
    denoBinary(),
    ['check', '--quiet', `--config=${path.join(dir, 'deno.json')}`, path.join(dir, 'index.ts')],
    {
      stdio: 'inherit',
      env: { ...process.env, DENO_TLS_CA_STORE: process.env.DENO_TLS_CA_STORE ?? 'mozilla,system' },
    },
  );
  if (result.status !== 0) failed = true;
  else console.log(`deno check ${name}: ok`);
}
process.exit(failed ? 1 : 0);
