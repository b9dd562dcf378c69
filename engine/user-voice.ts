import { RUN_AUDIO_SAMPLE_RATE } from '@core/run-audio.ts';
import type { Scenario } from '@core/scenario.ts';
import { type SpeechUsage, speechUsageSchema } from '@core/system-events.ts';
import { type NoiseKind, NoiseSource, rmsOf } from './audio/noise.ts';
import { speakText } from './audio/offline-voice.ts';
import { pcm16FromBase64 } from './audio/pcm.ts';
import { callFunction, type FunctionsEndpoint } from './functions-client.ts';
import { SimulatedUserError } from './simulated-user.ts';

/** One reply said, and what saying it used. */
export interface SpokenReply {
  /** PCM16 mono at RUN_AUDIO_SAMPLE_RATE, background included. */
  audio: Int16Array;
  /** The speech model that said it (none for the offline voice). */
  model?: string;
  /** The tokens the speech model reported, when it reported them. */
  usage?: SpeechUsage;
}

/** How the simulated user of a voice-mode scenario speaks, and what its microphone hears. */
export interface UserVoice {
  /** `text` said. */
  speak(text: string, signal: AbortSignal): Promise<SpokenReply>;
  /** The next `samples` of what the microphone hears while the user is silent. */
  background(samples: number): Int16Array;
  /** What seeds the microphone's noise (the same seed, the same noise); null without noise. */
  readonly noiseSeed: number | null;
}

export type SpeechSettings = NonNullable<Scenario['simulated_user']['speech']>;

/** What the voice's speech level (the reference of the signal-to-noise ratio) is measured on. */
const LEVEL_REFERENCE = 'The quick brown fox jumps over the lazy dog, then rests a while.';

/** The offline voice's fastest rate: its words must stay decodable from the audio. */
const OFFLINE_MAX_WORDS_PER_MINUTE = 200;

/**
 * What the microphone adds to a voice: the scenario's background noise, at its
 * signal-to-noise ratio against `speechLevel` (the RMS of the voice's speech),
 * under the speech and the pauses alike. The background's noise is one seeded
 * stream; each utterance's own is seeded apart, so it does not depend on timing.
 */
class MicrophoneNoise {
  private readonly background: NoiseSource | null;
  /** The noise's RMS: the speech level less the signal-to-noise ratio. */
  private readonly rms: number;

  constructor(
    seed: number,
    private readonly noise: SpeechSettings['noise'],
    speechLevel: number,
  ) {
    this.background = noise ? new NoiseSource(noise.kind, seed ^ 0x5eed) : null;
    this.rms = noise ? speechLevel / 10 ** (noise.level_db / 20) : 0;
  }

  get silent(): boolean {
    return !this.noise;
  }

  /** `speech` with the noise of utterance `utteranceSeed` added (in place). */
  under(speech: Int16Array, utteranceSeed: number): Int16Array {
    if (!this.noise) return speech;
    const kind: NoiseKind = this.noise.kind;
    return new NoiseSource(kind, utteranceSeed ^ 0xa11ce).fill(speech.length, this.rms, speech);
  }

  /** The next `samples` of the background. */
  pause(samples: number): Int16Array {
    return this.background ? this.background.fill(samples, this.rms) : new Int16Array(samples);
  }
}

/**
 * The offline simulated user's voice: `speakText` (words recoverable from the
 * audio alone, so what the offline interviewer hears can be scored), at the
 * scenario's rate (200 words a minute at most), with its background noise at
 * its signal-to-noise ratio under the speech and the pauses alike. Seeded: the
 * same seed says the same replies the same way.
 */
export class OfflineUserVoice implements UserVoice {
  private utterances = 0;
  private readonly microphone: MicrophoneNoise;
  private readonly wordsPerMinute: number | undefined;

  constructor(
    private readonly seed: number,
    settings: SpeechSettings,
  ) {
    const rate = settings.words_per_minute;
    this.wordsPerMinute = rate ? Math.min(rate, OFFLINE_MAX_WORDS_PER_MINUTE) : undefined;
    const level = settings.noise ? rmsOf(this.say(LEVEL_REFERENCE, seed)) : 0;
    this.microphone = new MicrophoneNoise(seed, settings.noise, level);
  }

