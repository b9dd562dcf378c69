/**
 * A voice-activity detector over a stream of PCM16 frames, with the knobs of
 * the Realtime API's `server_vad` (`threshold`, `prefix_padding_ms`,
 * `silence_duration_ms`) and its two events, for the offline interviewer.
 *
 * Each 10 ms frame is speech when two detectors agree. The WebRTC VAD
 * (libfvad compiled to wasm, `@echogarden/fvad-wasm`: a Gaussian-mixture
 * model of speech and noise over six bands) judges whether it sounds like
 * speech; an energy gate judges whether it stands out of the background —
 * `threshold`-dependent decibels above a noise floor that follows the
 * background (down quickly, up slowly, and only outside speech) — since the
 * WebRTC model alone takes steady low-pass noise at moderate levels for
 * speech. `MIN_SPEECH_MS` of speech frames in a row start a turn; a turn
 * ends after `silenceDurationMs` without one (the hangover). The stream's
 * first frame sets the initial floor, so a stream should start before the
 * speech does, as a session's audio does.
 *
 * libfvad takes 8, 16, 32 or 48 kHz: 24 kHz (the Realtime API's rate) is
 * doubled to 48 kHz by linear interpolation, which is enough since the
 * model looks at nothing above 4 kHz. The wasm (20 kB, BSD-3-Clause) loads
 * asynchronously, hence `createVad` returns a promise: in Node the
 * package reads `fvad.wasm` from disk; in the browser it fetches it from
 * `new URL('fvad.wasm', import.meta.url)`, which Vite emits as an asset
 * in a build and serves in dev.
 */
/// <reference path="./fvad-wasm.d.ts" />
import createFvadModule, { type FvadModule } from '@echogarden/fvad-wasm';

export type VadOptions = {
  /** 8000, 16000, 24000, 32000 or 48000. */
  sampleRate: number;
  /** 0–1: higher needs speech clearer of the background (OpenAI's default 0.5). */
  threshold?: number;
  /** Audio kept before the detected start; `audioStartMs` includes it (default 300). */
  prefixPaddingMs?: number;
  /** Silence that ends a turn; `audioEndMs` includes it (default 500). */
  silenceDurationMs?: number;
};

export type VadEvent =
  /** `audioStartMs`: where speech was first heard, less the prefix padding (never below 0). */
  | { type: 'speech_started'; audioStartMs: number }
  /** `audioEndMs`: the end of the last speech heard plus the silence duration, as OpenAI's. */
  | { type: 'speech_stopped'; audioEndMs: number };

export type Vad = {
  /** Feeds the next samples of the stream; returns the events they complete, in order. */
  push(samples: Int16Array): VadEvent[];
  /** Frees the detector's wasm memory; `push` throws afterwards. */
  close(): void;
};

const FRAME_MS = 10;
/** Rates libfvad takes as they are, and the one doubled to 48 kHz. */
const NATIVE_RATES = [8000, 16_000, 32_000, 48_000];
const DOUBLED_RATE = 24_000;
/** Speech frames in a row that start a turn: shorter bursts are clicks. */
const MIN_SPEECH_MS = 30;
/** Margin over the noise floor, in dB, at threshold 0 and 1. */
const MIN_MARGIN_DB = 2;
const MAX_MARGIN_DB = 12;
/** Nothing quieter is speech, whatever the floor (about the level of dither). */
const ABSOLUTE_FLOOR_DBFS = -60;
/** Per-frame smoothing of the noise floor towards a quieter and a louder frame. */
const FLOOR_FALL = 0.3;
const FLOOR_RISE = 0.05;

let fvadModule: Promise<FvadModule> | undefined;

