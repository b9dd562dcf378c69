import { speakText } from '../../engine/audio/offline-voice.ts';

/** The built-in voices OpenAI's speech API takes (openai/resources/audio/speech.d.ts). */
const SPEECH_VOICES = [
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
const SPEECH_MODELS = ['gpt-4o-mini-tts', 'tts-1', 'tts-1-hd'] as const;
/** OpenAI: "The maximum length is 4096 characters." */
const SPEECH_MAX_INPUT_CHARS = 4096;
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

/** What `speech.audio.done` reports: a token per 4 characters read, 20 per second spoken. */
export function fakeSpeechUsage(input: string, pcmBytes: number) {
  const input_tokens = Math.ceil(input.length / 4);
  const output_tokens = Math.ceil((pcmBytes / 2 / 24_000) * 20);
  return { input_tokens, output_tokens, total_tokens: input_tokens + output_tokens };
}

/** The bytes of PCM each `speech.audio.delta` carries (100 ms, as a stream's chunks are small). */
const SPEECH_DELTA_BYTES = 4_800;

/** `pcm` as OpenAI's speech stream says it (`stream_format: 'sse'`): deltas, then done with `usage`. */
export function speechEvents(pcm: Buffer, usage: ReturnType<typeof fakeSpeechUsage>): string {
  const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
  let text = '';
  for (let at = 0; at < pcm.byteLength; at += SPEECH_DELTA_BYTES) {
    const audio = pcm.subarray(at, at + SPEECH_DELTA_BYTES).toString('base64');
    text += event({ type: 'speech.audio.delta', audio });
  }
  return text + event({ type: 'speech.audio.done', usage });
}

export type SpeechAnswer =
  | { ok: true; pcm: Buffer; stream: 'sse' | 'audio'; usage: ReturnType<typeof fakeSpeechUsage> }
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
 * gpt-4o-mini-tts follows it), as little-endian PCM16 at 24 kHz, so the
 * loopback Realtime session can transcribe what it is sent: raw, or as
 * Server-Sent Events with its usage (`fakeSpeechUsage`) when `stream_format`
 * is `sse` (not for tts-1 and tts-1-hd, as OpenAI). Bad requests get OpenAI's
 * 400 shape naming the parameter; it speaks `pcm` only.
 */
export function fakeSpeech(body: Record<string, unknown>): SpeechAnswer {
  const { model, input, voice, response_format, speed, instructions, stream_format } = body;
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
  if (stream_format !== undefined && stream_format !== 'sse' && stream_format !== 'audio') {
    return invalid(
      'stream_format',
      `Invalid value: '${String(stream_format)}'. Supported values are: 'sse' and 'audio'.`,
      'invalid_value',
    );
  }
  if (stream_format === 'sse' && model.startsWith('tts-1')) {
    return invalid(
      'stream_format',
      `stream_format 'sse' is not supported for ${model}.`,
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
  const pcm = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return {
    ok: true,
    pcm,
    stream: stream_format === 'sse' ? 'sse' : 'audio',
    usage: fakeSpeechUsage(input, pcm.byteLength),
  };
}
