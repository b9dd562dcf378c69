import type { RunSummary } from '@data/get-run.ts';
import { toCsv } from '../../lib/csv.ts';

/** The transcript as RFC 4180 CSV: one row per turn, with its offset from the run's start. */
export function transcriptCsv(run: RunSummary): string {
  const start = Date.parse(run.created_at);
  const rows = run.conversation_history.map((turn, index) => ({
    turn: index + 1,
    speaker: turn.speaker,
    timestamp: turn.timestamp,
    offset_ms: Date.parse(turn.timestamp) - start,
    content: turn.content,
  }));
  return toCsv(rows, ['turn', 'speaker', 'timestamp', 'offset_ms', 'content']);
}
