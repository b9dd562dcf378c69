import { createStore, del, set, values } from 'idb-keyval';
import type { OutboxEntry, OutboxStore } from './run-outbox.ts';

/** The outbox in IndexedDB: survives reloads, closed tabs and browser restarts. */
export function createIdbOutboxStore(
  dbName = 'realtime-bench',
  storeName = 'run-outbox',
): OutboxStore {
  const store = createStore(dbName, storeName);
  return {
    put: (entry) => set(entry.run.run_id, entry, store),
    delete: (runId) => del(runId, store),
    all: () => values<OutboxEntry>(store),
  };
}
