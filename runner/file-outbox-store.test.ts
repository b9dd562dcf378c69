import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutboxEntry } from '@engine/run-outbox.ts';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileOutboxStore } from './file-outbox-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store() {
  const dir = mkdtempSync(path.join(tmpdir(), 'outbox-store-'));
  dirs.push(dir);
  return createFileOutboxStore(dir);
}

const entry = (changes: Partial<OutboxEntry> = {}): OutboxEntry => ({
  run: makeRun({ run_id: '0b6f1c9e-5d3a-4e8b-9f1c-2a3b4c5d6e7f' }),
  state: 'pending',
  attempts: 0,
  queuedAt: 0,
  nextAttemptAt: null,
  lastError: null,
  ...changes,
});

describe('the runner’s file outbox store', () => {
  it('writes one run’s entries one after another: the last asked for is the one kept', async () => {
    const files = store();
    await Promise.all([
      files.put(entry({ attempts: 1 })),
      files.put(entry({ attempts: 2, runStored: true })),
      files.put(entry({ attempts: 3, runStored: true, awaitingAudio: false })),
    ]);
    expect(await files.all()).toEqual([
      entry({ attempts: 3, runStored: true, awaitingAudio: false }),
    ]);
  });

  it('deletes after the writes asked for before, so a deleted entry does not come back', async () => {
    const files = store();
    const writes = [files.put(entry({ attempts: 1 })), files.put(entry({ attempts: 2 }))];
    await Promise.all([...writes, files.delete(entry().run.run_id)]);
    expect(await files.all()).toEqual([]);
  });
});
