import { formatLatency, formatWer } from '@core/format.ts';
import {
  type BargeIn,
  MISSED_END_OF_TURN_MS,
  type VoiceMetrics,
  type VoiceTurn,
} from '@core/voice-metrics.ts';
import { normaliseWords, type WordEdit, wordAlignment } from '@core/word-error-rate.ts';
import { Fragment, type ReactNode, useMemo } from 'react';

const pair = (p50: number | null, p95: number | null) =>
  `${formatLatency(p50)} / ${formatLatency(p95)}`;

/**
 * What a voice run measured (core/voice-metrics.ts): the run's figures, then
 * one row per utterance of the simulated user, what it said against what the
 * interviewer heard with the differing words marked, how long the answer took
 * and how the turn was taken.
 */
export function VoicePanel({
  voice,
  interruptAfterMs,
}: {
  voice: VoiceMetrics;
  /** The scenario's `interrupt_after_ms`, when its user was to barge in. */
  interruptAfterMs?: number;
}) {
  const bargeInsByUtterance = useMemo(() => {
    const byUtterance = new Map<string, BargeIn[]>();
    for (const bargeIn of voice.barge_ins) {
      byUtterance.set(bargeIn.utterance_id, [
        ...(byUtterance.get(bargeIn.utterance_id) ?? []),
        bargeIn,
      ]);
    }
    return byUtterance;
  }, [voice.barge_ins]);
  const alignments = useMemo(
    () =>
      voice.turns.map((turn) =>
        turn.heard === null
          ? null
          : wordAlignment(normaliseWords(turn.said), normaliseWords(turn.heard)),
      ),
    [voice.turns],
  );

  return (
    <section aria-labelledby="voice-heading" className="run-voice">
      <h2 id="voice-heading">Voice</h2>
      <dl className="run-facts">
        <div>
          <dt>Voice to voice p50 / p95</dt>
          <dd>{pair(voice.voice_to_voice_p50_ms, voice.voice_to_voice_p95_ms)}</dd>
        </div>
        <div>
          <dt>Turn detection (VAD) p50 / p95</dt>
          <dd>{pair(voice.vad_delay_p50_ms, voice.vad_delay_p95_ms)}</dd>
        </div>
        <div>
          <dt>Model p50 / p95</dt>
          <dd>{pair(voice.response_delay_p50_ms, voice.response_delay_p95_ms)}</dd>
        </div>
        <div>
          <dt>Word error rate</dt>
          <dd>{formatWer(voice.wer)}</dd>
        </div>
        <div>
          <dt>False end of turn</dt>
          <dd>{voice.false_end_of_turns}</dd>
        </div>
        <div>
          <dt>Missed end of turn</dt>
          <dd>{voice.missed_end_of_turns}</dd>
        </div>
        <div>
          <dt>Barge-ins handled</dt>
          <dd>
            {voice.barge_ins.length > 0
              ? `${voice.barge_ins_handled} of ${voice.barge_ins.length}`
              : interruptAfterMs === undefined
                ? 'none made'
                : `none made: asked for ${formatLatency(interruptAfterMs)} into each turn, no interviewer turn was still heard when the reply was ready`}
          </dd>
        </div>
        {voice.turns_without_transcript > 0 && (
          <div>
            <dt>Not transcribed</dt>
            <dd>{voice.turns_without_transcript}</dd>
          </div>
        )}
        {voice.unmatched_speech_items > 0 && (
          <div>
            <dt>Speech heard outside the user’s turns</dt>
            <dd>{voice.unmatched_speech_items}</dd>
          </div>
        )}
      </dl>
      <table className="runs-table voice-turns">
        <caption>
          What the simulated user said and what the interviewer heard, as compared: lower case,
          without punctuation. <del>Struck through</del>: said, not heard. <ins>Underlined</ins>:
          heard, not said. <mark>Marked</mark>: heard as another word.
        </caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Said</th>
            <th scope="col">Heard</th>
            <th scope="col" className="numeric">
              WER
            </th>
            <th scope="col" className="numeric">
              Voice to voice
            </th>
            <th scope="col" className="numeric">
              VAD
            </th>
            <th scope="col" className="numeric">
              Model
            </th>
            <th scope="col">Turn taking</th>
          </tr>
        </thead>
        <tbody>
          {voice.turns.map((turn, index) => (
            <tr key={turn.utterance_id}>
              <th scope="row">{index + 1}</th>
              <td title={turn.said}>
                <SaidWords said={turn.said} edits={alignments[index] ?? null} />
              </td>
              <td>
                <HeardWords turn={turn} edits={alignments[index] ?? null} />
              </td>
              <td className="numeric">{formatWer(turn.wer)}</td>
              <td className="numeric">{formatLatency(turn.voice_to_voice_ms)}</td>
              <td className="numeric">{formatLatency(turn.vad_delay_ms)}</td>
              <td className="numeric">{formatLatency(turn.response_delay_ms)}</td>
              <td>
                <TurnFlags turn={turn} bargeIns={bargeInsByUtterance.get(turn.utterance_id)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Words joined by spaces, each edit its own element. */
function words(parts: ReactNode[]) {
  return parts.map((part, index) => (
    // The alignment is fixed for a turn: its position is its identity.
    // biome-ignore lint/suspicious/noArrayIndexKey: see above
    <Fragment key={index}>
      {index > 0 && ' '}
      {part}
    </Fragment>
  ));
}

function SaidWords({ said, edits }: { said: string; edits: WordEdit[] | null }) {
  if (edits === null) return <>{normaliseWords(said).join(' ')}</>;
  return (
    <>
      {words(
        edits.flatMap((edit): ReactNode[] => {
          if (edit.op === 'match') return [edit.reference];
          if (edit.op === 'deletion') {
            return [
              <del key="d" title="not heard">
                <span className="visually-hidden">not heard: </span>
                {edit.reference}
              </del>,
            ];
          }
          if (edit.op === 'substitution') {
            return [
              <mark key="s" title={`heard as “${edit.heard}”`}>
                {edit.reference}
                <span className="visually-hidden"> (heard as {edit.heard})</span>
              </mark>,
            ];
          }
          return [];
        }),
      )}
    </>
  );
}

function HeardWords({ turn, edits }: { turn: VoiceTurn; edits: WordEdit[] | null }) {
  if (turn.heard === null) {
    return (
      <span className="muted">
        {turn.speech_ended_ms === null ? 'still speaking' : 'not transcribed'}
      </span>
    );
  }
  if (turn.heard.trim() === '' || edits === null) {
    return <span className="muted">nothing heard</span>;
  }
  return (
    <>
      {words(
        edits.flatMap((edit): ReactNode[] => {
          if (edit.op === 'match') return [edit.heard];
          if (edit.op === 'insertion') {
            return [
              <ins key="i" title="not said">
                <span className="visually-hidden">not said: </span>
                {edit.heard}
              </ins>,
            ];
          }
          if (edit.op === 'substitution') {
            return [
              <mark key="s" title={`instead of “${edit.reference}”`}>
                {edit.heard}
                <span className="visually-hidden"> (instead of {edit.reference})</span>
              </mark>,
            ];
          }
          return [];
        }),
      )}
    </>
  );
}

function TurnFlags({ turn, bargeIns = [] }: { turn: VoiceTurn; bargeIns?: BargeIn[] }) {
  const flags: { label: string; title: string; bad: boolean }[] = [];
  if (turn.false_end_of_turn) {
    flags.push({
      label: 'False end of turn',
      title: 'The interviewer answered while the user was still speaking',
      bad: true,
    });
  }
  if (turn.missed_end_of_turn) {
    flags.push({
      label: 'Missed end of turn',
      title: `No answer within ${MISSED_END_OF_TURN_MS / 1000} s of the end of speech`,
      bad: true,
    });
  }
  for (const bargeIn of bargeIns) {
    flags.push(
      bargeIn.handled
        ? {
            label: `Barge-in handled (${formatLatency(bargeIn.stop_ms)})`,
            title: 'The interrupted answer stopped',
            bad: false,
          }
        : {
            label: 'Barge-in not handled',
            title:
              bargeIn.stop_ms === null
                ? 'The interrupted answer did not stop'
                : `The interrupted answer stopped after ${formatLatency(bargeIn.stop_ms)}`,
            bad: true,
          },
    );
  }
  if (flags.length === 0) {
    const known = turn.false_end_of_turn !== null && turn.missed_end_of_turn !== null;
    return <span className="muted">{known ? 'ok' : '—'}</span>;
  }
  return (
    <ul className="voice-flags">
      {flags.map((flag) => (
        <li key={flag.label} className={flag.bad ? 'flag bad' : 'flag'} title={flag.title}>
          {flag.bad ? '⚠ ' : '✓ '}
          {flag.label}
        </li>
      ))}
    </ul>
  );
}
