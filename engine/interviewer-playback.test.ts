import { describe, expect, it } from 'vitest';
import { InterviewerPlayback } from './interviewer-playback.ts';

function playbackAt(startMs: number) {
  const clock = { ms: startMs };
  return { clock, playback: new InterviewerPlayback(() => clock.ms) };
}

describe('InterviewerPlayback', () => {
  it('plays a response from its first audio on, for as long as the audio that came', () => {
    const { clock, playback } = playbackAt(1_000);
    expect(playback.playing).toBeNull();
    expect(playback.add('resp_1', 400)).toBe(true);
    // Audio faster than real time: 1.2 s of it within the first 100 ms.
    clock.ms = 1_100;
    expect(playback.add('resp_1', 800)).toBe(false);
    expect(playback.playing).toBe('resp_1');
    expect(playback.remainingMs('resp_1')).toBe(1_100);
    expect(playback.remainingMs('resp_other')).toBe(0);
    clock.ms = 2_500;
    expect(playback.remainingMs('resp_1')).toBe(0);
  });

  it('stops where the player is, and the stopped response plays no more', () => {
    const { clock, playback } = playbackAt(0);
    playback.add('resp_1', 1_000);
    clock.ms = 350.4;
    expect(playback.stop()).toEqual({ responseId: 'resp_1', playedMs: 350 });
    expect(playback.plays('resp_1')).toBe(false);
    expect(playback.playing).toBeNull();
    expect(playback.remainingMs('resp_1')).toBe(0);
    // The next response plays anew.
    expect(playback.add('resp_2', 500)).toBe(true);
    expect(playback.plays('resp_2')).toBe(true);
  });

  it('has nothing to stop once all the audio that came has played', () => {
    const { clock, playback } = playbackAt(0);
    expect(playback.stop()).toBeNull();
    playback.add('resp_1', 300);
    clock.ms = 300;
    expect(playback.stop()).toBeNull();
    expect(playback.plays('resp_1')).toBe(true);
  });
});
