import type { ConversationTurn } from '@core/benchmark-run.ts';
import { formatBytes } from '@core/format.ts';
import type { RunAudioInfo } from '@data/get-run-audio.ts';
import { useEffect, useState } from 'react';
import { downloadBlob } from '../../../lib/download.ts';
import type { PlaybackClock } from '../playback-clock.ts';
import type { ReplayTimeline } from '../replay.ts';
import { AudioWaveform } from './audio-waveform.tsx';

/** An object URL for `blob` while it is shown, revoked after. */
function useObjectUrl(blob: Blob | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) return setUrl(null);
    const next = URL.createObjectURL(blob);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [blob]);
  return url;
}

export const audioFileName = (runId: string) => `run-${runId}.webm`;

/**
 * The run's recording: a player on the page's clock (the replay, transcript
 * and waveform move with it), the loudness over the run with its turns, and
 * the file to download. Runs saved without audio say so.
 */
export function RunAudioPlayer({
  runId,
  info,
  infoState,
  file,
  fileError,
  turns,
  timeline,
  clock,
  onAudioElement,
}: {
  runId: string;
  info: RunAudioInfo | null | undefined;
  infoState: 'pending' | 'error' | 'success';
  file: Blob | null | undefined;
  fileError: string | null;
  turns: ConversationTurn[];
  timeline: ReplayTimeline;
  clock: PlaybackClock;
  onAudioElement(element: HTMLAudioElement | null): void;
}) {
  const url = useObjectUrl(file);
  return (
    <section className="run-audio" aria-label="Audio">
      <h2>Audio</h2>
      {infoState === 'pending' ? (
        <p role="status">Loading the audio…</p>
      ) : infoState === 'error' ? (
        <p role="alert" className="error">
          Could not load the audio.
        </p>
      ) : !info ? (
        <p className="empty">
          This run has no audio: it was recorded before runs kept their audio, or where it could not
          be recorded.
        </p>
      ) : (
        <>
          {fileError ? (
            <p role="alert" className="error">
              Could not load the audio: {fileError}
            </p>
          ) : url ? (
            // biome-ignore lint/a11y/useMediaCaption: the transcript beside it is the caption.
            <audio ref={onAudioElement} src={url} controls preload="auto" />
          ) : (
            <p role="status">Loading the audio…</p>
          )}
          <AudioWaveform
            loudness={info.loudness}
            userLoudness={info.user_loudness}
            audioOffsetMs={timeline.audioOffsetMs}
            durationMs={timeline.durationMs}
            turns={turns}
            turnOffsets={timeline.offsets}
            positionMs={clock.positionMs}
            onSeek={clock.seek}
          />
          <p className="summary">
            {formatBytes(info.byte_length)} · Opus in WebM
            {info.user_loudness ? ', stereo: the interviewer left, the simulated user right' : ''}{' '}
            <button
              type="button"
              className="secondary"
              disabled={!file}
              onClick={() => file && downloadBlob(audioFileName(runId), file)}
            >
              Download audio
            </button>
          </p>
        </>
      )}
    </section>
  );
}
