import type { BenchmarkRun } from '@core/benchmark-run.ts';
import type { RunSink } from './benchmarking-service.ts';

export interface OutboxEntry {
  run: BenchmarkRun;
  /** pending: waiting to be (re)sent; sending: a request is in flight; rejected: the server refused it (4xx). */
  state: 'pending' | 'sending' | 'rejected';
  attempts: number;
  queuedAt: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

/** Durable storage of entries by run_id (IndexedDB in the browser). */
export interface OutboxStore {
  put(entry: OutboxEntry): Promise<void>;
  delete(runId: string): Promise<void>;
  all(): Promise<OutboxEntry[]>;
}

export interface DeliveryAnswer {
  status: number;
  message?: string;
}

export interface OutboxDeps {
  store: OutboxStore;
  /** POSTs the run; resolves with the HTTP status, rejects on network failure. */
  deliver(run: BenchmarkRun): Promise<DeliveryAnswer>;
  now?: () => number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
}

export const defaultBackoff = (attempt: number) =>
  Math.min(60_000, 1000 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

/** Statuses worth retrying: the server may take the same run later. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

type Settled = { outcome: 'saved' | 'rejected'; message?: string };

/**
 * Every finished run is written to durable storage first, then POSTed, and
 * removed only when the server acknowledges it (200/201). Network errors and
 * 5xx retry with backoff, also after a reload; a 4xx is kept, with the
 * server's message, for the user to see and export.
 */
export class RunOutbox implements RunSink {
  private entries = new Map<string, OutboxEntry>();
  private readonly listeners = new Set<() => void>();
  private readonly deliveredListeners = new Set<(run: BenchmarkRun) => void>();
  private readonly waiters = new Map<string, Array<(settled: Settled) => void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private snapshot: readonly OutboxEntry[] = [];
  private readonly now: () => number;
  private readonly backoff: (attempt: number) => number;
  private stopped = false;

  constructor(private readonly deps: OutboxDeps) {
    this.now = deps.now ?? Date.now;
    this.backoff = deps.backoffMs ?? defaultBackoff;
  }

  /** Loads what a previous page left behind and starts delivering it. */
  async init(): Promise<void> {
    this.stopped = false;
    for (const entry of await this.deps.store.all()) {
      if (this.entries.get(entry.run.run_id)?.state === 'sending') continue;
      const restored: OutboxEntry =
        entry.state === 'sending' ? { ...entry, state: 'pending' } : entry;
      this.entries.set(restored.run.run_id, restored);
      if (restored.state === 'pending') this.schedule(restored.run.run_id, 0);
    }
    this.publish();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): readonly OutboxEntry[] => this.snapshot;

  /** Called with each run once the server has stored it. */
  onDelivered(listener: (run: BenchmarkRun) => void): () => void {
    this.deliveredListeners.add(listener);
    return () => this.deliveredListeners.delete(listener);
  }

  /** Persists the run, then delivers it; settles when it is stored or refused for good. */
  async submit(run: BenchmarkRun): Promise<Settled> {
    const entry: OutboxEntry = {
      run,
      state: 'pending',
      attempts: 0,
      queuedAt: this.now(),
      nextAttemptAt: null,
      lastError: null,
    };
    await this.deps.store.put(entry);
    this.entries.set(run.run_id, entry);
    this.publish();
    const settled = new Promise<Settled>((resolve) => {
      const list = this.waiters.get(run.run_id) ?? [];
      list.push(resolve);
      this.waiters.set(run.run_id, list);
    });
    void this.attempt(run.run_id);
    return settled;
  }

  /** Sends a pending or rejected run again now. */
  retry(runId: string): void {
    const entry = this.entries.get(runId);
    if (!entry || entry.state === 'sending') return;
    void this.attempt(runId);
  }

  /** Forgets a refused run (after the user has exported it). */
  async discard(runId: string): Promise<void> {
    const entry = this.entries.get(runId);
    if (entry?.state !== 'rejected') return;
    await this.deps.store.delete(runId);
    this.entries.delete(runId);
    this.publish();
  }

  /** Stops timers (page teardown, tests); stored entries stay for the next `init`. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(runId: string): Promise<void> {
    const entry = this.entries.get(runId);
    if (!entry || this.stopped) return;
    this.clearTimer(runId);
    this.update(runId, { state: 'sending', attempts: entry.attempts + 1, nextAttemptAt: null });

    let answer: DeliveryAnswer;
    try {
      answer = await this.deps.deliver(entry.run);
    } catch (error) {
      return this.later(runId, `network error: ${(error as Error).message}`);
    }
    if (answer.status === 200 || answer.status === 201) {
      await this.deps.store.delete(runId);
      this.entries.delete(runId);
      this.publish();
      this.settle(runId, { outcome: 'saved' });
      for (const listener of this.deliveredListeners) listener(entry.run);
      return;
    }
    const message = answer.message ?? `the server answered ${answer.status}`;
    if (isTransient(answer.status)) return this.later(runId, `${answer.status}: ${message}`);
    await this.update(
      runId,
      { state: 'rejected', lastError: `${answer.status}: ${message}` },
      true,
    );
    this.settle(runId, { outcome: 'rejected', message });
  }

  private async later(runId: string, error: string): Promise<void> {
    const entry = this.entries.get(runId);
    if (!entry) return;
    const delay = this.backoff(entry.attempts);
    await this.update(
      runId,
      { state: 'pending', lastError: error, nextAttemptAt: this.now() + delay },
      true,
    );
    this.schedule(runId, delay);
  }

  private schedule(runId: string, delay: number): void {
    if (this.stopped) return;
    this.clearTimer(runId);
    this.timers.set(
      runId,
      setTimeout(() => {
        this.timers.delete(runId);
        void this.attempt(runId);
      }, delay),
    );
  }

  private clearTimer(runId: string): void {
    const timer = this.timers.get(runId);
    if (timer) clearTimeout(timer);
    this.timers.delete(runId);
  }

  private async update(
    runId: string,
    changes: Partial<OutboxEntry>,
    persist = false,
  ): Promise<void> {
    const entry = this.entries.get(runId);
    if (!entry) return;
    const next = { ...entry, ...changes };
    this.entries.set(runId, next);
    this.publish();
    if (persist) await this.deps.store.put(next);
  }

  private settle(runId: string, settled: Settled): void {
    for (const resolve of this.waiters.get(runId) ?? []) resolve(settled);
    this.waiters.delete(runId);
  }

  private publish(): void {
    this.snapshot = [...this.entries.values()].sort((a, b) => a.queuedAt - b.queuedAt);
    for (const listener of this.listeners) listener();
  }
}
