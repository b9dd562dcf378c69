import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repo = path.dirname(fileURLToPath(import.meta.url));

/**
 * What the dev server may serve over /@fs: the console's sources, the core,
 * engine and data layers it imports, and its dependencies. Nothing else of the
 * repository, and never the stack's data (Postgres files, logs) or secrets,
 * wherever BENCH_DATA_DIR and BENCH_OUTBOX_DIR point.
 */
const fsAllow = ['web', 'core', 'engine', 'data', 'node_modules'].map((dir) =>
  path.join(repo, dir),
);
const fsDeny = [
  // Vite's defaults, which a `deny` list replaces.
  '.env',
  '.env.*',
  '*.{crt,pem,key,p12,pfx,cer,der}',
  '.npmrc',
  '.yarnrc.yml',
  '**/.git/**',
  '*.log',
  '**/.bench-data/**',
  '**/.bench-outbox/**',
  ...[process.env.BENCH_DATA_DIR, process.env.BENCH_OUTBOX_DIR]
    .filter((dir): dir is string => Boolean(dir))
    .map((dir) => `${path.resolve(dir)}/**`),
];

export default defineConfig({
  root: path.join(repo, 'web'),
  envDir: repo,
  plugins: [react()],
  resolve: {
    tsconfigPaths: true,
    // The VAD's loader imports Node's `module` on Node only (see the stub).
    alias: [{ find: /^module$/, replacement: path.join(repo, 'web/src/lib/node-module-stub.ts') }],
  },
  build: { outDir: path.join(repo, 'dist'), emptyOutDir: true },
  server: { host: '127.0.0.1', port: 5173, fs: { strict: true, allow: fsAllow, deny: fsDeny } },
  preview: { host: '127.0.0.1', port: 4173 },
});
