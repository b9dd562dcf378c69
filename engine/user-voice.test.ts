import { scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import { rmsOf } from './audio/noise.ts';
import { speakText, transcribeAudio } from './audio/offline-voice.ts';
import { pcm16ToBase64 } from './audio/pcm.ts';
import { SimulatedUserError } from './simulated-user.ts';
import { EdgeUserVoice, OfflineUserVoice, type SpeechSettings } from './user-voice.ts';

const endpoint = {
  functionsUrl: 'http://functions.test/functions/v1',
  anonKey: 'sb_publishable_x',
};
const settings = (speech: Record<string, unknown>): SpeechSettings => {
  const parsed = scenarioSchema.parse({
    name: 'n',
    interviewer: { prompt: 'p' },
    simulated_user: { persona: 'p', speech: { mode: 'voice', voice: 'ash', ...speech } },
  }).simulated_user.speech;
  if (!parsed) throw new Error('no speech');
  return parsed;
};

/** A `simulated-user` that says every line with the offline voice, at this loudness, recording what it was asked. */
function speakingFunction(gain = 1) {
  const asked: Array<{ url: string; body: unknown; key: string | null }> = [];
  const fetchImpl: typeof fetch = async (url, init) => {
    const body = JSON.parse(String(init?.body));
    asked.push({ url: String(url), body, key: new Headers(init?.headers).get('apikey') });
    const samples = speakText(body.speak.input, { seed: 7 }).map((s) => Math.round(s * gain));
    return Response.json({
      audio: pcm16ToBase64(samples),
      format: 'pcm16',
      sample_rate: 24000,
      model: 'gpt-4o-mini-tts',
      usage: { input_tokens: 6, output_tokens: 40, total_tokens: 46 },
    });
  };
  return { asked, fetchImpl };
}

describe('EdgeUserVoice', () => {
  it("asks simulated-user to say the line in the scenario's voice and rate, and hands back its PCM, model and usage", async () => {
    const { asked, fetchImpl } = speakingFunction();
    const voice = new EdgeUserVoice(endpoint, settings({ words_per_minute: 180 }), 1, fetchImpl);
    const said = await voice.speak('My order is 48 2210.', new AbortController().signal);
    expect(asked).toEqual([
      {
        url: 'http://functions.test/functions/v1/simulated-user',
        body: { speak: { input: 'My order is 48 2210.', voice: 'ash', words_per_minute: 180 } },
        key: 'sb_publishable_x',
      },
    ]);
    expect(said).toEqual({
      audio: speakText('My order is 48 2210.', { seed: 7 }),
      model: 'gpt-4o-mini-tts',
      usage: { input_tokens: 6, output_tokens: 40, total_tokens: 46 },
    });
    // Without noise, the microphone hears silence between the lines.
    expect(voice.background(2400).every((sample) => sample === 0)).toBe(true);
  });

  it("fails with the function's code and message when it cannot speak", async () => {
    const fetchImpl: typeof fetch = async () =>
      Response.json(
        { error: { code: 'openai_budget_exceeded', message: 'OpenAI budget reached' } },
        { status: 429 },
      );
    const voice = new EdgeUserVoice(endpoint, settings({}), 1, fetchImpl);
    const failure = voice.speak('Hi.', new AbortController().signal);
    await expect(failure).rejects.toThrow(SimulatedUserError);
    await expect(failure).rejects.toMatchObject({
      code: 'openai_budget_exceeded',
      message: 'OpenAI budget reached',
    });
  });

  it('hands back no usage when the function answers none it can read (tts-1 reports none)', async () => {
    const fetchImpl: typeof fetch = async () =>
      Response.json({
        audio: pcm16ToBase64(new Int16Array([1, 2])),
        format: 'pcm16',
        sample_rate: 24000,
        model: 'tts-1',
        usage: { input_tokens: -1, output_tokens: 2, total_tokens: 1 },
      });
    const voice = new EdgeUserVoice(endpoint, settings({}), 1, fetchImpl);
    expect(await voice.speak('Hi.', new AbortController().signal)).toEqual({
      audio: new Int16Array([1, 2]),
      model: 'tts-1',
    });
  });

  it('refuses speech that is not 24 kHz PCM16', async () => {
    const fetchImpl: typeof fetch = async () =>
      Response.json({ audio: 'AAAA', format: 'mp3', sample_rate: 44100 });
    const voice = new EdgeUserVoice(endpoint, settings({}), 1, fetchImpl);
    await expect(voice.speak('Hi.', new AbortController().signal)).rejects.toMatchObject({
      code: 'bad_speech_format',
    });
  });

  it('sets the noise against one speech level, however loud the speech model is, as the offline voice does', async () => {
    const noisy = settings({ noise: { kind: 'pink', level_db: 20 } });
    const offline = new OfflineUserVoice(3, noisy);
    const offlineFloor = rmsOf(offline.background(24_000));
    const text = 'I keep everything in a paper notebook on my desk.';
    for (const gain of [0.25, 2]) {
      const { fetchImpl } = speakingFunction(gain);
      const voice = new EdgeUserVoice(endpoint, noisy, 3, fetchImpl);
      // The same noise floor as the offline voice of that seed: 20 dB under its speech level.
      expect(rmsOf(voice.background(24_000))).toBeCloseTo(offlineFloor, 6);
      const { audio: said } = await voice.speak(text, new AbortController().signal);
      const level = rmsOf(speakText(text, { seed: 7 }));
      // Brought back to the reference level (the noise adds 1 % of its power at 20 dB).
      expect(rmsOf(said) / level).toBeGreaterThan(0.9);
      expect(rmsOf(said) / level).toBeLessThan(1.1);
      expect(transcribeAudio(said)).toBe(transcribeAudio(speakText(text, { seed: 7 })));
    }
  });
});
