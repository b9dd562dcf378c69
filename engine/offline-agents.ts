import type { Scenario } from '@core/scenario.ts';
import type { OfflinePacingLabels } from '@core/system-events.ts';
import type { BenchmarkAgents } from './benchmarking-service.ts';
import { offlineScriptFor } from './offline-script.ts';
import {
  DEFAULT_FIRST_AUDIO_MS,
  type FirstAudioRange,
  OfflineInterviewerTransport,
} from './realtime/offline-transport.ts';
import { OfflineSimulatedUser } from './simulated-user.ts';
import { OfflineUserVoice } from './user-voice.ts';

/** The model name offline runs record for both agents, so lists and groups name them as offline. */
export const OFFLINE_MODEL = 'offline';

/** How one offline run is paced; recorded with the run, so its timings can be replayed. */
export interface OfflinePacing {
  /** Seeds the interviewer's times to first audio. */
  seed: number;
  /** How long the interviewer takes to speak a line, in ms (default 1000). */
  turnMs?: number;
  firstAudioMs?: FirstAudioRange;
}

/** A fresh seed for a run that was not given one. */
export function newOfflineSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/** The offline interviewer and simulated user playing `scenario`'s offline script. */
export function createOfflineAgents(scenario: Scenario, pacing: OfflinePacing): BenchmarkAgents {
  const script = offlineScriptFor(scenario);
  const turnMs = pacing.turnMs ?? 1000;
  return {
    transport: new OfflineInterviewerTransport({
      questions: script.questions,
      closing: script.closing,
      seed: pacing.seed,
      turnMs,
      firstAudioMs: pacing.firstAudioMs,
    }),
    simulatedUser: new OfflineSimulatedUser(script.replies, Math.round(turnMs * 0.4)),
    ...(scenario.simulated_user.speech
      ? { userVoice: new OfflineUserVoice(pacing.seed, scenario.simulated_user.speech) }
      : {}),
  };
}

/** What a run's first event records about its offline pacing. */
export function offlinePacingLabels(pacing: OfflinePacing): OfflinePacingLabels {
  const { min, max } = pacing.firstAudioMs ?? DEFAULT_FIRST_AUDIO_MS;
  return {
    offline_seed: pacing.seed,
    offline_turn_ms: pacing.turnMs ?? 1000,
    offline_first_audio_ms: `${min}-${max}`,
  };
}
