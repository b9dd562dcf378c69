import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutboxEntry, OutboxStore } from '@engine/run-outbox.ts';

/**
 * The headless runner's outbox: one JSON file per run in `dir`, written to a
 * temporary name and renamed, so a crash mid-write never leaves half a run.
 * Files that do not parse are left in place for a person to look at.
 */
export function createFileOutboxStore(dir: string): OutboxStore {
  const fileOf = (runId: string) => path.join(dir, `${runId}.json`);
  return {
    async put(entry) {
      await mkdir(dir, { recursive: true });
      const target = fileOf(entry.run.run_id);
      const temporary = `${target}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(entry));
      await rename(temporary, target);
    },
    async delete(runId) {
      await rm(fileOf(runId), { force: true });
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
