import { scenarioSchema } from '@core/scenario.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createAgents, voiceModeIssue } from './agents.ts';

const voiceScenario = scenarioSchema.parse({
  name: 'Spoken intake',
  interviewer: { prompt: 'You are a support agent.' },
  simulated_user: { persona: 'You are Lee.', speech: { mode: 'voice', voice: 'ash' } },
});

describe('createAgents', () => {
  afterEach(() => vi.unstubAllGlobals());

  const endpoint = { functionsUrl: 'http://127.0.0.1:9/functions/v1', anonKey: 'sb_publishable_x' };

  it('gives the OpenAI agents of a voice scenario a voice over WebSocket', () => {
    // Node 20 has no global WebSocket without --experimental-websocket (the runner's flag).
    if (typeof globalThis.WebSocket === 'undefined') vi.stubGlobal('WebSocket', WebSocket);
    const agents = createAgents(voiceScenario, {
      kind: 'openai',
      endpoint,
      transport: 'websocket',
    });
    expect(agents.transport.kind).toBe('websocket');
    expect(agents.userVoice).toBeDefined();
  });

  it('refuses a scenario in voice mode for the OpenAI agents over WebRTC, naming the field and the transport, rather than run it in text', () => {
    expect(() =>
      createAgents(voiceScenario, { kind: 'openai', endpoint, transport: 'webrtc' }),
    ).toThrow(
      'simulated_user.speech: voice mode with the OpenAI agents runs over WebSocket only in this version',
    );
    expect(voiceModeIssue(voiceScenario, { kind: 'openai', transport: 'webrtc' })?.message).toMatch(
      /use the WebSocket transport/,
    );
    expect(voiceModeIssue(voiceScenario, { kind: 'openai', transport: 'websocket' })).toBeNull();
    expect(voiceModeIssue(voiceScenario, { kind: 'offline' })).toBeNull();
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

describe('voiceModeIssue', () => {
  it('lets a barging-in user run with the offline agents and over WebSocket', () => {
    const barging = scenarioSchema.parse({
      ...voiceScenario,
      simulated_user: {
        ...voiceScenario.simulated_user,
        speech: { mode: 'voice', voice: 'ash', interrupt_after_ms: 1500 },
      },
    });
    for (const agents of [
      { kind: 'offline' },
      { kind: 'openai', transport: 'websocket' },
    ] as const) {
      expect(voiceModeIssue(barging, agents)).toBeNull();
    }
    expect(createAgents(barging, { kind: 'offline', pacing: { seed: 1 } }).userVoice).toBeDefined();
  });
});
