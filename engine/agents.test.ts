import { scenarioSchema } from '@core/scenario.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createAgents } from './agents.ts';

const voiceScenario = scenarioSchema.parse({
  name: 'Spoken intake',
  interviewer: { prompt: 'You are a support agent.' },
  simulated_user: { persona: 'You are Lee.', speech: { mode: 'voice', voice: 'ash' } },
});

const endpoint = { functionsUrl: 'http://127.0.0.1:9/functions/v1', anonKey: 'sb_publishable_x' };

describe('createAgents', () => {
  afterEach(() => vi.unstubAllGlobals());

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

  it('gives the OpenAI agents of a voice scenario a voice over WebRTC, the transport carrying it on its send track', () => {
    const agents = createAgents(voiceScenario, { kind: 'openai', endpoint, transport: 'webrtc' });
    expect(agents.transport.kind).toBe('webrtc');
    expect(agents.userVoice).toBeDefined();
    expect(agents.transport.sendAudio).toBeTypeOf('function');
  });

  it('gives the OpenAI agents of a text scenario over WebRTC no send track (receive-only audio)', () => {
    const { speech: _, ...typing } = voiceScenario.simulated_user;
    const agents = createAgents(
      { ...voiceScenario, simulated_user: typing },
      { kind: 'openai', endpoint, transport: 'webrtc' },
    );
    expect(agents.transport.sendAudio).toBeUndefined();
    expect(agents.userVoice).toBeUndefined();
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

describe('a user who barges in', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is run by every agent: offline, and OpenAI over either transport', () => {
    if (typeof globalThis.WebSocket === 'undefined') vi.stubGlobal('WebSocket', WebSocket);
    const barging = scenarioSchema.parse({
      ...voiceScenario,
      simulated_user: {
        ...voiceScenario.simulated_user,
        speech: { mode: 'voice', voice: 'ash', interrupt_after_ms: 1500 },
      },
    });
    expect(createAgents(barging, { kind: 'offline', pacing: { seed: 1 } }).userVoice).toBeDefined();
    for (const transport of ['webrtc', 'websocket'] as const) {
      expect(
        createAgents(barging, { kind: 'openai', endpoint, transport }).userVoice,
      ).toBeDefined();
    }
  });
});
