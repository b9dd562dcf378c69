import { useCallback, useEffect, useState } from 'react';

/** The run page's one clock: the replay, the transcript, the waveform and the audio all follow it. */
export interface PlaybackClock {
  /** Position in ms from the run's start. */
  positionMs: number;
  durationMs: number;
  playing: boolean;
  speed: number;
  play(): void;
  pause(): void;
  seek(positionMs: number): void;
  setSpeed(speed: number): void;
}

const TICK_MS = 50;
/** What the audio element's events leave out while it plays: the position between two `timeupdate`s. */
const AUDIO_POLL_MS = 50;

/**
 * The run's clock. With an audio element it is the audio's clock (position =
 * `audioOffsetMs` + the element's time; play, pause, seek and speed act on
 * the element), so what is shown is what is heard; without one, a timer
 * steps through the run's own timing.
 */
export function usePlaybackClock(
  durationMs: number,
  audio: HTMLAudioElement | null,
  audioOffsetMs = 0,
): PlaybackClock {
  const [timerPosition, setTimerPosition] = useState(0);
  const [timerPlaying, setTimerPlaying] = useState(false);
  const [speed, setSpeedState] = useState(1);
  const [audioState, setAudioState] = useState({ positionMs: 0, playing: false });

  useEffect(() => {
    if (audio || !timerPlaying) return;
    const timer = setInterval(() => {
      setTimerPosition((current) => {
        const next = current + TICK_MS * speed;
        if (next >= durationMs) {
          setTimerPlaying(false);
          return durationMs;
        }
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [audio, timerPlaying, speed, durationMs]);

  useEffect(() => {
    if (!audio) return;
    const read = () =>
      setAudioState({
        positionMs: audioOffsetMs + audio.currentTime * 1000,
        playing: !audio.paused && !audio.ended,
      });
    const events = ['timeupdate', 'play', 'pause', 'ended', 'seeked', 'loadedmetadata'] as const;
    for (const type of events) audio.addEventListener(type, read);
    const poll = setInterval(() => {
      if (!audio.paused) read();
    }, AUDIO_POLL_MS);
    read();
    return () => {
      for (const type of events) audio.removeEventListener(type, read);
      clearInterval(poll);
    };
  }, [audio, audioOffsetMs]);

  const play = useCallback(() => {
    if (audio) {
      if (audio.ended) audio.currentTime = 0;
      void audio.play().catch(() => {});
      return;
    }
    setTimerPosition((current) => (current >= durationMs ? 0 : current));
    setTimerPlaying(true);
  }, [audio, durationMs]);

  const pause = useCallback(() => {
    if (audio) audio.pause();
    else setTimerPlaying(false);
  }, [audio]);

  const seek = useCallback(
    (positionMs: number) => {
      const clamped = Math.max(0, Math.min(durationMs, positionMs));
      if (audio) {
        audio.currentTime = Math.max(0, clamped - audioOffsetMs) / 1000;
        setAudioState((state) => ({ ...state, positionMs: clamped }));
      } else setTimerPosition(clamped);
    },
    [audio, audioOffsetMs, durationMs],
  );

  const setSpeed = useCallback(
    (next: number) => {
      setSpeedState(next);
      if (audio) audio.playbackRate = next;
    },
    [audio],
  );

  return audio
    ? { ...audioState, durationMs, speed, play, pause, seek, setSpeed }
    : {
        positionMs: timerPosition,
        playing: timerPlaying,
        durationMs,
        speed,
        play,
        pause,
        seek,
        setSpeed,
      };
}
