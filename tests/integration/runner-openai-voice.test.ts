import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventLogEntry } from '@core/benchmark-run.ts';
import { pricesFor } from '@core/pricing.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import { speakText, transcribeAudio } from '@engine/audio/offline-voice.ts';
import { pcm16FromBase64 } from '@engine/audio/pcm.ts';
import { callFunction } from '@engine/functions-client.ts';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_ANON_KEY } from '../../config/env.ts';
import { benchCli } from '../support/bench-cli.ts';
import { FAKE_OPENAI_KEY } from '../support/fake-openai.ts';
import { LOOPBACK_INTERVIEWER_LINES, paceResponses } from '../support/fake-realtime.ts';
import { fakeSpeechUsage, speechSeedOf } from '../support/fake-speech.ts';
import { adminSql, apiUrl } from '../support/stack-clients.ts';

const sql = adminSql();
const workDir = mkdtempSync(path.join(tmpdir(), 'bench-openai-voice-'));
afterAll(async () => {
  await sql.end({ timeout: 1 });
  rmSync(workDir, { recursive: true, force: true });
});

const endpoint = () => ({ functionsUrl: `${apiUrl()}/functions/v1`, anonKey: LOCAL_ANON_KEY });

/**
 * What a run's log says it used, priced from the pricing table by hand: the
 * interviewer's `response.done` usage at the run's model, the simulated user's
 * replies at theirs, each utterance's speech at its speech model, each input
 * transcription at the model the client's `session.update` set. In USD, with
 * the speech's and the transcription's parts apart, and all the tokens.
 */
function priceLoggedUsage(events: EventLogEntry[]) {
  type Usage = Record<string, number> & {
    input_token_details?: Record<string, number> & {
      cached_tokens_details?: Record<string, number>;
    };
    output_token_details?: Record<string, number>;
  };
  const prices = (model: unknown) => {
    const found = pricesFor(String(model));
    if (!found) throw new Error(`no prices for ${String(model)}`);
    return { text: found.text, audio: found.audio ?? found.text };
  };
  let micro = 0;
  let speechMicro = 0;
  let transcriptionMicro = 0;
  let tokens = 0;
  let interviewerModel: unknown;
  let transcriptionModel: unknown;
  for (const { direction, event } of events) {
    const usage = (event.usage ?? (event.response as { usage?: Usage })?.usage) as Usage;
    if (event.type === 'run.started') interviewerModel = event.model;
    if (direction === 'client' && event.type === 'session.update') {
      const session = event.session as {
        audio?: { input?: { transcription?: { model?: string } } };
      };
      transcriptionModel = session.audio?.input?.transcription?.model ?? transcriptionModel;
    }
    if (!usage) continue;
    if (event.type === 'response.done') {
      const p = prices(interviewerModel);
      const input = usage.input_token_details ?? {};
      const cached = input.cached_tokens_details ?? {};
      const output = usage.output_token_details ?? {};
      const cachedText = cached.text_tokens ?? 0;
      const cachedAudio = cached.audio_tokens ?? 0;
      micro +=
        ((input.text_tokens ?? 0) - cachedText) * p.text.input +
        cachedText * p.text.cachedInput +
        ((input.audio_tokens ?? 0) - cachedAudio) * p.audio.input +
        cachedAudio * p.audio.cachedInput +
        (output.text_tokens ?? 0) * p.text.output +
        (output.audio_tokens ?? 0) * p.audio.output;
      tokens += (input.text_tokens ?? 0) + (input.audio_tokens ?? 0) + (usage.output_tokens ?? 0);
    } else if (event.type === 'turn.completed' && event.speaker === 'simulated_user') {
      const p = prices(event.model);
      micro +=
        (usage.input_tokens ?? 0) * p.text.input + (usage.output_tokens ?? 0) * p.text.output;
      tokens += (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0);
    } else if (event.type === 'user_speech.started') {
      const p = prices(event.model);
      speechMicro +=
        (usage.input_tokens ?? 0) * p.text.input + (usage.output_tokens ?? 0) * p.audio.output;
      tokens += usage.total_tokens ?? 0;
    } else if (event.type === 'conversation.item.input_audio_transcription.completed') {
      const p = prices(transcriptionModel);
      const input = usage.input_token_details ?? {};
      transcriptionMicro +=
        (input.text_tokens ?? 0) * p.text.input +
        (input.audio_tokens ?? 0) * p.audio.input +
        (usage.output_tokens ?? 0) * p.text.output;
      tokens += usage.total_tokens ?? 0;
    }
  }
  return {
    usd: (micro + speechMicro + transcriptionMicro) / 1_000_000,
    speechUsd: speechMicro / 1_000_000,
    transcriptionUsd: transcriptionMicro / 1_000_000,
    tokens,
  };
}

