import { speakText } from '../../engine/audio/offline-voice.ts';

/** The built-in voices OpenAI's speech API takes (openai/resources/audio/speech.d.ts). */
export const SPEECH_VOICES = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'onyx',
  'nova',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
] as const;
export const SPEECH_MODELS = ['gpt-4o-mini-tts', 'tts-1', 'tts-1-hd'] as const;
/** OpenAI: "The maximum length is 4096 characters." */
export const SPEECH_MAX_INPUT_CHARS = 4096;
/** The offline voice's own range of rates (speakText). */
const RATE = { min: 60, max: 200 } as const;

/** The seed a loopback voice says everything with: the same voice sounds the same. */
export function speechSeedOf(voice: string): number {
  let seed = 0;
  for (const char of voice) seed = (seed * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return seed;
}

/** The rate asked for in `instructions` ("… N words per minute …"), within the offline voice's range. */
function askedRate(instructions: unknown): number | undefined {
  const match =
    typeof instructions === 'string' ? /(\d+) words per minute/.exec(instructions) : null;
  if (!match) return undefined;
  return Math.min(RATE.max, Math.max(RATE.min, Number(match[1])));
}

export type SpeechAnswer =
  | { ok: true; pcm: Buffer }
  | {
      ok: false;
      status: number;
      error: { message: string; type: string; param: string | null; code: string | null };
    };

const invalid = (param: string, message: string, code: string | null = null): SpeechAnswer => ({
  ok: false,
  status: 400,
  error: { message, type: 'invalid_request_error', param, code },
});

/**
 * `POST /v1/audio/speech` of the loopback: the input said by the offline voice
 * (`speakText`, seeded by the voice, at the rate `instructions` asks for, as
 * gpt-4o-mini-tts follows it), as raw little-endian PCM16 at 24 kHz, so the
 * loopback Realtime session can transcribe what it is sent. Bad requests get
 * OpenAI's 400 shape naming the parameter; it speaks `pcm` only.
 */
export function fakeSpeech(body: Record<string, unknown>): SpeechAnswer {
  const { model, input, voice, response_format, speed, instructions } = body;
  if (typeof model !== 'string' || !model)
    return invalid('model', "Missing required parameter: 'model'.");
  if (!(SPEECH_MODELS as readonly string[]).includes(model)) {
    return invalid(
      'model',
      `Invalid value: '${model}'. Supported values are: ${SPEECH_MODELS.map((m) => `'${m}'`).join(', ')}.`,
      'invalid_value',
    );
  }
  if (typeof input !== 'string' || !input.trim())
    return invalid('input', "Missing required parameter: 'input'.");
  if (input.length > SPEECH_MAX_INPUT_CHARS) {
    return invalid(
      'input',
      `Input is too long: ${input.length} characters, the maximum is ${SPEECH_MAX_INPUT_CHARS}.`,
      'string_above_max_length',
    );
  }
  if (typeof voice !== 'string' || !(SPEECH_VOICES as readonly string[]).includes(voice)) {
    return invalid(
      'voice',
      `Invalid value: '${String(voice)}'. Supported values are: ${SPEECH_VOICES.map((v) => `'${v}'`).join(', ')}.`,
      'invalid_value',
    );
  }
  if (speed !== undefined && (typeof speed !== 'number' || speed < 0.25 || speed > 4)) {
    return invalid(
      'speed',
      `Invalid 'speed': ${String(speed)}. Expected a value between 0.25 and 4.0.`,
      'invalid_value',
    );
  }
  if (response_format !== 'pcm') {
    return invalid(
      'response_format',
      `The loopback speaks response_format 'pcm' only, not '${String(response_format ?? 'mp3')}'.`,
      'unsupported_value',
    );
  }
  if (instructions !== undefined && model.startsWith('tts-1')) {
    return invalid(
      'instructions',
      `Instructions are not supported for ${model}.`,
      'unsupported_parameter',
    );
  }
  const rate = askedRate(instructions);
  const samples = speakText(input, {
    seed: speechSeedOf(voice),
    ...(rate ? { wordsPerMinute: rate } : {}),
  });
  return { ok: true, pcm: Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength) };
}
