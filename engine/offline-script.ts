import { offlineQuestionCount, type Scenario } from '@core/scenario.ts';

/** What the offline demo agents say in a run of a scenario. */
export interface OfflineScript {
  /** The interviewer's questions, one per turn, before its closing line. */
  questions: string[];
  /** The interviewer's last line, with the termination cue unless the script says otherwise. */
  closing: string;
  /** The simulated user's replies, in order, repeated when the talk is longer. */
  replies: string[];
}

/** The built-in script: a user researcher asking about weekly planning (the console's default prompts). */
const BUILT_IN_QUESTIONS = [
  'What tools do you use today to plan your week?',
  'Tell me about the last time a plan fell apart. What happened?',
  'What do you wish your current tool did better?',
  'How do you share plans with the people around you?',
  'If you could change one thing about your routine, what would it be?',
  'How do you decide what to do first when everything feels urgent?',
  'What would make you switch to a new tool?',
  'How much time do you spend planning each week?',
];

const BUILT_IN_REPLIES = [
  'Mostly a paper notebook and a shared calendar, honestly.',
  'Last month a deadline moved and nothing I had written down adapted, so I rewrote the whole week.',
  'I wish it reminded me at the right moment instead of all at once in the morning.',
  'I send screenshots to my partner, which is clumsy but it works.',
  'I would plan fewer things and leave real gaps between them.',
  'Whatever has someone waiting on it goes first.',
  'If it saved me ten minutes a day without another login, I would switch.',
  'Maybe half an hour on Sunday evening, and a few minutes each morning.',
];

const builtInQuestion = (index: number) => {
  const question = BUILT_IN_QUESTIONS[index % BUILT_IN_QUESTIONS.length] as string;
  return index === 0
    ? `Hi, thanks for joining me today. ${question}`
    : `Thanks, that helps. ${question}`;
};

/**
 * The lines of a scenario's `offline` block, with the built-in script for
 * whatever it leaves out: its questions (repeated up to `questions`), its
 * closing line (default: a thank-you ending with the scenario's cue) and the
 * simulated user's replies.
 */
export function offlineScriptFor(
  scenario: Pick<Scenario, 'offline' | 'termination'>,
): OfflineScript {
  const lines = scenario.offline?.interviewer;
  const questions = Array.from({ length: offlineQuestionCount(scenario) }, (_, i) =>
    lines ? (lines[i % lines.length] as string) : builtInQuestion(i),
  );
  const cue = scenario.termination.cue;
  return {
    questions,
    closing:
      scenario.offline?.closing ??
      `Thank you so much for your answers. ${cue.charAt(0).toUpperCase()}${cue.slice(1)}.`,
    replies: [...(scenario.offline?.simulated_user ?? BUILT_IN_REPLIES)],
  };
}
