import { describe, expect, it } from 'vitest';
import {
  MODEL_SHUTDOWNS,
  modelLifecycleWarning,
  modelsLifecycleWarnings,
  shutdownOf,
} from './model-lifecycle.ts';
import { pricesFor } from './pricing.ts';
import { SCENARIO_DEFAULTS } from './run-constants.ts';

const at = (iso: string) => new Date(iso);

describe('model lifecycle', () => {
  it('warns within 90 days of a shutdown, naming the date, the days left and the replacement', () => {
    expect(modelLifecycleWarning('gpt-4.1-mini', at('2026-12-01T12:00:00Z'))).toEqual({
      model: 'gpt-4.1-mini',
      shutdown: '2027-01-14',
      daysLeft: 44,
      replacement: 'gpt-6-luna',
      message: 'gpt-4.1-mini shuts down on 2027-01-14 (in 44 days); OpenAI recommends gpt-6-luna',
    });
    expect(modelLifecycleWarning('gpt-4.1-mini', at('2026-10-15T23:59:59Z'))).toBeNull();
    expect(modelLifecycleWarning('gpt-4.1-mini', at('2026-10-16T00:00:00Z'))?.daysLeft).toBe(90);
  });

  it('says a model is gone from the first moment of its shutdown day (UTC)', () => {
    expect(modelLifecycleWarning('gpt-4.1-nano', at('2026-10-22T23:59:59Z'))?.daysLeft).toBe(1);
    const gone = modelLifecycleWarning('gpt-4.1-nano', at('2026-10-23T00:00:00Z'));
    expect(gone?.daysLeft).toBe(0);
    expect(gone?.message).toBe(
      'gpt-4.1-nano was shut down on 2026-10-23: OpenAI no longer serves it; OpenAI recommends gpt-5.6-luna',
    );
  });

  it('finds a dated snapshot by its model, and has nothing to say of current or unknown models', () => {
    expect(shutdownOf('gpt-realtime-2025-08-28')?.shutdown).toBe('2027-01-20');
    const now = at('2026-12-01T00:00:00Z');
    expect(modelLifecycleWarning('gpt-realtime-2.1', now)).toBeNull();
    expect(modelLifecycleWarning('no-such-model', now)).toBeNull();
  });

  it('takes the shutdown dates GET /v1/models reported over the table, null meaning none', () => {
    const now = at('2026-12-01T00:00:00Z');
    expect(
      modelLifecycleWarning('gpt-realtime-2.1', now, {
        reported: { 'gpt-realtime-2.1': '2027-02-01' },
      })?.shutdown,
    ).toBe('2027-02-01');
    expect(
      modelLifecycleWarning('gpt-4.1-mini', now, { reported: { 'gpt-4.1-mini': null } }),
    ).toBeNull();
  });

  it('lists one warning per distinct model of a scenario', () => {
    const warnings = modelsLifecycleWarnings(
      ['gpt-realtime', 'gpt-4.1-mini', 'gpt-4.1-mini', undefined],
      at('2026-12-01T00:00:00Z'),
    );
    expect(warnings.map((w) => [w.model, w.daysLeft])).toEqual([
      ['gpt-realtime', 50],
      ['gpt-4.1-mini', 44],
    ]);
  });

  it('knows shutdowns only of priced models, and the default interviewer is not shutting down', () => {
    for (const model of Object.keys(MODEL_SHUTDOWNS)) expect(pricesFor(model), model).toBeDefined();
    expect(
      modelLifecycleWarning(SCENARIO_DEFAULTS.interviewerModel, at('2026-12-01T00:00:00Z')),
    ).toBeNull();
  });
});
