import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutboxEntry, OutboxStore } from '@engine/run-outbox.ts';

/**
 * The headless runner's outbox: one JSON file per run in `dir`, written to a
 * temporary name and renamed, so a crash mid-write never leaves half a run.
 * Writes of one run happen one after another, in the order asked (a run and
 * its audio update the same entry), so the last state asked for is the one on
 * disk. Files that do not parse are left in place for a person to look at.
 */
export function createFileOutboxStore(dir: string): OutboxStore {
  const fileOf = (runId: string) => path.join(dir, `${runId}.json`);
  const queues = new Map<string, Promise<void>>();
  const inTurn = (runId: string, write: () => Promise<void>): Promise<void> => {
    const next = (queues.get(runId) ?? Promise.resolve()).then(write);
    const settled = next.catch(() => {});
    queues.set(runId, settled);
    void settled.then(() => {
      if (queues.get(runId) === settled) queues.delete(runId);
    });
    return next;
  };
  return {
    put(entry) {
      return inTurn(entry.run.run_id, async () => {
        await mkdir(dir, { recursive: true });
        const target = fileOf(entry.run.run_id);
        const temporary = `${target}.${process.pid}.tmp`;
        await writeFile(temporary, JSON.stringify(entry));
        await rename(temporary, target);
      });
    },
    delete(runId) {
      return inTurn(runId, () => rm(fileOf(runId), { force: true }));
    },
    async all() {
      const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      const entries: OutboxEntry[] = [];
      for (const name of names.filter((file) => file.endsWith('.json')).sort()) {
        try {
          entries.push(JSON.parse(await readFile(path.join(dir, name), 'utf8')) as OutboxEntry);
        } catch {
          // Unreadable: keep the file, skip the entry.
        }
      }
      return entries;
    },
  };
}
