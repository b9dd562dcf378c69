import { END_REASON_LABELS, formatDuration, formatUtc } from '@core/format.ts';
import { matchHistoryToTimeline, turnTimeline } from '@core/turn-timeline.ts';
import { computeVoiceMetrics } from '@core/voice-metrics.ts';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { CopyButton } from '../../../components/copy-button.tsx';
import { useRunAudioFile, useRunAudioInfo } from '../../../data/run-audio.ts';
import { useRun, useRunEvents } from '../../../data/runs.ts';
import { downloadJson, downloadText } from '../../../lib/download.ts';
import { type EventFocus, EventLogExplorer } from '../components/event-log-explorer.tsx';
import { ReplayPlayer } from '../components/replay-player.tsx';
import { audioFileName, RunAudioPlayer } from '../components/run-audio-player.tsx';
import { RunMetricsPanel } from '../components/run-metrics-panel.tsx';
import { RunScenario } from '../components/run-scenario.tsx';
import { TranscriptView } from '../components/transcript-view.tsx';
import { TurnWaterfall } from '../components/turn-waterfall.tsx';
import { VoicePanel } from '../components/voice-panel.tsx';
import { transcriptCsv } from '../export-run.ts';
import { RunJudge } from '../judging/run-judge.tsx';
import { usePlaybackClock } from '../playback-clock.ts';
import { buildTimeline, turnsSpokenBy } from '../replay.ts';

