/**
 * OpenAI closes a Realtime session after 60 minutes (an `error` with code
 * `session_expired`): a run on the OpenAI agents cannot outlast it.
 */
export const REALTIME_SESSION_LIMIT_MINUTES = 60;

const SCENARIO_FIELD_NAMES = {
  maxTurns: 'termination.max_turns',
  turnTimeout: 'termination.turn_timeout_seconds',
};

export interface SessionLimitIssue {
  /** The scenario field to change, as a path: `termination.max_turns`. */
  path: readonly ['termination', 'max_turns'];
  message: string;
}

/**
 * Why a scenario's termination settings let a run outlast the Realtime session,
 * or null. A run's longest is its turn limit times its per-turn timeout (each
 * turn, the interviewer's or the simulated user's, may take up to the timeout
 * before the run ends as an error); when that is past the session limit the
 * session could expire mid-run, so the OpenAI agents refuse such a scenario
 * before the run starts. The offline agents have no session limit.
 */
export function sessionLimitIssue(
  termination: { max_turns: number; turn_timeout_seconds: number },
  /** How the message names the two fields (the console says "Max turns"). */
  names: { maxTurns: string; turnTimeout: string } = SCENARIO_FIELD_NAMES,
): SessionLimitIssue | null {
  const { max_turns: turns, turn_timeout_seconds: timeout } = termination;
  const limitSeconds = REALTIME_SESSION_LIMIT_MINUTES * 60;
  if (turns * timeout <= limitSeconds) return null;
  const minutes = Math.ceil((turns * timeout) / 60);
  const turnsAllowed = Math.floor(limitSeconds / timeout);
  const timeoutAllowed = Math.floor(limitSeconds / turns);
  const lowerTimeout = timeoutAllowed >= 1 ? ` or ${names.turnTimeout} to ${timeoutAllowed}` : '';
  return {
    path: ['termination', 'max_turns'],
    message:
      `${names.maxTurns} × ${names.turnTimeout} (${turns} × ${timeout} s) allows a run of up to ${minutes} min, ` +
      `past the Realtime API's ${REALTIME_SESSION_LIMIT_MINUTES}-minute session limit: ` +
      `lower ${names.maxTurns} to ${turnsAllowed}${lowerTimeout}`,
  };
}
