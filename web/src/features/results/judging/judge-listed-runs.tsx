import { formatCost } from '@core/format.ts';
import { DEFAULT_JUDGE_MODEL, type Rubric } from '@core/judge.ts';
import { estimateJudgeCostUsd, JUDGE_ESTIMATE, TYPICAL_RUBRIC } from '@core/judge-cost.ts';
import { PRICING } from '@core/pricing.ts';
import { JudgeRunError, judgeRun } from '@engine/judge-client.ts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { agentStatusQueryOptions } from '../../../data/agent-status.ts';
import { comparisonKeys, judgementKeys } from '../../../data/keys.ts';
import { useBenchmarkRuntime } from '../../../lib/runtime-context.tsx';

export interface ListedRun {
  run_id: string;
  num_turns: number | null;
  /** The run's scenario rubric; null when it has none, undefined when not known here. */
  rubric: Rubric | null | undefined;
}

export interface JudgeBatchEstimate {
  /** Runs that will be sent: those with a rubric, or whose rubric is not known here. */
  runs: ListedRun[];
  /** Runs left out because their scenario has no rubric (the API would refuse them). */
  withoutRubric: number;
  /** Estimated USD for one judging of each run sent; null when the model is not priced. */
  usd: number | null;
}

/** Which runs a batch judges and what it is estimated to cost with `model`. */
export function estimateJudgeBatch(
  runs: readonly ListedRun[],
  model = DEFAULT_JUDGE_MODEL,
): JudgeBatchEstimate {
  const sent = runs.filter((run) => run.rubric !== null);
  let usd: number | null = 0;
  for (const run of sent) {
    const cost = estimateJudgeCostUsd(model, run.rubric ?? TYPICAL_RUBRIC, run.num_turns ?? 0);
    usd = cost === null || usd === null ? null : usd + cost;
  }
  return { runs: sent, withoutRubric: runs.length - sent.length, usd };
}

type Phase =
  | { name: 'idle' }
  | { name: 'checking' }
  | { name: 'confirm'; estimate: JudgeBatchEstimate }
  | { name: 'running' | 'done'; progress: Progress }
  | { name: 'stopped'; progress: Progress; reason: string };

interface Progress {
  total: number;
  judged: number;
  failed: number;
  withoutRubric: number;
  lastError: string | null;
}

const plural = (n: number, word: string) =>
  `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

function describe(progress: Progress, running: boolean): string {
  let text = `Judged ${progress.judged} of ${progress.total}`;
  if (progress.failed > 0) {
    text += `, ${progress.failed} not judged (last: ${progress.lastError})`;
  }
  if (progress.withoutRubric > 0)
    text += `; ${plural(progress.withoutRubric, 'run')} without a rubric skipped`;
  return `${text}${running ? '…' : '.'}`;
}

/**
 * Judges the listed runs one at a time, with progress. Judging calls OpenAI
 * and costs money, so with a key it first asks, showing how many runs and
 * the estimated cost; without one (or with a key OpenAI refuses, or once the
 * OpenAI budget is spent) it stops at the first answer saying so instead of
 * asking again for every run.
 */
export function JudgeListedRuns({ runs }: { runs: readonly ListedRun[] }) {
  const { endpoint } = useBenchmarkRuntime();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const busy = phase.name !== 'idle' && phase.name !== 'done' && phase.name !== 'stopped';

  const judgeAll = async (estimate: JudgeBatchEstimate) => {
    let progress: Progress = {
      total: estimate.runs.length,
      judged: 0,
      failed: 0,
      withoutRubric: estimate.withoutRubric,
      lastError: null,
    };
    setPhase({ name: 'running', progress });
    const refresh = () => {
      void queryClient.invalidateQueries({ queryKey: judgementKeys.all });
      void queryClient.invalidateQueries({ queryKey: comparisonKeys.all });
    };
    for (const run of estimate.runs) {
      try {
        await judgeRun(endpoint, run.run_id);
        progress = { ...progress, judged: progress.judged + 1 };
      } catch (error) {
        if (error instanceof JudgeRunError && error.stopsBatch) {
          setPhase({ name: 'stopped', progress, reason: error.message });
          refresh();
          return;
        }
        progress = {
          ...progress,
          failed: progress.failed + 1,
          lastError: (error as Error).message,
        };
      }
      setPhase({ name: 'running', progress });
    }
    setPhase({ name: 'done', progress });
    refresh();
  };

  const start = async () => {
    const estimate = estimateJudgeBatch(runs);
    setPhase({ name: 'checking' });
    const status = await queryClient
      .fetchQuery(agentStatusQueryOptions(endpoint))
      .catch(() => null);
    // Without a key nothing can cost money: the first answer says what is missing.
    // When the status is unknown, ask as if judging would cost.
    if (status?.openaiConfigured === false) void judgeAll(estimate);
    else setPhase({ name: 'confirm', estimate });
  };

  return (
    <span className="judge-listed">
      <button
        type="button"
        className="secondary"
        disabled={busy || runs.length === 0}
        onClick={() => void start()}
      >
        Judge listed runs
      </button>
      {phase.name === 'confirm' && (
        <ConfirmJudging
          estimate={phase.estimate}
          onConfirm={() => void judgeAll(phase.estimate)}
          onCancel={() => setPhase({ name: 'idle' })}
        />
      )}
      {(phase.name === 'running' || phase.name === 'done') && (
        <span role="status">{describe(phase.progress, phase.name === 'running')}</span>
      )}
      {phase.name === 'stopped' && (
        <span role="alert" className="error">
          Judging stopped: {phase.reason}
        </span>
      )}
    </span>
  );
}

function ConfirmJudging({
  estimate,
  onConfirm,
  onCancel,
}: {
  estimate: JudgeBatchEstimate;
  onConfirm(): void;
  onCancel(): void;
}) {
  const count = estimate.runs.length;
  return (
    <span
      role="alertdialog"
      aria-labelledby="judge-confirm-title"
      aria-describedby="judge-confirm-how"
      className="notice judge-confirm"
    >
      <strong id="judge-confirm-title">
        {count === 0
          ? 'None of the listed runs has a rubric to judge by.'
          : `Judge ${plural(count, 'run')} with ${DEFAULT_JUDGE_MODEL}? Estimated cost ${
              estimate.usd === null
                ? 'unknown (model not priced)'
                : `about ${formatCost(estimate.usd)}`
            }.`}
      </strong>
      {estimate.withoutRubric > 0 && (
        <span> {plural(estimate.withoutRubric, 'run')} without a rubric will be skipped.</span>
      )}
      <span id="judge-confirm-how" className="muted">
        {' '}
        Estimated from each run's turns (about {JUDGE_ESTIMATE.tokensPerTurn} tokens a turn) and its
        rubric, at OpenAI's prices of {PRICING.version}; an answer that must be asked for again
        costs up to twice as much.
      </span>{' '}
      {count > 0 && (
        <button type="button" onClick={onConfirm}>
          Judge {plural(count, 'run')}
        </button>
      )}{' '}
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </span>
  );
}
