import { describe, expect, it } from 'vitest';
import { sessionLimitIssue } from './session-limit.ts';

describe('sessionLimitIssue', () => {
  it('accepts a run whose turns at their timeout fit in the 60-minute session', () => {
    expect(sessionLimitIssue({ max_turns: 30, turn_timeout_seconds: 60 })).toBeNull();
    expect(sessionLimitIssue({ max_turns: 60, turn_timeout_seconds: 60 })).toBeNull();
    expect(sessionLimitIssue({ max_turns: 720, turn_timeout_seconds: 5 })).toBeNull();
  });

  it('refuses one that could outlast it, naming the fields and what would fit', () => {
    expect(sessionLimitIssue({ max_turns: 61, turn_timeout_seconds: 60 })).toEqual({
      path: ['termination', 'max_turns'],
      message:
        "termination.max_turns × termination.turn_timeout_seconds (61 × 60 s) allows a run of up to 61 min, past the Realtime API's 60-minute session limit: lower termination.max_turns to 60 or termination.turn_timeout_seconds to 59",
    });
  });

  it('does not suggest a timeout below one second', () => {
    const issue = sessionLimitIssue({ max_turns: 1000, turn_timeout_seconds: 600 });
    expect(issue?.message).toMatch(
      /up to 10000 min.*lower termination\.max_turns to 6 or termination\.turn_timeout_seconds to 3$/,
    );
    const extreme = sessionLimitIssue({ max_turns: 4000, turn_timeout_seconds: 5 });
    expect(extreme?.message).toMatch(/lower termination\.max_turns to 720$/);
  });
});
