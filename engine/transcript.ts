import type { ConversationTurn } from '@core/benchmark-run.ts';

export type Speaker = ConversationTurn['speaker'];

export interface TranscriptRow {
  key: string;
  speaker: Speaker;
  text: string;
  /** True once the final transcript arrived (interviewer) or the message was sent (user). */
  final: boolean;
  timestamp: string;
}

/**
 * The conversation in speaking order. Interviewer rows are keyed by
 * response_id and placed when the response starts, so transcript events that
 * arrive late or out of order fill the right row instead of appending a new one.
 */
export class TranscriptBuilder {
  private readonly order: string[] = [];
  private readonly rows = new Map<string, TranscriptRow>();

  /** Makes sure a row exists for `key`, placing it at the end of the conversation if new. */
  open(key: string, speaker: Speaker, timestamp: string): TranscriptRow {
    let row = this.rows.get(key);
    if (!row) {
      row = { key, speaker, text: '', final: false, timestamp };
      this.rows.set(key, row);
      this.order.push(key);
    }
    return row;
  }

  appendDelta(key: string, delta: string, timestamp: string): void {
    const row = this.open(key, 'interviewer', timestamp);
    if (!row.final) row.text += delta;
  }

  finalise(key: string, text: string, timestamp: string): TranscriptRow {
    const row = this.open(key, 'interviewer', timestamp);
    row.text = text;
    row.final = true;
    return row;
  }

  addUserTurn(key: string, text: string, timestamp: string): void {
    const row = this.open(key, 'simulated_user', timestamp);
    row.text = text;
    row.final = true;
  }

  list(): TranscriptRow[] {
    return this.order.map((key) => this.rows.get(key) as TranscriptRow);
  }

  /**
   * The saved conversation: every row that has words, in order. Interviewer
   * turns name their response, which ties them to their events and audio.
   */
  toHistory(): ConversationTurn[] {
    return this.list()
      .filter((row) => row.text.trim() !== '')
      .map((row) => ({
        speaker: row.speaker,
        content: row.text,
        timestamp: row.timestamp,
        ...(row.speaker === 'interviewer' ? { response_id: row.key } : {}),
      }));
  }

  /** Number of turns spoken so far (rows with words). */
  get turnCount(): number {
    return this.list().filter((row) => row.text.trim() !== '').length;
  }
}
