import type { Scenario } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import { type ScenarioVersion, staleness } from './get-scenario-versions.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const version = (last_run_at: string | null): ScenarioVersion => ({
  scenario_hash: 'a'.repeat(64),
  name: 'Support intake',
  content: {} as Scenario,
  created_at: '2026-01-01T00:00:00Z',
  last_run_at,
  from_file: true,
});

describe('staleness', () => {
  it('marks a scenario none of whose versions ran in 90 days', () => {
    expect(staleness([version('2026-08-01T00:00:00Z'), version(null)], NOW)).toEqual({
      stale: true,
      lastRunAt: '2026-08-01T00:00:00Z',
    });
  });

  it('does not mark one with a recent run in any version, nor one never run', () => {
    expect(
      staleness([version('2026-08-01T00:00:00Z'), version('2026-11-20T00:00:00Z')], NOW).stale,
    ).toBe(false);
    expect(staleness([version(null)], NOW)).toEqual({ stale: false, lastRunAt: null });
  });
});
