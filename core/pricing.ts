// Prices of the models a run can use, in USD per 1M tokens. Versioned: a run's
// cost is stored with the version it was priced by, and shown with its date.
// Update the table (and its version) when OpenAI's list prices change.

export interface TokenPrices {
  input: number;
  cachedInput: number;
  output: number;
}

export interface ModelPrices {
  text: TokenPrices;
  /** Realtime models only. */
  audio?: TokenPrices;
}

export const PRICING = {
  version: '2025-09-01',
  source: 'https://openai.com/api/pricing',
  models: {
    'gpt-realtime': {
      text: { input: 4, cachedInput: 0.4, output: 16 },
      audio: { input: 32, cachedInput: 0.4, output: 64 },
    },
    'gpt-realtime-mini': {
      text: { input: 0.6, cachedInput: 0.06, output: 2.4 },
      audio: { input: 10, cachedInput: 0.3, output: 20 },
    },
    'gpt-4.1': { text: { input: 2, cachedInput: 0.5, output: 8 } },
    'gpt-4.1-mini': { text: { input: 0.4, cachedInput: 0.1, output: 1.6 } },
    'gpt-4.1-nano': { text: { input: 0.1, cachedInput: 0.025, output: 0.4 } },
    'gpt-4o-mini': { text: { input: 0.15, cachedInput: 0.075, output: 0.6 } },
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
