import type { FunctionTool } from '@core/realtime-events.ts';
import { SCENARIO_DEFAULTS } from '@core/run-constants.ts';
import { containsPhrase } from '@core/text-match.ts';

export const DEFAULT_TERMINATION_CUE = SCENARIO_DEFAULTS.terminationCue;

/** True when the cue occurs in the text, ignoring case, punctuation and spacing. */
export const containsCue = containsPhrase;

export const END_INTERVIEW_TOOL: FunctionTool = {
  type: 'function',
  name: 'end_interview',
  description: 'Call this once the interview is complete and you have said goodbye.',
  parameters: {
    type: 'object',
    properties: { reason: { type: 'string', description: 'Why the interview is over.' } },
    required: [],
  },
};