  async speak(text: string): Promise<SpokenReply> {
    const utterance = this.seed + ++this.utterances;
    return { audio: this.microphone.under(this.say(text, utterance), utterance) };
  }

  background(samples: number): Int16Array {
    return this.microphone.pause(samples);
  }

  get noiseSeed(): number | null {
    return this.microphone.silent ? null : this.seed;
  }

  private say(text: string, seed: number): Int16Array {
    return speakText(text, {
      seed,
      ...(this.wordsPerMinute ? { wordsPerMinute: this.wordsPerMinute } : {}),
    });
  }
}

/** What `simulated-user` answers to `{ speak }`. */
interface SpeechAnswer {
  audio: string;
  format: string;
  sample_rate: number;
  model?: string;
  usage?: unknown;
}

/** Loudest a gain may make a sample: a little under full scale. */
const PEAK = 32_000;

/**
 * The simulated user's voice with the OpenAI agents: each reply said by
 * OpenAI's speech API through the `simulated-user` edge function (the key stays
 * there), in the scenario's voice, as 24 kHz PCM16. Silence between replies,
 * unless the scenario adds noise: then, as a phone's gain control would, each
 * utterance is brought to one speech level (the offline voice's) and the noise
 * is set against that level, so `level_db` is the signal-to-noise ratio the
 * interviewer actually receives, whatever the speech model's loudness.
 */
export class EdgeUserVoice implements UserVoice {
  private utterances = 0;
  private readonly microphone: MicrophoneNoise;
  private readonly speechLevel: number;

  constructor(
    private readonly endpoint: FunctionsEndpoint,
    private readonly settings: SpeechSettings,
    private readonly seed: number = crypto.getRandomValues(new Uint32Array(1))[0] as number,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {
    this.speechLevel = settings.noise ? rmsOf(speakText(LEVEL_REFERENCE, { seed })) : 0;
    this.microphone = new MicrophoneNoise(seed, settings.noise, this.speechLevel);
  }

  async speak(text: string, signal: AbortSignal): Promise<SpokenReply> {
    const { voice, words_per_minute } = this.settings;
    const { status, data, error } = await callFunction<SpeechAnswer>(
      this.endpoint,
      'simulated-user',
      JSON.stringify({ speak: { input: text, voice, words_per_minute } }),
      { signal, fetchImpl: this.fetchImpl },
    );
    if (typeof data?.audio !== 'string') {
      throw new SimulatedUserError(
        error?.message ?? `simulated-user answered ${status}`,
        error?.code ?? `http_${status}`,
      );
    }
    if (data.format !== 'pcm16' || data.sample_rate !== RUN_AUDIO_SAMPLE_RATE) {
      throw new SimulatedUserError(
        `simulated-user spoke ${data.format} at ${data.sample_rate} Hz, not pcm16 at ${RUN_AUDIO_SAMPLE_RATE} Hz`,
        'bad_speech_format',
      );
    }
    const speech = pcm16FromBase64(data.audio);
    const audio = this.microphone.silent
      ? speech
      : this.microphone.under(leveled(speech, this.speechLevel), this.seed + ++this.utterances);
    const usage = speechUsageSchema.safeParse(data.usage).data;
    return {
      audio,
      ...(typeof data.model === 'string' ? { model: data.model } : {}),
      ...(usage ? { usage } : {}),
    };
  }

  background(samples: number): Int16Array {
    return this.microphone.pause(samples);
  }

  get noiseSeed(): number | null {
    return this.microphone.silent ? null : this.seed;
  }
}

/** `speech` scaled to RMS `level`, its peaks held under full scale (in place). */
function leveled(speech: Int16Array, level: number): Int16Array {
  const rms = rmsOf(speech);
  if (rms === 0) return speech;
  let peak = 0;
  for (const sample of speech) peak = Math.max(peak, Math.abs(sample));
  const gain = Math.min(level / rms, PEAK / peak);
  for (let i = 0; i < speech.length; i++) speech[i] = Math.round((speech[i] as number) * gain);
  return speech;
}
