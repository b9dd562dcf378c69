/**
 * The interviewer's audio as a client's player plays it: each response from
 * its first audio on, back to back, as fast as it is heard, never faster than
 * it arrives. Over WebSocket the client plays the audio itself, so this is how
 * the run knows what the user has heard and how much is still to play; over
 * WebRTC the server plays it and says so (`output_audio_buffer.*`).
 */
export class InterviewerPlayback {
  private current: { responseId: string; sinceMs: number; receivedMs: number } | null = null;
  private stoppedResponse: string | null = null;

  constructor(private readonly now: () => number) {}

  /** The response whose audio is playing (or was, until it was stopped); null before any. */
  get playing(): string | null {
    return this.current?.responseId ?? null;
  }

  /** `ms` more audio of `responseId` arrived; true when it is that response's first. */
  add(responseId: string, ms: number): boolean {
    if (this.current?.responseId === responseId) {
      this.current.receivedMs += ms;
      return false;
    }
    this.current = { responseId, sinceMs: this.now(), receivedMs: ms };
    return true;
  }

  /** Whether `responseId` plays at all: not once the user's speech stopped it. */
  plays(responseId: string): boolean {
    return responseId !== this.stoppedResponse;
  }

  /** How long the audio of `responseId` received so far has still to play. */
  remainingMs(responseId: string): number {
    const current = this.current;
    if (current?.responseId !== responseId) return 0;
    return Math.max(0, current.sinceMs + current.receivedMs - this.now());
  }

  /**
   * Stops what is playing, if any of it is still to be heard: which response,
   * and how far into its audio it stopped. Its later audio does not play.
   */
  stop(): { responseId: string; playedMs: number } | null {
    const current = this.current;
    if (!current) return null;
    const playedMs = Math.max(0, Math.round(this.now() - current.sinceMs));
    if (playedMs >= current.receivedMs) return null;
    this.current = null;
    this.stoppedResponse = current.responseId;
    return { responseId: current.responseId, playedMs };
  }
}