export function RunDetailPage() {
  const { runId = '' } = useParams();
  const run = useRun(runId);
  const events = useRunEvents(runId, Boolean(run.data));
  const audioInfo = useRunAudioInfo(runId, Boolean(run.data));
  const audioFile = useRunAudioFile(runId, audioInfo.data);
  const [audioElement, setAudioElement] = useState<HTMLAudioElement | null>(null);
  const createdAt = run.data?.created_at;
  const history = run.data?.conversation_history;
  // When each turn is heard: the replay, the transcript and the waveform share the recording's clock.
  const replay = useMemo(
    () => buildTimeline(createdAt ?? new Date(0).toISOString(), history ?? [], audioInfo.data),
    [createdAt, history, audioInfo.data],
  );
  const clock = usePlaybackClock(replay.durationMs, audioElement, replay.audioOffsetMs);
  const spoken = turnsSpokenBy(replay, clock.positionMs);
  const currentTurn = clock.playing || clock.positionMs > 0 ? spoken - 1 : null;
  const timeline = useMemo(
    () => (events.data ? turnTimeline({ event_log: events.data, created_at: createdAt }) : null),
    [events.data, createdAt],
  );
  // Null for a text run: no simulated-user speech in the log.
  const voice = useMemo(
    () =>
      events.data && timeline
        ? computeVoiceMetrics({ event_log: events.data, created_at: createdAt }, timeline)
        : null,
    [events.data, createdAt, timeline],
  );
  // Each transcript turn's request → first audio: the figure the run's p50/p95 are computed from.
  const firstAudioMs = useMemo(() => {
    if (!timeline || !history) return undefined;
    return matchHistoryToTimeline(history, timeline).map((turnIndex) => {
      const turn = turnIndex === null ? undefined : timeline.turns[turnIndex];
      return turn?.speaker === 'interviewer' ? turn.first_audio_latency_ms : null;
    });
  }, [timeline, history]);
  // A new object on every click, so clicking the selected bar again scrolls to its events again.
  const [selection, setSelection] = useState<{ turn: number } | null>(null);
  const selectedTurn = selection?.turn ?? null;
  const focus = useMemo<EventFocus | null>(() => {
    const turn = selection ? timeline?.turns[selection.turn] : undefined;
    return turn && selection
      ? { label: `turn ${selection.turn + 1}`, indices: turn.event_indices }
      : null;
  }, [timeline, selection]);

  if (run.isPending) return <p role="status">Loading run…</p>;
  if (run.isError) {
    return (
      <div role="alert" className="error">
        <p>Could not load the run: {run.error.message}</p>
        <button type="button" onClick={() => void run.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (!run.data) {
    return (
      <section aria-labelledby="not-found-heading">
        <h1 id="not-found-heading">Run not found</h1>
        <p>
          There is no saved run with the ID <code>{runId}</code>.
        </p>
        <Link to="/results">Back to results</Link>
      </section>
    );
  }

  const data = run.data;
  return (
    <article aria-labelledby="run-heading" className="run-detail">
      <header className="page-header">
        <h1 id="run-heading">Run {data.run_id.slice(0, 8)}</h1>
        <div className="controls">
          <button
            type="button"
            className="secondary"
            disabled={!events.data}
            onClick={() =>
              downloadJson(`run-${data.run_id}.json`, {
                ...data,
                event_log: events.data,
                audio: audioInfo.data
                  ? { ...audioInfo.data, file: audioFileName(data.run_id) }
                  : null,
              })
            }
          >
            Download JSON
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => downloadText(`transcript-${data.run_id}.csv`, transcriptCsv(data))}
          >
            Download transcript CSV
          </button>
          <Link to="/results" className="button secondary">
            All results
          </Link>
        </div>
      </header>
      <dl className="run-facts">
        <div>
          <dt>Run ID</dt>
          <dd>
            <code>{data.run_id}</code> <CopyButton text={data.run_id} />
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <time dateTime={data.created_at}>{formatUtc(data.created_at)}</time>
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(data.duration_ms)}</dd>
        </div>
        <div>
          <dt>Turns</dt>
          <dd>{data.num_turns ?? data.conversation_history.length}</dd>
        </div>
        <div>
          <dt>Ended by</dt>
          <dd>{END_REASON_LABELS[data.end_reason] ?? data.end_reason}</dd>
        </div>
      </dl>

      <RunMetricsPanel metrics={data.metrics} />
      {voice && (
        <VoicePanel
          voice={voice}
          interruptAfterMs={data.scenario?.content.simulated_user.speech?.interrupt_after_ms}
        />
      )}
      <RunJudge runId={data.run_id} rubric={data.scenario?.content.rubric} />

      {data.scenario && data.scenario_hash && (
        <RunScenario
          hash={data.scenario_hash}
          name={data.scenario.name}
          content={data.scenario.content}
        />
      )}

      <div className="prompts-view">
        {(
          [
            ['Interviewer prompt', data.interviewer_prompt],
            ['Simulated user prompt', data.simulated_user_prompt],
          ] as const
        ).map(([title, prompt]) => (
          <details key={title}>
            <summary>{title}</summary>
            <pre>{prompt}</pre>
            <CopyButton text={prompt} label={`Copy ${title.toLowerCase()}`} />
          </details>
        ))}
      </div>

      <div className="detail-grid">
        <section aria-label="Conversation" className="conversation">
          <h2>Transcript</h2>
          <TranscriptView
            createdAt={data.created_at}
            turns={data.conversation_history}
            firstAudioMs={firstAudioMs}
            boundMs={data.scenario?.content.checks?.max_time_to_first_audio_ms}
            currentTurn={currentTurn}
            onSelectTurn={(turn) => clock.seek(replay.offsets[turn] ?? 0)}
          />
        </section>
        <div className="playback">
          <RunAudioPlayer
            runId={data.run_id}
            info={audioInfo.data}
            infoState={audioInfo.isPending ? 'pending' : audioInfo.isError ? 'error' : 'success'}
            file={audioFile.data}
            fileError={audioFile.error ? audioFile.error.message : null}
            turns={data.conversation_history}
            timeline={replay}
            clock={clock}
            onAudioElement={setAudioElement}
          />
          <ReplayPlayer
            turns={data.conversation_history}
            timeline={replay}
            clock={clock}
            waiting={
              audioInfo.isPending || (Boolean(audioInfo.data) && !audioElement && !audioFile.error)
            }
          />
        </div>
      </div>
      {timeline && (
        <TurnWaterfall
          timeline={timeline}
          selected={selectedTurn}
          onSelectTurn={(turn) => setSelection({ turn })}
        />
      )}
      {events.data ? (
        <EventLogExplorer
          events={events.data}
          createdAt={data.created_at}
          focus={focus}
          onClearFocus={() => setSelection(null)}
        />
      ) : events.isError ? (
        <p role="alert" className="error">
          Could not load the event log: {events.error.message}
        </p>
      ) : (
        <p role="status">Loading the event log…</p>
      )}
    </article>
  );
}
