import type { EventLogEntry } from '@core/benchmark-run.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { makeRun, makeScenarioInput } from '@engine/testing/benchmark-runs.ts';
import { describe, expect, it } from 'vitest';
import { formatSummary, reportJson, summarise } from './report.ts';
import { measureRun, type RunResult } from './run-scenarios.ts';

const scenario = scenarioSchema.parse(makeScenarioInput({ name: 'Spoken intake' }));
const origin = Date.parse('2026-11-20T10:00:00.000Z');
const at = (ms: number) => new Date(origin + ms).toISOString();

/**
 * A voice run's log as the engine writes it: two utterances, each heard by the
 * server's VAD and answered. The first is answered 400 ms after its speech
 * ended and heard whole; the second after 700 ms, with "three" heard as "free".
 */
function voiceLog(): EventLogEntry[] {
  const log: EventLogEntry[] = [];
  const push = (direction: 'server' | 'system', ms: number, event: Record<string, unknown>) =>
    log.push({ direction, timestamp: at(ms), event: event as EventLogEntry['event'] });
  const utterance = (
    n: number,
    [startMs, endMs]: [number, number],
    said: string,
    heard: string,
    firstAudioMs: number,
  ) => {
    const audio = { start: startMs - 500, end: endMs - 500 };
    push('system', startMs, {
      type: 'user_speech.started',
      utterance_id: `u${n}`,
      audio_start_ms: audio.start,
      text: said,
    });
    push('server', startMs + 40, {
      type: 'input_audio_buffer.speech_started',
      item_id: `item_${n}`,
      audio_start_ms: audio.start,
    });
    push('system', endMs, {
      type: 'user_speech.ended',
      utterance_id: `u${n}`,
      audio_end_ms: audio.end,
    });
    push('server', endMs + 300, {
      type: 'input_audio_buffer.speech_stopped',
      item_id: `item_${n}`,
      audio_end_ms: audio.end + 300,
    });
    push('server', endMs + 300, {
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: `item_${n}`,
      content_index: 0,
      transcript: heard,
    });
    push('server', endMs + 300, {
      type: 'response.created',
      response: { id: `resp_${n}`, status: 'in_progress' },
    });
    push('server', firstAudioMs, { type: 'output_audio_buffer.started', response_id: `resp_${n}` });
  };
  utterance(1, [1000, 2000], 'It is 48 2210.', 'it is 48 2210', 2400);
  utterance(
    2,
    [3000, 5000],
    'The lamp arrived in three pieces.',
    'the lamp arrived in free pieces',
    5700,
  );
  return log;
}

const result = (index: number, measured: ReturnType<typeof measureRun>): RunResult => ({
  scenario: scenario.name,
  file: 'spoken.yaml',
  scenarioHash: 'b'.repeat(64),
  index,
  runId: `run-${index}`,
  endReason: 'termination_cue',
  turns: 4,
  durationMs: 6000,
  error: null,
  save: 'saved',
  saveMessage: null,
  ...measured,
});

describe('the runner summary of voice runs', () => {
  const voice = measureRun(makeRun({ created_at: at(0), event_log: voiceLog() }), scenario);
  const text = measureRun(makeRun(), scenario);

  it('measures a voice run from its event log: voice-to-voice p50/p95 and the run’s WER; a text run has none', () => {
    expect(voice.voice).toEqual({
      voiceToVoiceP50Ms: 400,
      voiceToVoiceP95Ms: 700,
      wer: expect.objectContaining({ substitutions: 1, reference_words: 10, rate: 0.1 }),
      falseEndOfTurns: 0,
    });
    expect(text.voice).toBeNull();
  });

  it('prints them per voice run beside the other figures, and puts them in the JSON report', () => {
    const report = { results: [result(1, voice), result(2, text)], wallMs: 10_000 };
    const summary = formatSummary(report);
    expect(summary).toContain(
      '  voice: Spoken intake #1 run-1: voice to voice p50 400 ms, p95 700 ms; WER 10% (1 of 10 words)',
    );
    expect(summary).not.toContain('#2 run-2: voice');

    const [voiceRun, textRun] = reportJson(report).runs;
    expect(voiceRun).toMatchObject({
      run_id: 'run-1',
      voice_to_voice_p50_ms: 400,
      voice_to_voice_p95_ms: 700,
      wer: 0.1,
    });
    expect(textRun).toMatchObject({
      run_id: 'run-2',
      voice_to_voice_p50_ms: null,
      voice_to_voice_p95_ms: null,
      wer: null,
    });
  });

  it('gives the scenario the group voice figures /compare shows, over its voice runs only', () => {
    const [summary] = summarise([result(1, voice), result(2, text), result(3, voice)]);
    expect(summary?.figures).toMatchObject({
      runs: 3,
      voice_runs: 2,
      median_voice_to_voice_p50_ms: 400,
      median_voice_to_voice_p95_ms: 700,
      // 2 errors over 20 words.
      wer: 0.1,
    });
    expect(summarise([result(1, text)])[0]?.figures).toMatchObject({ voice_runs: 0, wer: null });
  });

  it('says nothing of voice when no run was a voice run', () => {
    const report = { results: [result(1, text)], wallMs: 1000 };
    expect(formatSummary(report)).not.toContain('voice');
  });
});