describe('simulated-user speaks through the loopback speech API', () => {
  it("answers the loopback's PCM for the line: the offline voice of that voice, at the rate asked", async () => {
    const line = 'I plan my week on Sunday evening.';
    const { status, data } = await callFunction<{ audio: string; format: string }>(
      endpoint(),
      'simulated-user',
      JSON.stringify({ speak: { input: line, voice: 'ash', words_per_minute: 200 } }),
    );
    expect(status).toBe(200);
    const said = pcm16FromBase64(data?.audio ?? '');
    expect(said).toEqual(speakText(line, { seed: speechSeedOf('ash'), wordsPerMinute: 200 }));
    expect(transcribeAudio(said)).toBe('i plan my week on sunday evening');
  });

  it("the loopback refuses a bad speech request in OpenAI's shape, naming the parameter", async () => {
    const ask = (body: Record<string, unknown>) =>
      fetch(`${inject('openaiBaseUrl')}/audio/speech`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${FAKE_OPENAI_KEY}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ model: 'gpt-4o-mini-tts', response_format: 'pcm', ...body }),
      });
    const tooLong = await ask({ input: 'x'.repeat(4097), voice: 'ash' });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'input',
    });
    const noVoice = await ask({ input: 'Hi.', voice: 'nobody' });
    expect((await noVoice.json()).error).toMatchObject({ param: 'voice', code: 'invalid_value' });
    const mp3 = await ask({ input: 'Hi.', voice: 'ash', response_format: 'mp3' });
    expect((await mp3.json()).error).toMatchObject({ param: 'response_format' });
  });
});

