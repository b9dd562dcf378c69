import type { BenchmarkRun } from '@core/benchmark-run.ts';
import { scenarioSchema } from '@core/scenario.ts';
import { readSystemEvent } from '@core/system-events.ts';
import { describe, expect, it, vi } from 'vitest';
import { BenchmarkingService } from './benchmarking-service.ts';
import { benchmarkConfigFor } from './scenario-config.ts';
import { ScriptedSimulatedUser } from './testing/scripted-simulated-user.ts';
import { recordedResponse, ScriptedTransport } from './testing/scripted-transport.ts';
import { OfflineUserVoice } from './user-voice.ts';

const REPLY = 'It is 48 2210.';
const speech = { mode: 'voice', voice: 'ash', words_per_minute: 200 } as const;
const scenario = scenarioSchema.parse({
  name: 'Spoken intake',
  interviewer: { prompt: 'You are a support agent.' },
  simulated_user: { persona: 'You are Lee.', speech },
  termination: { turn_timeout_seconds: 5 },
});

/** A transport with a media track (as WebRTC has): it keeps the audio given to `sendAudio`. */
class MediaTrackTransport extends ScriptedTransport {
  readonly played: Int16Array[] = [];
  sendAudio(samples: Int16Array): void {
    this.played.push(samples.slice());
  }
}

describe('a voice run over a transport with a media track', () => {
  it('plays the microphone on the track, speech included, and sends no input_audio_buffer.append', async () => {
    const transport = new MediaTrackTransport([recordedResponse(1, 'What is your order number?')]);
    const saved: BenchmarkRun[] = [];
    const service = new BenchmarkingService({
      sink: {
        submit: async (run) => {
          saved.push(run);
          return { outcome: 'saved' };
        },
      },
    });
    await service.start(benchmarkConfigFor(scenario, { agents: 'openai' }), {
      transport,
      simulatedUser: new ScriptedSimulatedUser([REPLY]),
      userVoice: new OfflineUserVoice(5, speech),
    });
    // The scripted interviewer never hears the speech: the run is ended once it was said.
    await vi.waitFor(
      () =>
        expect(
          service.getEventLog().some((e) => readSystemEvent(e.event)?.type === 'user_speech.ended'),
        ).toBe(true),
      { timeout: 10_000, interval: 50 },
    );
    service.end();
    await vi.waitFor(() => expect(saved).toHaveLength(1), { timeout: 5000 });

    const sent = transport.sent.map((event) => event.type);
    expect(sent).not.toContain('input_audio_buffer.append');
    expect(sent).toContain('session.update');

    // What was played is the microphone: the background, and the reply where the log says it starts.
    const played = new Int16Array(transport.played.reduce((n, chunk) => n + chunk.length, 0));
    let at = 0;
    for (const chunk of transport.played) {
      played.set(chunk, at);
      at += chunk.length;
    }
    const started = service
      .getEventLog()
      .map((e) => readSystemEvent(e.event))
      .find((event) => event?.type === 'user_speech.started');
    expect(started).toMatchObject({ text: REPLY });
    const { audio: spoken } = await new OfflineUserVoice(5, speech).speak(REPLY);
    const from = ((started as { audio_start_ms: number }).audio_start_ms * 24_000) / 1000;
    expect(played.length).toBeGreaterThanOrEqual(from + spoken.length);
    expect(played.subarray(from, from + spoken.length)).toEqual(spoken);
  });
});
