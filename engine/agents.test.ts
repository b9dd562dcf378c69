import { scenarioSchema } from '@core/scenario.ts';
import { describe, expect, it } from 'vitest';
import { createAgents } from './agents.ts';

const voiceScenario = scenarioSchema.parse({
  name: 'Spoken intake',
  interviewer: { prompt: 'You are a support agent.' },
  simulated_user: { persona: 'You are Lee.', speech: { mode: 'voice', voice: 'ash' } },
});

describe('createAgents', () => {
  it('refuses a scenario in voice mode for the OpenAI agents, naming the field, rather than run it in text', () => {
    const endpoint = {
      functionsUrl: 'http://127.0.0.1:9/functions/v1',
      anonKey: 'sb_publishable_x',
    };
    expect(() =>
      createAgents(voiceScenario, { kind: 'openai', endpoint, transport: 'websocket' }),
    ).toThrow('simulated_user.speech: voice mode runs with the offline agents only');
  });

  it('gives the offline agents of a voice scenario a voice', () => {
    const agents = createAgents(voiceScenario, { kind: 'offline', pacing: { seed: 1 } });
    expect(agents.userVoice).toBeDefined();
  });

  it('makes the offline agents of a text scenario', () => {
    const { speech: _, ...typing } = voiceScenario.simulated_user;
    const agents = createAgents(
      { ...voiceScenario, simulated_user: typing },
      { kind: 'offline', pacing: { seed: 1 } },
    );
    expect(agents.transport.kind).toBe('offline');
    expect(agents.simulatedUser.kind).toBe('offline');
    expect(agents.userVoice).toBeUndefined();
  });
});
