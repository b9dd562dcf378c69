// @vitest-environment jsdom
import { randomUUID } from 'node:crypto';
import { makeScenarioInput, makeScenarioRun } from '@engine/testing/benchmark-runs.ts';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderRoute } from '../../web/src/test/render.tsx';
import { apiUrl, LOCAL_ANON_KEY, saveRun } from '../support/stack-clients.ts';

const stack = () => ({ apiUrl: apiUrl(), anonKey: LOCAL_ANON_KEY });

describe('/trends regressions against the real stack', () => {
  it('says a scenario that does not exist does not, instead of "no regression"', async () => {
    renderRoute(`/trends?scenario=${encodeURIComponent(`Nobody ${randomUUID()}`)}`, stack());
    expect(
      await screen.findByText('Regressions: no such scenario.', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/no regression/i)).toBeNull();
  });

  it('says how many runs are missing when there are too few to compare', async () => {
    const scenario = makeScenarioInput({
      name: `Few ${randomUUID()}`,
      checks: { ended_by: 'cue' },
    });
    // Years back, so no chart of the last days is drawn: only the regressions are asked for.
    for (let i = 0; i < 3; i++) {
      const created = new Date(Date.UTC(2020, 0, 1, i)).toISOString();
      const run = makeScenarioRun(scenario, {
        created_at: created,
        conversation_history: [{ speaker: 'interviewer', content: 'Hello.', timestamp: created }],
        event_log: [
          {
            direction: 'system',
            timestamp: created,
            event: { type: 'run.started', model: 'gpt-realtime' },
          },
        ],
      });
      expect((await saveRun(run)).status).toBe(201);
    }
    renderRoute(`/trends?scenario=${encodeURIComponent(scenario.name)}`, stack());
    expect(
      await screen.findByText(
        'gpt-realtime + no model: not enough runs to compare (3 of 15 needed).',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/no regression/i)).toBeNull();
  });
});
