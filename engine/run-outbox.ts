import type { BenchmarkRun } from '@core/benchmark-run.ts';
import type { RunAudio } from '@core/run-audio.ts';
import type { RunSink } from './benchmarking-service.ts';

export interface OutboxEntry {
  run: BenchmarkRun;
  /** The run's recording, sent once the run is stored. */
  audio?: RunAudio;
  /** The server has the run; what is left to send is its audio. */
  runStored?: boolean;
  /** The run's audio is still being encoded: it joins the entry when ready. */
  awaitingAudio?: boolean;
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
  /** POSTs a stored run's audio, likewise; without it, audio is not sent. */
  deliverAudio?(audio: RunAudio): Promise<DeliveryAnswer>;
  now?: () => number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
}

export const defaultBackoff = (attempt: number) =>
  Math.min(60_000, 1000 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

const stored = (answer: DeliveryAnswer) => answer.status === 200 || answer.status === 201;

/** Statuses worth retrying: the server may take the same run later. */
function isTransient(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

type Settled = { outcome: 'saved' | 'rejected'; message?: string };

/**
 * Every finished run is written to durable storage first, with its audio, then
 * POSTed — the run, then its audio — and removed only when the server has
 * acknowledged both (200/201; a retry of either is answered 200, never stored
 * twice). Network errors and 5xx retry with backoff, also after a reload; a
 * 4xx is kept, with the server's message, for the user to see and export. A
 * run whose audio is refused is saved: the entry stays, rejected, holding the audio.
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
      // Audio that was still being encoded went with the page that encoded it.
      const restored: OutboxEntry = {
        ...entry,
        state: entry.state === 'sending' ? 'pending' : entry.state,
        awaitingAudio: false,
      };
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

  /**
   * Persists the run, then delivers it; settles when it is stored or refused
   * for good, with its audio. The audio may still be encoding: the run is kept
   * and sent at once, its audio once it is ready.
   */
  async submit(
    run: BenchmarkRun,
    audio?: RunAudio | Promise<RunAudio | undefined>,
  ): Promise<Settled> {
    const keepsAudio = audio !== undefined && this.deps.deliverAudio !== undefined;
    const entry: OutboxEntry = {
      run,
      ...(keepsAudio ? { awaitingAudio: true } : {}),
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
    if (keepsAudio) {
      void Promise.resolve(audio)
        .catch(() => undefined)
        .then((ready) => this.audioReady(run.run_id, ready));
    }
    return settled;
  }

  private async audioReady(runId: string, audio: RunAudio | undefined): Promise<void> {
    const entry = this.entries.get(runId);
    if (!entry?.awaitingAudio) return;
    await this.update(runId, { awaitingAudio: false, ...(audio ? { audio } : {}) }, true);
    // Once the run is stored, its audio (or the end of the entry) is what is left to do.
    if (entry.runStored && entry.state !== 'sending') void this.attempt(runId);
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

    if (!entry.runStored) {
      const answer = await this.send(runId, () => this.deps.deliver(entry.run));
      if (!answer) return;
      if (!stored(answer)) return this.refused(runId, answer, '', 'rejected');
      for (const listener of this.deliveredListeners) listener(entry.run);
      await this.update(runId, { runStored: true }, true);
    }
    const current = this.entries.get(runId);
    if (!current) return;
    if (current.awaitingAudio) {
      // Sent when it is ready (audioReady); until then the entry waits, stored.
      await this.update(runId, { state: 'pending', lastError: null }, true);
      return;
    }
    const { audio } = current;
    const deliverAudio = this.deps.deliverAudio;
    if (!audio || !deliverAudio) return this.done(runId);
    const answer = await this.send(runId, () => deliverAudio(audio));
    if (!answer) return;
    if (!stored(answer)) return this.refused(runId, answer, 'audio ', 'saved');
    return this.done(runId);
  }

  /** The server's answer, or undefined when the request failed and a retry is scheduled. */
  private async send(
    runId: string,
    request: () => Promise<DeliveryAnswer>,
  ): Promise<DeliveryAnswer | undefined> {
    let answer: DeliveryAnswer;
    try {
      answer = await request();
    } catch (error) {
      await this.later(runId, `network error: ${(error as Error).message}`);
      return undefined;
    }
    if (!stored(answer) && isTransient(answer.status)) {
      const message = answer.message ?? `the server answered ${answer.status}`;
      await this.later(runId, `${answer.status}: ${message}`);
      return undefined;
    }
    return answer;
  }

  private async done(runId: string): Promise<void> {
    await this.deps.store.delete(runId);
    this.entries.delete(runId);
    this.publish();
    this.settle(runId, { outcome: 'saved' });
  }

  /** A refusal for good: kept for the user; the run counts as `outcome` (saved when only its audio was refused). */
  private async refused(
    runId: string,
    answer: DeliveryAnswer,
    what: '' | 'audio ',
    outcome: Settled['outcome'],
  ): Promise<void> {
    const message = answer.message ?? `the server answered ${answer.status}`;
    await this.update(
      runId,
      { state: 'rejected', lastError: `${what}${answer.status}: ${message}` },
      true,
    );
    this.settle(runId, {
      outcome,
      message: what ? `the run is saved, but its audio was refused: ${message}` : message,
    });
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
