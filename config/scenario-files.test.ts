import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uploadScenario } from './scenario-files.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'scenario-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('uploadScenario', () => {
  it('says where it looked when nothing answers there', async () => {
    const file = path.join(dir, 'intake.yaml');
    writeFileSync(file, 'name: Intake\n');
    const unreachable: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    const result = await uploadScenario(
      { functionsUrl: 'http://127.0.0.1:56321/functions/v1', anonKey: 'sb_publishable_x' },
      file,
      unreachable,
    );
    expect(result).toEqual({
      file: 'intake.yaml',
      outcome: 'failed',
      detail: expect.stringContaining(
        'fetch failed: nothing answered at http://127.0.0.1:56321/functions/v1',
      ),
    });
    expect(result.detail).toMatch(/BENCH_API_PORT/);
  });

  it('names a file it cannot read', async () => {
    const result = await uploadScenario(
      { functionsUrl: 'http://127.0.0.1:9/functions/v1', anonKey: 'sb_publishable_x' },
      path.join(dir, 'missing.yaml'),
      () => Promise.reject(new Error('not called')),
    );
    expect(result).toMatchObject({ outcome: 'failed', detail: expect.stringMatching(/ENOENT/) });
  });
});
