import { errorCount, type WordErrors } from './word-error-rate.ts';
/** Timestamps are shown in UTC everywhere, so runs compare at a glance across machines. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** 65250 → "1:05"; an hour or more → "1:02:03". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** Offset from the start of a run, with tenths: "+1:05.3". */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms);
  const minutes = Math.floor(abs / 60_000);
  const seconds = ((abs % 60_000) / 1000).toFixed(1).padStart(4, '0');
  return `${sign}${minutes}:${seconds}`;
}

export const END_REASON_LABELS: Record<string, string> = {
  termination_cue: 'Termination cue',
  user_ended: 'Ended by user',
  max_turns: 'Turn limit',
  error: 'Error',
};

export const SPEAKER_LABELS = {
  interviewer: 'Interviewer',
  simulated_user: 'Simulated user',
} as const;

/** 0.084128 → "$0.0841"; null → "—" (a model missing from the pricing table). */
export function formatCost(usd: number | string | null | undefined): string {
  if (usd === null || usd === undefined || usd === '') return '—';
  const value = Number(usd);
  if (!Number.isFinite(value)) return '—';
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`;
}

/** A share of some runs: (0.6667, 3) → "67% of 3"; null → "—". */
export function formatShare(share: number | null, of: number): string {
  return share === null ? '—' : `${Math.round(share * 100)}% of ${of}`;
}

/** A group's mean cost per run; "*" when some runs are left out of it because a model is unpriced. */
export function formatMeanCost(usd: number | null, unpricedRuns: number): string {
  return unpricedRuns > 0 ? `${formatCost(usd)}*` : formatCost(usd);
}

/** 420 → "420 ms", 1520 → "1.52 s", null → "—". */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A size as people read it: 812 B, 14.2 kB, 1.8 MB (powers of 1000, as players and browsers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** A word error rate as read: 0.25 of 8 words → "25% (2 of 8 words)"; unknown → "—". */
export function formatWer(errors: WordErrors | null | undefined): string {
  if (!errors || errors.rate === null) return '—';
  const wrong = errorCount(errors);
  const words = errors.reference_words;
  return `${formatErrorRate(errors.rate)} (${wrong} of ${words} word${words === 1 ? '' : 's'})`;
}

/** A word error rate alone, as a percentage to one decimal (it may exceed 100%): "30%", "4.4%". */
export function formatErrorRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;
}