describe('npm run bench -- run --agents openai, a scenario in voice mode (the loopback over WebSocket)', () => {
  it('speaks each reply into the interviewer, which hears it exactly and answers after it', async () => {
    const name = `OpenAI voice ${path.basename(workDir)}`;
    const file = path.join(workDir, 'voice.yaml');
    writeFileSync(
      file,
      [
        `name: ${name}`,
        'interviewer:',
        '  prompt: You are a support agent.',
        'simulated_user:',
        '  persona: You are Lee.',
        '  speech: { mode: voice, voice: ash, words_per_minute: 200, turn_detection: { type: server_vad, silence_duration_ms: 300 } }',
        'termination: { cue: that concludes our interview, max_turns: 20, turn_timeout_seconds: 20 }',
        'checks: { max_wer: 0, max_missed_turns: 0 }',
        '',
      ].join('\n'),
    );
    const result = await benchCli(['run', file, '--agents', 'openai', '--json'], {
      BENCH_OUTBOX_DIR: path.join(workDir, 'outbox'),
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      runs: Array<{
        run_id: string;
        end_reason: string;
        save: string;
        checks: Array<{ check: string; passed: boolean }>;
      }>;
    };
    const [run] = report.runs;
    expect(run).toMatchObject({ end_reason: 'termination_cue', save: 'saved' });
    expect(run?.checks.map((check) => [check.check, check.passed])).toEqual([
      ['max_wer: 0', true],
      ['max_missed_turns: 0', true],
    ]);

    const [stored] = await sql<
      {
        conversation_history: Array<{ speaker: string; content: string }>;
        event_log: EventLogEntry[];
      }[]
    >`select conversation_history, event_log from public.benchmark_runs where run_id = ${run?.run_id ?? ''}`;
    const said = (speaker: string) =>
      stored?.conversation_history.filter((t) => t.speaker === speaker).map((t) => t.content);
    expect(said('interviewer')).toEqual([...LOOPBACK_INTERVIEWER_LINES]);
    const replies = said('simulated_user') ?? [];
    expect(replies).toHaveLength(LOOPBACK_INTERVIEWER_LINES.length - 1);

    const events = stored?.event_log ?? [];
    const transcriptions = events.filter(
      (entry) => entry.event.type === 'conversation.item.input_audio_transcription.completed',
    );
    expect(transcriptions).toHaveLength(replies.length);

    const voice = computeVoiceMetrics({ event_log: events });
    // Every reply heard word for word, from the audio the loopback received.
    expect(voice?.turns.map((turn) => turn.said)).toEqual(replies);
    for (const turn of voice?.turns ?? []) {
      expect(turn.heard).toBe(transcribeAudio(speakText(turn.said, { seed: 1 })));
      expect(turn.wer?.rate).toBe(0);
      expect(turn.false_end_of_turn).toBe(false);
      expect(turn.voice_to_voice_ms).toBeGreaterThan(0);
      expect(turn.vad_delay_ms).not.toBeNull();
    }
    expect(voice?.wer?.rate).toBe(0);
    expect(voice?.turns_without_transcript).toBe(0);
    expect(voice?.missed_end_of_turns).toBe(0);
    expect(voice?.voice_to_voice_p50_ms).toBeGreaterThan(0);

    // Each utterance logged with the loopback speech API's usage for what it said.
    const speeches = events.filter((entry) => entry.event.type === 'user_speech.started');
    expect(speeches.map((entry) => [entry.event.model, entry.event.usage])).toEqual(
      replies.map((reply) => [
        'gpt-4o-mini-tts',
        fakeSpeechUsage(
          reply,
          speakText(reply, { seed: speechSeedOf('ash'), wordsPerMinute: 200 }).byteLength,
        ),
      ]),
    );
    for (const entry of transcriptions) expect(entry.event.usage).toMatchObject({ type: 'tokens' });

    // The stored cost: every usage in the log at its model's prices, the voice's included.
    const [metrics] = await sql<{ cost_usd: string | null; total_tokens: string }[]>`
      select cost_usd, total_tokens from public.run_metrics where run_id = ${run?.run_id ?? ''}`;
    const expected = priceLoggedUsage(events);
    expect(expected.speechUsd).toBeGreaterThan(0);
    expect(expected.transcriptionUsd).toBeGreaterThan(0);
    // Each model's part is rounded to the micro-dollar: four parts, at most 2 µ$ apart.
    expect(Math.abs(Number(metrics?.cost_usd) - expected.usd)).toBeLessThanOrEqual(2e-6);
    expect(Number(metrics?.total_tokens)).toBe(expected.tokens);
  }, 120_000);
});

describe('npm run bench -- run --agents openai, a voice scenario whose user barges in (the loopback over WebSocket)', () => {
  it('talks over each question, which the server cancels on hearing it, then lets the closing line be said', async () => {
    const name = `OpenAI barge-in ${path.basename(workDir)}`;
    const file = path.join(workDir, 'barge-in.yaml');
    // Every line but the closing is talked over: the turn limit leaves no turn after the closing.
    const maxTurns = LOOPBACK_INTERVIEWER_LINES.length * 2 - 1;
    writeFileSync(
      file,
      [
        `name: ${name}`,
        'interviewer:',
        // Generated a word every 250 ms, each response is still in progress when the user speaks.
        `  prompt: ${JSON.stringify(`You are a support agent. ${paceResponses(250)}`)}`,
        'simulated_user:',
        '  persona: You are Lee.',
        // A faint hiss under the speech (40 dB down), its noise seeded by --seed.
        '  speech: { mode: voice, voice: ash, words_per_minute: 200, interrupt_after_ms: 300, noise: { kind: pink, level_db: 40 }, turn_detection: { type: server_vad, silence_duration_ms: 300 } }',
        `termination: { cue: that concludes our interview, max_turns: ${maxTurns}, turn_timeout_seconds: 20 }`,
        '',
      ].join('\n'),
    );
    const result = await benchCli(['run', file, '--agents', 'openai', '--seed', '77', '--json'], {
      BENCH_OUTBOX_DIR: path.join(workDir, 'outbox-barge-in'),
    });
    expect(result.code, result.stderr).toBe(0);
    const [run] = (
      JSON.parse(result.stdout) as { runs: Array<{ run_id: string; end_reason: string }> }
    ).runs;
    expect(run?.end_reason).toBe('termination_cue');

    const [stored] = await sql<{ event_log: EventLogEntry[] }[]>`
      select event_log from public.benchmark_runs where run_id = ${run?.run_id ?? ''}`;
    const events = stored?.event_log ?? [];
    expect(events[0]?.event).toMatchObject({ type: 'run.started', noise_seed: 77 });
    const done = events
      .filter((entry) => entry.event.type === 'response.done')
      .map(
        (entry) => entry.event.response as { status: string; status_details?: { reason?: string } },
      );
    const questions = LOOPBACK_INTERVIEWER_LINES.length - 1;
    expect(done.map((response) => response.status)).toEqual([
      ...Array(questions).fill('cancelled'),
      'completed',
    ]);
    expect(done.slice(0, questions).map((response) => response.status_details?.reason)).toEqual(
      Array(questions).fill('turn_detected'),
    );

    const voice = computeVoiceMetrics({ event_log: events });
    expect(voice?.barge_ins).toHaveLength(questions);
    expect(voice?.barge_ins_handled).toBe(questions);
    // Talked over, the interviewer still heard every word, and answered once the user finished.
    for (const turn of voice?.turns ?? []) {
      expect(turn.heard).toBe(transcribeAudio(speakText(turn.said, { seed: 1 })));
      expect(turn.false_end_of_turn).toBe(false);
    }
  }, 120_000);
});
