import { describe, expect, it } from 'vitest';
import type { EventLogEntry } from './benchmark-run.ts';
import { NO_TOKENS } from './pricing.ts';
import { runMetricsRow } from './run-metrics-row.ts';

const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const entry = (
  direction: EventLogEntry['direction'],
  ms: number,
  event: Record<string, unknown> & { type: string },
): EventLogEntry => ({ direction, timestamp: new Date(T0 + ms).toISOString(), event });

const run = {
  run_id: '0b5f4a52-3d1e-4c55-9a57-2f7d0f3c1e11',
  created_at: '2026-11-20T10:00:00.000Z',
  end_reason: 'termination_cue' as const,
  conversation_history: [],
  event_log: [
    entry('system', 1000, {
      type: 'user_speech.started',
      utterance_id: 'u1',
      audio_start_ms: 1000,
      text: 'My order number is 48-2210.',
    }),
    entry('server', 1500, {
      type: 'response.created',
      response: { id: 'resp_1', status: 'in_progress' },
    }),
    entry('system', 3000, { type: 'user_speech.ended', utterance_id: 'u1', audio_end_ms: 3000 }),
    entry('server', 3900, { type: 'output_audio_buffer.started', response_id: 'resp_1' }),
  ],
};

describe('runMetricsRow', () => {
  it("checks a voice run's voice figures from its own log", () => {
    const row = runMetricsRow(run, {
      checks: { max_voice_to_voice_ms: 1000, max_false_turns: 0 },
    });
    expect(row.checks).toEqual([
      { check: 'max_voice_to_voice_ms: 1000', passed: true, detail: 'p95 900 ms' },
      { check: 'max_false_turns: 0', passed: false, detail: '1 false end of turn' },
    ]);
    expect([row.checks_passed, row.checks_total]).toEqual([1, 2]);
  });

  it("keeps a voice run's speech and transcription tokens beside the others, in its total", () => {
    const row = runMetricsRow({
      ...run,
      event_log: [
        entry('client', 0, {
          type: 'session.update',
          session: { audio: { input: { transcription: { model: 'gpt-4o-mini-transcribe' } } } },
        }),
        entry('system', 1000, {
          type: 'user_speech.started',
          utterance_id: 'u1',
          audio_start_ms: 1000,
          text: 'Hi.',
          model: 'gpt-4o-mini-tts',
          usage: { input_tokens: 3, output_tokens: 40, total_tokens: 43 },
        }),
        entry('server', 2000, {
          type: 'conversation.item.input_audio_transcription.completed',
          item_id: 'item_1',
          content_index: 0,
          transcript: 'hi',
          usage: {
            type: 'tokens',
            input_tokens: 12,
            output_tokens: 1,
            total_tokens: 13,
            input_token_details: { text_tokens: 0, audio_tokens: 12 },
          },
        }),
      ],
    });
    expect(row.tokens).toEqual({
      interviewer: NO_TOKENS,
      simulated_user: NO_TOKENS,
      speech: { ...NO_TOKENS, textInput: 3, audioOutput: 40 },
      transcription: { ...NO_TOKENS, audioInput: 12, textOutput: 1 },
      voice_models: { speech: 'gpt-4o-mini-tts', transcription: 'gpt-4o-mini-transcribe' },
    });
    expect(row.total_tokens).toBe(56);
    // 3×0.6 + 40×12 + 12×3 + 1×5 = 522.8 µ$.
    expect(row.cost_usd).toBe(0.000523);
    expect(row).not.toHaveProperty('speech_tokens');
  });
});