export async function createVad(options: VadOptions): Promise<Vad> {
  const { sampleRate } = options;
  const threshold = options.threshold ?? 0.5;
  const prefixPaddingMs = options.prefixPaddingMs ?? 300;
  const silenceDurationMs = options.silenceDurationMs ?? 500;
  if (!NATIVE_RATES.includes(sampleRate) && sampleRate !== DOUBLED_RATE) {
    throw new RangeError(
      `sampleRate must be one of ${[...NATIVE_RATES, DOUBLED_RATE].sort((a, b) => a - b).join(', ')} Hz, got ${sampleRate}`,
    );
  }
  if (!(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`threshold must be between 0 and 1, got ${threshold}`);
  }
  for (const [name, value] of [
    ['prefixPaddingMs', prefixPaddingMs],
    ['silenceDurationMs', silenceDurationMs],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`${name} must be a non-negative number of ms, got ${value}`);
    }
  }

  fvadModule ??= createFvadModule().catch((error: unknown) => {
    fvadModule = undefined; // the next createVad tries again
    throw error;
  });
  const fvad = await fvadModule;
  const doubled = sampleRate === DOUBLED_RATE;
  const handle = fvad._fvad_new();
  if (handle === 0) throw new Error('the WebRTC VAD could not allocate a detector');
  fvad._fvad_set_sample_rate(handle, doubled ? 2 * sampleRate : sampleRate);
  // Aggressiveness follows the threshold: 0–3, as libfvad's modes go.
  fvad._fvad_set_mode(handle, Math.min(3, Math.floor(threshold * 4)));
  const frameLength = (sampleRate * FRAME_MS) / 1000;
  const fvadLength = doubled ? 2 * frameLength : frameLength;
  const buffer = fvad._malloc(fvadLength * 2);
  if (buffer === 0) {
    fvad._fvad_free(handle);
    throw new Error('the WebRTC VAD could not allocate a frame buffer');
  }
  let closed = false;

  const marginDb = MIN_MARGIN_DB + threshold * (MAX_MARGIN_DB - MIN_MARGIN_DB);
  const minSpeechFrames = Math.ceil(MIN_SPEECH_MS / FRAME_MS);
  const frame = new Int16Array(frameLength);
  let filled = 0;
  let frames = 0;
  let previous = 0;
  let floorDb: number | undefined;
  let speaking = false;
  let run = 0;
  let lastSpeechEndMs = 0;

  const soundsLikeSpeech = (): boolean => {
    const heap = fvad.HEAP16;
    const at = buffer >> 1;
    if (doubled) {
      for (let i = 0; i < frameLength; i++) {
        const x = frame[i] as number;
        heap[at + 2 * i] = (previous + x) >> 1;
        heap[at + 2 * i + 1] = x;
        previous = x;
      }
    } else {
      heap.set(frame, at);
    }
    return fvad._fvad_process(handle, buffer, fvadLength) === 1;
  };

  const standsOut = (): boolean => {
    let energy = 0;
    for (let i = 0; i < frameLength; i++) energy += ((frame[i] as number) / 32768) ** 2;
    const db = 10 * Math.log10(energy / frameLength + 1e-12);
    const floor = floorDb ?? db;
    const loud = db > ABSOLUTE_FLOOR_DBFS && db > floor + marginDb;
    // Outside a turn the floor follows whatever is heard, so a steady sound
    // that starts mid-stream becomes background within a second or so.
    if (!speaking) {
      floorDb = floor + (db < floor ? FLOOR_FALL : FLOOR_RISE) * (db - floor);
    }
    floorDb ??= db;
    return loud;
  };

  const endOfFrame = (events: VadEvent[]) => {
    const first = frames;
    frames++;
    // Both run on every frame: the WebRTC model adapts to what it hears.
    const speechLike = soundsLikeSpeech();
    if (standsOut() && speechLike) {
      run++;
      lastSpeechEndMs = frames * FRAME_MS;
      if (!speaking && run >= minSpeechFrames) {
        speaking = true;
        const speechStartMs = (first - (minSpeechFrames - 1)) * FRAME_MS;
        events.push({
          type: 'speech_started',
          audioStartMs: Math.max(0, speechStartMs - prefixPaddingMs),
        });
      }
      return;
    }
    run = 0;
    if (speaking && frames * FRAME_MS - lastSpeechEndMs >= silenceDurationMs) {
      speaking = false;
      events.push({ type: 'speech_stopped', audioEndMs: lastSpeechEndMs + silenceDurationMs });
    }
  };

  return {
    push(samples) {
      if (closed) throw new Error('the VAD is closed');
      const events: VadEvent[] = [];
      for (let i = 0; i < samples.length; i++) {
        frame[filled++] = samples[i] as number;
        if (filled === frameLength) {
          filled = 0;
          endOfFrame(events);
        }
      }
      return events;
    },
    close() {
      if (closed) return;
      closed = true;
      fvad._free(buffer);
      fvad._fvad_free(handle);
    },
  };
}
