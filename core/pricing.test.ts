import type { RealtimeSessionCreateRequest } from 'openai/resources/realtime/realtime';
import { describe, expect, it } from 'vitest';
import { costUsd, NO_TOKENS, PRICING, pricesFor, type TokenCounts } from './pricing.ts';
import { SCENARIO_DEFAULTS } from './run-constants.ts';

/** The Realtime speech-to-speech models the openai package offers for a session, snapshots aside. */
type Literal<T> = T extends string ? (string extends T ? never : T) : never;
type SdkRealtimeModel = Exclude<
  Literal<NonNullable<RealtimeSessionCreateRequest['model']>>,
  `${string}-preview${string}` | `gpt-audio${string}` | `${string}-20${string}-${string}-${string}`
>;
// A model added to the SDK's list and not here fails the typecheck; this list fails the test below
// for every one the table does not price.
const SDK_REALTIME_MODELS: Record<SdkRealtimeModel, true> = {
  'gpt-realtime': true,
  'gpt-realtime-1.5': true,
  'gpt-realtime-2': true,
  'gpt-realtime-2.1': true,
  'gpt-realtime-2.1-mini': true,
  'gpt-realtime-mini': true,
};

const million = (kind: keyof TokenCounts) => ({ ...NO_TOKENS, [kind]: 1_000_000 });

describe('the pricing table', () => {
  it('prices every Realtime model of the openai package with text and audio rates of its own', () => {
    for (const model of Object.keys(SDK_REALTIME_MODELS)) {
      const prices = PRICING.models[model as keyof typeof PRICING.models];
      expect(prices, model).toBeDefined();
      expect('audio' in prices && prices.audio, model).toBeTruthy();
    }
  });

  it('prices the newer Realtime models at their own rates, not as gpt-realtime', () => {
    // gpt-realtime-2 and 2.1: text output $24/1M, against gpt-realtime's $16 (model pages, 2026-12-01).
    expect(costUsd('gpt-realtime', million('textOutput'))).toBe(16);
    expect(costUsd('gpt-realtime-1.5', million('textOutput'))).toBe(16);
    expect(costUsd('gpt-realtime-2', million('textOutput'))).toBe(24);
    expect(costUsd('gpt-realtime-2.1', million('textOutput'))).toBe(24);
    expect(costUsd('gpt-realtime-2.1', million('audioOutput'))).toBe(64);
    expect(costUsd('gpt-realtime-2.1', million('audioCachedInput'))).toBe(0.4);
    expect(costUsd('gpt-realtime-2.1-mini', million('audioInput'))).toBe(10);
    expect(costUsd('gpt-realtime-2.1-mini', million('textCachedInput'))).toBe(0.06);
    expect(costUsd('gpt-6-luna', million('textOutput'))).toBe(0.5);
    expect(costUsd('gpt-5.6-luna', million('textCachedInput'))).toBe(0.02);
    expect(costUsd('gpt-4o-mini-tts', million('textInput'))).toBe(0.6);
    expect(costUsd('gpt-4o-mini-tts', million('audioOutput'))).toBe(12);
  });

  it('gives every row a source and the date it was read', () => {
    for (const [model, prices] of Object.entries(PRICING.models)) {
      expect(prices.source.url, model).toMatch(/^https:\/\/(developers\.)?openai\.com\//);
      expect(prices.source.checked, model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(prices.source.checked <= PRICING.version, model).toBe(true);
    }
  });

  it('prices the default models, and leaves unknown ones unpriced rather than free', () => {
    expect(pricesFor(SCENARIO_DEFAULTS.interviewerModel)).toBeDefined();
    expect(pricesFor(SCENARIO_DEFAULTS.simulatedUserModel)).toBeDefined();
    // Only a dated snapshot borrows its model's prices; a different model never does.
    expect(pricesFor('gpt-realtime-2.1-2026-07-01')).toBe(pricesFor('gpt-realtime-2.1'));
    expect(pricesFor('gpt-realtime-3')).toBeUndefined();
    expect(costUsd('gpt-realtime-3', million('audioOutput'))).toBeNull();
  });
});
