import { scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import { createAgents } from './agents.ts';

const voiceScenario = scenarioSchema.parse({
  name: 'Spoken intake',
  interviewer: { prompt: 'You are a support agent.' },
  simulated_user: { persona: 'You are Lee.', speech: { mode: 'voice', voice: 'ash' } },
});

describe('createAgents', () => {
  it('refuses a scenario in voice mode, naming the field, rather than run it in text', () => {
    expect(() => createAgents(voiceScenario, { kind: 'offline', pacing: { seed: 1 } })).toThrow(
      'simulated_user.speech: cannot be run yet',
    );
  });

  it('makes the offline agents of a text scenario', () => {
    const { speech: _, ...typing } = voiceScenario.simulated_user;
    const agents = createAgents(
      { ...voiceScenario, simulated_user: typing },
      { kind: 'offline', pacing: { seed: 1 } },
    );
    expect(agents.transport.kind).toBe('offline');
    expect(agents.simulatedUser.kind).toBe('offline');
  });
});
