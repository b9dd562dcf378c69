import { SCENARIO_DEFAULTS } from '../../../supabase/functions/_shared/run-constants.ts';
import type { FunctionTool } from '../realtime/events.ts';

export const DEFAULT_TERMINATION_CUE = SCENARIO_DEFAULTS.terminationCue;

/** Lower case, letters and digits only, single spaces: "That concludes — our interview!" → "that concludes our interview". */
export function normaliseForCue(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** True when the cue occurs in the text, ignoring case, punctuation and spacing. */
export function containsCue(text: string, cue: string): boolean {
  const needle = normaliseForCue(cue);
  if (!needle) return false;
  return ` ${normaliseForCue(text)} `.includes(` ${needle} `);
}

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
