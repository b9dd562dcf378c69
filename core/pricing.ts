// Prices of the models a run can use, in USD per 1M tokens. Versioned: a run's
// cost is stored with the version it was priced by, and shown with its date.
// Update the table (and its version) when OpenAI's list prices change; every
// row says where its prices were read and when.
//
// Every model has its own row: a model is never priced as another (the newer
// Realtime models' text output costs more than gpt-realtime's). Only a dated
// snapshot ("gpt-realtime-2025-08-28") takes the prices of its undated name.
// A model without a row is "unpriced": its cost is unknown, never $0.
//
// Not modelled: image tokens (runs send none), cache writes and the >272K-token
// long-context rates of the GPT-5.6/6 text models (a simulated user's prompt is
// far below that), Batch/Flex/priority tiers (the functions use Standard).

export interface TokenPrices {
  input: number;
  cachedInput: number;
  output: number;
}

export interface PriceSource {
  /** Where the prices were read. */
  url: string;
  /** When (YYYY-MM-DD). */
  checked: string;
}

export interface ModelPrices {
  text: TokenPrices;
  /** Realtime, text-to-speech and transcription models only. */
  audio?: TokenPrices;
  source: PriceSource;
}

const MODEL_PAGE = 'https://developers.openai.com/api/docs/models/';
/** The prices of the first table (version 2025-09-01), from OpenAI's pricing page of then. */
const PRICING_PAGE_2025_09_01: PriceSource = {
  url: 'https://openai.com/api/pricing',
  checked: '2025-09-01',
};
const modelPage = (model: string, checked = '2026-12-01'): PriceSource => ({
  url: `${MODEL_PAGE}${model}`,
  checked,
});

export const PRICING = {
  version: '2026-12-01',
  source: 'https://developers.openai.com/api/docs/pricing',
  models: {
    // Realtime (speech-to-speech) models.
    'gpt-realtime': {
      text: { input: 4, cachedInput: 0.4, output: 16 },
      audio: { input: 32, cachedInput: 0.4, output: 64 },
      // Text rates re-read on 2026-12-01 at …/models/compare?model=gpt-realtime (unchanged).
      source: PRICING_PAGE_2025_09_01,
    },
    'gpt-realtime-mini': {
      text: { input: 0.6, cachedInput: 0.06, output: 2.4 },
      audio: { input: 10, cachedInput: 0.3, output: 20 },
      // Text input re-read on 2026-12-01 in the comparison on …/models/gpt-realtime-2.1-mini (unchanged).
      source: PRICING_PAGE_2025_09_01,
    },
    'gpt-realtime-1.5': {
      text: { input: 4, cachedInput: 0.4, output: 16 },
      audio: { input: 32, cachedInput: 0.4, output: 64 },
      source: modelPage('gpt-realtime-1.5'),
    },
    'gpt-realtime-2': {
      text: { input: 4, cachedInput: 0.4, output: 24 },
      audio: { input: 32, cachedInput: 0.4, output: 64 },
      source: modelPage('gpt-realtime-2'),
    },
    'gpt-realtime-2.1': {
      text: { input: 4, cachedInput: 0.4, output: 24 },
      audio: { input: 32, cachedInput: 0.4, output: 64 },
      source: modelPage('gpt-realtime-2.1'),
    },
    'gpt-realtime-2.1-mini': {
      text: { input: 0.6, cachedInput: 0.06, output: 2.4 },
      audio: { input: 10, cachedInput: 0.3, output: 20 },
      source: modelPage('gpt-realtime-2.1-mini'),
    },
    // Text models (the simulated user and the judge).
    'gpt-4.1': { text: { input: 2, cachedInput: 0.5, output: 8 }, source: PRICING_PAGE_2025_09_01 },
    'gpt-4.1-mini': {
      text: { input: 0.4, cachedInput: 0.1, output: 1.6 },
      source: PRICING_PAGE_2025_09_01,
    },
    // Shut down on 2026-10-23 (model-lifecycle.ts); kept so its stored runs stay priced.
    'gpt-4.1-nano': {
      text: { input: 0.1, cachedInput: 0.025, output: 0.4 },
      source: PRICING_PAGE_2025_09_01,
    },
    'gpt-4o-mini': {
      text: { input: 0.15, cachedInput: 0.075, output: 0.6 },
      source: PRICING_PAGE_2025_09_01,
    },
    'gpt-5.6-luna': {
      text: { input: 0.2, cachedInput: 0.02, output: 1.2 },
      source: modelPage('gpt-5.6-luna'),
    },
    'gpt-6-luna': {
      text: { input: 0.1, cachedInput: 0.01, output: 0.5 },
      source: modelPage('gpt-6-luna'),
    },
    // Text to speech (the simulated user's voice): text in, audio out; it reads no audio.
    'gpt-4o-mini-tts': {
      text: { input: 0.6, cachedInput: 0.6, output: 0 },
      audio: { input: 0, cachedInput: 0, output: 12 },
      source: modelPage('gpt-4o-mini-tts'),
    },
    // Speech to text (the interviewer session's input transcription): audio or text in, text out.
    'gpt-4o-mini-transcribe': {
      text: { input: 1.25, cachedInput: 1.25, output: 5 },
      audio: { input: 3, cachedInput: 3, output: 0 },
      source: modelPage('gpt-4o-mini-transcribe'),
    },
  } satisfies Record<string, ModelPrices>,
} as const;

export type PricedModel = keyof typeof PRICING.models;

/**
 * The prices of `model`, also for dated snapshots ("gpt-realtime-2025-08-28"
 * is priced as "gpt-realtime"); undefined when the table does not know it.
 */
export function pricesFor(model: string): ModelPrices | undefined {
  const models: Record<string, ModelPrices> = PRICING.models;
  if (models[model]) return models[model];
  const undated = model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return models[undated];
}

/** Token counts of one model's use in a run, split as they are priced. */
export interface TokenCounts {
  textInput: number;
  textCachedInput: number;
  textOutput: number;
  audioInput: number;
  audioCachedInput: number;
  audioOutput: number;
}

export const NO_TOKENS: TokenCounts = {
  textInput: 0,
  textCachedInput: 0,
  textOutput: 0,
  audioInput: 0,
  audioCachedInput: 0,
  audioOutput: 0,
};

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    textInput: a.textInput + b.textInput,
    textCachedInput: a.textCachedInput + b.textCachedInput,
    textOutput: a.textOutput + b.textOutput,
    audioInput: a.audioInput + b.audioInput,
    audioCachedInput: a.audioCachedInput + b.audioCachedInput,
    audioOutput: a.audioOutput + b.audioOutput,
  };
}

/**
 * USD for these tokens at `model`'s prices; null when the model is not in the
 * table (an unknown model is "unpriced", never "free"). Input counts are
 * uncached tokens; cached ones are priced separately.
 */
export function costUsd(model: string, tokens: TokenCounts): number | null {
  const prices = pricesFor(model);
  if (!prices) return null;
  const audio = prices.audio ?? prices.text;
  const micro =
    tokens.textInput * prices.text.input +
    tokens.textCachedInput * prices.text.cachedInput +
    tokens.textOutput * prices.text.output +
    tokens.audioInput * audio.input +
    tokens.audioCachedInput * audio.cachedInput +
    tokens.audioOutput * audio.output;
  return Math.round(micro) / 1_000_000;
}
