import type { BenchmarkRun, EndReason, EventLogEntry } from '@core/benchmark-run.ts';
import type { ClientEvent, RawEventRecord, ServerEvent } from '@core/realtime-events.ts';
import { type RunAudio, SAMPLES_PER_MS } from '@core/run-audio.ts';
import type { Scenario } from '@core/scenario.ts';
import type { RunLabels, ServerErrorDetails, SystemEvent } from '@core/system-events.ts';
import { pcm16FromBase64, pcm16ToBase64 } from './audio/pcm.ts';
import { runAudioPayload } from './audio/run-audio-payload.ts';
import type { AudioRecorder, AudioRecorderFactory } from './audio/run-audio-recorder.ts';
import { redactAudio } from './audio-redaction.ts';
import { InputAudioStream } from './input-audio-stream.ts';
import { InterviewerPlayback } from './interviewer-playback.ts';
import type { HeardAudio, RealtimeTransport, SessionConfig } from './realtime/transport.ts';
import type { SimulatedUser, SimulatedUserReply } from './simulated-user.ts';
import { containsCue, END_INTERVIEW_TOOL } from './termination.ts';
import { TranscriptBuilder, type TranscriptRow } from './transcript.ts';
import type { SpokenReply, UserVoice } from './user-voice.ts';

/** The model the interviewer's session transcribes a speaking user's input with. */
const INPUT_TRANSCRIPTION_MODEL = 'gpt-4o-mini-transcribe';

export type RunStatus =
  | 'idle'
  | 'connecting'
  | 'running'
  | 'ending'
  | 'saved'
  | 'pending-save'
  | 'failed';

/** A run is under way (no new run may start, End Run applies) until it has ended. */
export function isRunActive(status: RunStatus): boolean {
  return status === 'connecting' || status === 'running' || status === 'ending';
}

export interface BenchmarkConfig {
  interviewerPrompt: string;
  simulatedUserPrompt: string;
  model: string;
  voice: string;
  /** Most turns (utterances of either side) a run may have; reaching it ends the run with max_turns. */
  maxTurns: number;
  terminationCue: string;
  /** Longest an interviewer response or a simulated-user reply may take. */
  turnTimeoutMs: number;
  /** Recorded with the run (in its first system event) so the log says what produced it. */
  labels?: RunLabels;
  /** The scenario version these settings come from; saved with the run so it groups with its version. */
  scenario?: Scenario;
}

/**
 * Where finished runs go the moment they end, with their audio when it is
 * recorded (still encoding: a promise, undefined when there is none): resolves
 * once the run is stored ('saved') or refused for good ('rejected').
 */
export interface RunSink {
  submit(
    run: BenchmarkRun,
    audio?: Promise<RunAudio | undefined>,
  ): Promise<{ outcome: 'saved' | 'rejected'; message?: string }>;
}

export interface BenchmarkAgents {
  transport: RealtimeTransport;
  simulatedUser: SimulatedUser;
  /** Voice mode: how the simulated user says its replies; without it, it types them. */
  userVoice?: UserVoice;
}

export interface BenchmarkSnapshot {
  status: RunStatus;
  runId: string | null;
  transcript: readonly TranscriptRow[];
  turnCount: number;
  eventCount: number;
  startedAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  error: string | null;
  saveMessage: string | null;
}

export interface ServiceDeps {
  sink: RunSink;
  now?: () => number;
  newRunId?: () => string;
  /** How often the UI hears about new events at most; status changes are immediate. */
  notifyIntervalMs?: number;
  /** Records the interviewer's audio of each run; without it runs are saved without audio. */
  recordAudio?: AudioRecorderFactory;
}

type Phase = 'interviewer' | 'playback' | 'simulated_user' | 'over';

/**
 * Error codes after which the session cannot go on, even when the error names
 * no client event. `session_expired` is the 60-minute session limit.
 */
const FATAL_ERROR_CODES = new Set(['session_expired', 'invalid_api_key']);

/**
 * Client events whose refusal leaves the run able to go on: a cancel of a
 * response already over, a truncate of audio the server holds less of.
 */
const RIDDEN_OUT_REFUSALS = new Set<ClientEvent['type']>([
  'response.cancel',
  'conversation.item.truncate',
]);

type ServerErrorEvent = Extract<ServerEvent, { type: 'error' }>;
type DoneResponse = Extract<ServerEvent, { type: 'response.done' }>['response'];

/** What a response's audio said, from its output (all of it, or up to where it was cut). */
function spokenTranscript(response: DoneResponse): string {
  const said: string[] = [];
  for (const item of response.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content ?? []) {
      if ('transcript' in part && typeof part.transcript === 'string') said.push(part.transcript);
    }
  }
  return said.join('').trim();
}

/** The server's error fields that have a value: null, absent and empty ones are left out. */
function present(
  fields: {
    [K in keyof ServerErrorDetails]: ServerErrorDetails[K] | null;
  },
): ServerErrorDetails {
  return Object.fromEntries(
    Object.entries(fields).filter(
      ([, value]) => value !== null && value !== undefined && value !== '',
    ),
  );
}

const IDLE: BenchmarkSnapshot = {
  status: 'idle',
  runId: null,
  transcript: [],
  turnCount: 0,
  eventCount: 0,
  startedAt: null,
  endedAt: null,
  endReason: null,
  error: null,
  saveMessage: null,
};

/**
 * Runs one benchmark at a time: configures the interviewer, alternates turns
 * with the simulated user, records the conversation and every event, ends on
 * the cue, End Run, the turn limit or an error, and hands the run to the sink.
 * No React in here: the UI subscribes to snapshots.
 */
export class BenchmarkingService {
  private snapshot: BenchmarkSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private run: ActiveRun | null = null;
  private lastRun: BenchmarkRun | null = null;
  private readonly now: () => number;
  private readonly newRunId: () => string;

  constructor(private readonly deps: ServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.newRunId = deps.newRunId ?? (() => crypto.randomUUID());
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): BenchmarkSnapshot => this.snapshot;

  /** The event log of the current or last run (not in the snapshot: it can be large). */
  getEventLog(): readonly EventLogEntry[] {
    return this.run?.log ?? [];
  }

  /** The payload of the last finished run, for export when it could not be saved. */
  getLastRun(): BenchmarkRun | null {
    return this.lastRun;
  }

  get isBusy(): boolean {
    return isRunActive(this.snapshot.status);
  }

  async start(config: BenchmarkConfig, agents: BenchmarkAgents): Promise<void> {
    if (this.isBusy) throw new Error('a run is already in progress');
    const run = new ActiveRun(this.newRunId(), config, agents, this.now, this.deps.recordAudio, {
      changed: (urgent) => this.refresh(urgent),
      finished: (payload, audio) => this.finish(run, payload, audio),
    });
    this.run = run;
    this.refresh(true);
    await run.begin();
  }

  /** End Run: stops the conversation now and saves what was captured. */
  end(): void {
    this.run?.end('user_ended');
  }

  private async finish(
    run: ActiveRun,
    payload: BenchmarkRun,
    recording: Promise<RunAudio | undefined>,
  ): Promise<void> {
    this.lastRun = payload;
    run.status = 'pending-save';
    this.refresh(true);
    try {
      const result = await this.deps.sink.submit(payload, recording);
      run.status = result.outcome === 'saved' ? 'saved' : 'failed';
      run.saveMessage = result.message ?? null;
    } catch (error) {
      run.status = 'failed';
      run.saveMessage = `the run could not be queued for saving: ${(error as Error).message}`;
    }
    if (this.run === run) this.refresh(true);
  }

  private refresh(urgent: boolean): void {
    if (urgent) {
      if (this.notifyTimer) clearTimeout(this.notifyTimer);
      this.notifyTimer = null;
      this.publish();
      return;
    }
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = null;
      this.publish();
    }, this.deps.notifyIntervalMs ?? 50);
  }

  private publish(): void {
    const run = this.run;
    this.snapshot = run
      ? {
          status: run.status,
          runId: run.runId,
          transcript: run.transcript.list().map((row) => ({ ...row })),
          turnCount: run.transcript.turnCount,
          eventCount: run.log.length,
          startedAt: run.startedAt,
          endedAt: run.endedAt,
          endReason: run.endReason,
          error: run.error,
          saveMessage: run.saveMessage,
        }
      : IDLE;
    for (const listener of this.listeners) listener();
  }
}

interface RunCallbacks {
  changed(urgent: boolean): void;
  /** The run as captured, and its audio once encoded (undefined when none was recorded). */
  finished(payload: BenchmarkRun, audio: Promise<RunAudio | undefined>): void;
}

/** One run's state machine. */
class ActiveRun {
  status: RunStatus = 'connecting';
  readonly log: EventLogEntry[] = [];
  readonly transcript = new TranscriptBuilder();
  readonly startedAt: number;
  endedAt: number | null = null;
  endReason: EndReason | null = null;
  error: string | null = null;
  saveMessage: string | null = null;

  private phase: Phase = 'interviewer';
  private responseId: string | null = null;
  private readonly audioPlaying = new Set<string>();
  private cueHeard = false;
  private turnTimer: ReturnType<typeof setTimeout> | null = null;
  private userAbort: AbortController | null = null;
  private userTurns = 0;
  private clientEvents = 0;
  /** The type of every client event sent, by its `event_id`: an `error` naming one refuses it. */
  private readonly sentEvents = new Map<string, ClientEvent['type']>();
  private readonly recorder: AudioRecorder | null;
  /** Voice mode: the simulated user's microphone into the interviewer's input. */
  private readonly microphone: InputAudioStream | null;
  /** Voice mode: how long into the interviewer's audio the user barges in; null: it waits. */
  private readonly interruptAfterMs: number | null;
  private bargeInTimer: ReturnType<typeof setTimeout> | null = null;
  /** Over WebSocket in voice mode: until the interviewer's queued audio has played. */
  private playbackTimer: ReturnType<typeof setTimeout> | null = null;
  /** The interviewer's audio as a player hears it: what is playing, since when, how much came. */
  private readonly playback: InterviewerPlayback;
  /** Each response's audio item, which a truncate names. */
  private readonly audioItems = new Map<string, string>();
  /** A reply of the simulated user is being thought of or said (a barge-in may start one early). */
  private replying = false;
  /** The response the user talked over before it was done: its `response.done` ends no turn. */
  private talkedOver: string | null = null;
  /** Voice mode: the microphone is saying a reply (its `user_speech.ended` is still to come). */
  private userSpeaking = false;

  constructor(
    readonly runId: string,
    private readonly config: BenchmarkConfig,
    private readonly agents: BenchmarkAgents,
    private readonly now: () => number,
    recordAudio: AudioRecorderFactory | undefined,
    private readonly callbacks: RunCallbacks,
  ) {
    this.startedAt = now();
    this.playback = new InterviewerPlayback(now);
    this.recorder = recordAudio?.(this.startedAt, Boolean(agents.userVoice)) ?? null;
    const voice = agents.userVoice;
    this.interruptAfterMs = voice
      ? (config.scenario?.simulated_user.speech?.interrupt_after_ms ?? null)
      : null;
    this.microphone = voice
      ? new InputAudioStream(
          (samples, atMs) => {
            const { transport } = agents;
            // A transport with a media track (WebRTC) takes the audio there, not as events.
            if (transport.sendAudio) transport.sendAudio(samples);
            else this.send({ type: 'input_audio_buffer.append', audio: pcm16ToBase64(samples) });
            this.recorder?.append(samples, atMs, null, 'user');
          },
          (samples) => voice.background(samples),
          now,
        )
      : null;
  }

  async begin(): Promise<void> {
    const { config, agents } = this;
    this.system({
      type: 'run.started',
      run_id: this.runId,
      transport: agents.transport.kind,
      simulated_user: agents.simulatedUser.kind,
      model: config.model,
      voice: config.voice,
      max_turns: config.maxTurns,
      termination_cue: config.terminationCue,
      noise_seed: agents.userVoice?.noiseSeed ?? undefined,
      ...config.labels,
    });
    const session: SessionConfig = {
      model: config.model,
      voice: config.voice,
      instructions: config.interviewerPrompt,
      tools: [END_INTERVIEW_TOOL],
    };
    try {
      await agents.transport.connect(session, {
        onRaw: (record) => this.record(record),
        onEvent: (event) => this.handle(event),
        onAudio: (audio) => this.heardAudio(audio),
        onClose: ({ unexpected, reason }) => {
          if (unexpected) this.end('error', `the Realtime session closed: ${reason}`);
        },
      });
    } catch (error) {
      this.end('error', `could not connect the interviewer: ${(error as Error).message}`);
      return;
    }
    if (this.phase === 'over') return;
    this.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: config.interviewerPrompt,
        audio: { input: this.inputAudio(), output: { voice: config.voice } },
        tools: [END_INTERVIEW_TOOL],
        tool_choice: 'auto',
      },
    });
    this.status = 'running';
    this.callbacks.changed(true);
    this.microphone?.open();
    this.requestInterviewerTurn();
  }

  end(reason: EndReason, error?: string, serverError?: ServerErrorDetails): void {
    if (this.phase === 'over') return;
    // A response talked over is still in progress until its own `response.done`.
    const interrupted =
      (this.phase === 'interviewer' && this.responseId !== null) || this.talkedOver !== null;
    this.phase = 'over';
    this.status = 'ending';
    this.endReason = reason;
    this.error = error ?? null;
    this.clearTurnTimer();
    this.clearBargeInTimer();
    this.clearPlaybackTimer();
    this.userAbort?.abort(new Error('run ended'));
    this.microphone?.close();
    if (interrupted && reason === 'user_ended') {
      this.trySend({ type: 'response.cancel' });
    }
    this.endedAt = this.now();
    this.system({
      type: 'run.ended',
      end_reason: reason,
      error: error || undefined,
      turns: this.transcript.turnCount,
      server_error: serverError,
    });
    this.agents.transport.close();
    this.callbacks.changed(true);
    const endedAt = this.endedAt;
    const audio = this.recorder
      ? this.recorder
          .finish(endedAt)
          .then((recorded) => (recorded ? runAudioPayload(this.runId, recorded) : undefined))
      : Promise.resolve(undefined);
    this.callbacks.finished(
      {
        run_id: this.runId,
        created_at: new Date(this.startedAt).toISOString(),
        mode: 'benchmark',
        conversation_history: this.transcript.toHistory(),
        event_log: this.log,
        interviewer_prompt: this.config.interviewerPrompt,
        simulated_user_prompt: this.config.simulatedUserPrompt,
        end_reason: reason,
        ...(this.config.scenario ? { scenario: this.config.scenario } : {}),
      },
      audio,
    );
  }

  private record(record: RawEventRecord): void {
    this.log.push({
      direction: record.direction,
      timestamp: record.timestamp,
      event: redactAudio(record.event),
    });
    this.callbacks.changed(false);
  }

  /** Fields left undefined are not written, as in JSON. */
  private system(event: SystemEvent): void {
    this.log.push({
      direction: 'system',
      timestamp: new Date(this.now()).toISOString(),
      event: Object.fromEntries(
        Object.entries(event).filter(([, value]) => value !== undefined),
      ) as EventLogEntry['event'],
    });
    this.callbacks.changed(false);
  }

  private handle(event: ServerEvent): void {
    if (this.phase === 'over') return;
    const at = new Date(this.now()).toISOString();
    switch (event.type) {
      case 'response.created':
        this.responseId = event.response.id;
        this.transcript.open(event.response.id, 'interviewer', at);
        break;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        this.transcript.appendDelta(event.response_id, event.delta, at);
        this.callbacks.changed(false);
        break;
      case 'response.output_audio_transcript.done':
        this.heard(event.response_id, event.transcript, at);
        break;
      case 'response.output_text.done':
        this.heard(event.response_id, event.text, at);
        break;
      case 'response.output_item.added':
        if (event.item.type === 'message' && event.item.id)
          this.audioItems.set(event.response_id, event.item.id);
        break;
      case 'response.output_item.done':
        if (event.item.type === 'function_call' && event.item.name === END_INTERVIEW_TOOL.name) {
          this.cue('end_interview tool called');
        }
        break;
      case 'response.output_audio.delta': {
        // Audio of a response whose playback was stopped is not heard.
        if (!this.playback.plays(event.response_id)) break;
        const samples = pcm16FromBase64(event.delta);
        this.interviewerAudio(event.response_id, samples.length / SAMPLES_PER_MS);
        this.recorder?.append(samples, this.now(), event.response_id);
        break;
      }
      case 'output_audio_buffer.started':
        this.audioPlaying.add(event.response_id);
        this.interviewerAudio(event.response_id, 0);
        break;
      case 'input_audio_buffer.speech_started':
        this.userSpeechHeard();
        break;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        this.audioPlaying.delete(event.response_id);
        if (this.phase === 'playback' && event.response_id === this.responseId)
          this.interviewerTurnOver();
        break;
      case 'response.done':
        this.responseDone(event);
        break;
      case 'error':
        this.serverError(event);
        break;
    }
  }

  /** Audio from outside the events (a WebRTC track), credited to the response playing, if any. */
  private heardAudio({ samples, atMs, responseId }: HeardAudio): void {
    if (this.phase === 'over' || !this.recorder) return;
    const playing = responseId ?? [...this.audioPlaying].at(-1) ?? null;
    this.recorder.append(samples, atMs ?? this.now(), playing);
  }

  /**
   * An `error` that names a client event this run sent refuses it: the run
   * cannot go on as configured (a refused `session.update` leaves the session
   * without the instructions, voice and `end_interview` tool; a refused
   * `response.create` or `conversation.item.create` leaves the turn waiting
   * for nothing), so it ends now, with the server's words. An error naming no
   * event of ours is logged and ridden out, unless its code is fatal.
   */
  private serverError({ error }: ServerErrorEvent): void {
    const refused = error.event_id ? this.sentEvents.get(error.event_id) : undefined;
    const details = present({
      type: error.type,
      code: error.code,
      message: error.message,
      param: error.param,
      event_id: refused ? error.event_id : null,
      event_type: refused,
    });
    const words = `${error.message || 'no message'} (${error.code ?? error.type})`;
    if (error.code === 'session_expired') {
      this.end('error', `the Realtime session reached its 60-minute limit: ${words}`, details);
    } else if (refused && !RIDDEN_OUT_REFUSALS.has(refused)) {
      const lost =
        refused === 'session.update' ? ' (the session would lack the end_interview tool)' : '';
      this.end('error', `the Realtime server refused ${refused}${lost}: ${words}`, details);
    } else if (FATAL_ERROR_CODES.has(error.code ?? '')) {
      this.end('error', `Realtime error: ${words}`, details);
    }
  }

  private heard(responseId: string, text: string, at: string): void {
    this.transcript.finalise(responseId, text, at);
    if (containsCue(text, this.config.terminationCue))
      this.cue(`"${this.config.terminationCue}" heard`);
    this.callbacks.changed(true);
  }

  private cue(why: string): void {
    if (this.cueHeard) return;
    this.cueHeard = true;
    this.system({ type: 'cue.detected', why });
  }

  private responseDone(event: Extract<ServerEvent, { type: 'response.done' }>): void {
    const { response } = event;
    if (response.id === this.talkedOver) {
      this.talkedOverDone(response);
      return;
    }
    if (response.id !== this.responseId || this.phase !== 'interviewer') return;
    this.clearTurnTimer();
    this.interviewerTurnCompleted(response);
    if (response.status === 'failed') {
      this.responseFailed(response);
      return;
    }
    // completed, cancelled and incomplete each keep what was said; the conversation goes on.
    if (this.agents.transport.waitsForAudioPlayback && this.audioPlaying.has(response.id)) {
      this.phase = 'playback';
      this.startTurnTimer('the interviewer audio did not finish playing');
      return;
    }
    const playsForMs = this.queuedPlaybackMs(response.id);
    if (playsForMs > 0) {
      // A speaking user hears the answer out (or barges in) before it replies.
      this.phase = 'playback';
      this.playbackTimer = setTimeout(() => this.interviewerTurnOver(), playsForMs);
      return;
    }
    this.interviewerTurnOver();
  }

  /** A failed response's reason in the server's words: its message, else its code or type. */
  private responseFailed(response: DoneResponse): void {
    const error = response.status_details?.error;
    const reason = error?.message || error?.code || error?.type;
    this.end(
      'error',
      reason ? `the interviewer response failed: ${reason}` : 'the interviewer response failed',
      error ? present({ type: error.type, code: error.code, message: error.message }) : undefined,
    );
  }

  private interviewerTurnOver(): void {
    this.clearTurnTimer();
    this.clearBargeInTimer();
    this.clearPlaybackTimer();
    if (this.cueHeard) this.end('termination_cue');
    else if (this.transcript.turnCount >= this.config.maxTurns) this.end('max_turns');
    else if (this.replying) {
      // A barge-in's reply is on its way: the interviewer finished first, so it is said as a turn.
      this.phase = 'simulated_user';
      this.startUserTimer();
    } else void this.simulatedUserTurn();
  }

  /**
   * The simulated user's turn. `interrupting`: a barge-in on that response,
   * whose reply is thought of and said while the interviewer still speaks.
   */
  private async simulatedUserTurn(interrupting: string | null = null): Promise<void> {
    if (!interrupting) this.phase = 'simulated_user';
    this.system({ type: 'turn.requested', speaker: 'simulated_user' });
    this.userAbort = new AbortController();
    const { signal } = this.userAbort;
    // While the interviewer speaks its own timer runs; the user's starts once it is done.
    if (!interrupting) this.startUserTimer();
    this.replying = true;
    let reply: SimulatedUserReply;
    try {
      reply = await this.agents.simulatedUser.reply({
        persona: this.config.simulatedUserPrompt,
        history: this.transcript.toHistory(),
        signal,
      });
    } catch (error) {
      this.replying = false;
      if (!signal.aborted && this.phase !== 'over')
        this.end('error', `simulated user failed: ${(error as Error).message}`);
      return;
    }
    if (this.agents.userVoice)
      return this.speakReply(reply, this.agents.userVoice, signal, interrupting);
    this.replying = false;
    if (this.phase !== 'simulated_user') return;
    this.clearTurnTimer();
    const { utterance } = reply;
    const itemId = this.userTurnCompleted(reply, 'item_user');
    this.send({
      type: 'conversation.item.create',
      item: {
        id: itemId,
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: utterance }],
      },
    });
    if (this.phase !== 'simulated_user') return;
    if (this.transcript.turnCount >= this.config.maxTurns) return this.end('max_turns');
    this.requestInterviewerTurn();
  }

  /** What the interviewer's session does with input audio: nothing in text mode. */
  private inputAudio() {
    if (!this.agents.userVoice) return { turn_detection: null };
    const speech = this.config.scenario?.simulated_user.speech;
    return {
      turn_detection: speech?.turn_detection ?? { type: 'server_vad' as const },
      transcription: { model: INPUT_TRANSCRIPTION_MODEL },
    };
  }

  /**
   * Voice mode: the reply is said into the interviewer's input in real time;
   * the interviewer's turn detection decides when the user finished and
   * answers by itself (no `response.create`). What was said, and where it
   * lies in the input audio, is logged for the voice metrics.
   */
  private async speakReply(
    reply: SimulatedUserReply,
    voice: UserVoice,
    signal: AbortSignal,
    interrupting: string | null,
  ): Promise<void> {
    const { utterance } = reply;
    if (this.phase === 'simulated_user')
      this.startTurnTimer('the simulated user could not speak in time');
    let spoken: SpokenReply;
    try {
      spoken = await voice.speak(utterance, signal);
    } catch (error) {
      this.replying = false;
      if (!signal.aborted && this.phase !== 'over')
        this.end('error', `the simulated user could not speak: ${(error as Error).message}`);
      return;
    }
    this.replying = false;
    const microphone = this.microphone;
    const bargeIn = interrupting !== null && this.mayBargeIn(interrupting) ? interrupting : null;
    if ((this.phase !== 'simulated_user' && !bargeIn) || !microphone) return;
    this.clearTurnTimer();
    this.clearPlaybackTimer();
    // Talked over before it was done, the response's own end is awaited apart from the turns.
    if (bargeIn && this.phase === 'interviewer') this.talkedOver = bargeIn;
    const utteranceId = this.userTurnCompleted(reply, 'utterance');
    this.system({
      type: 'user_speech.started',
      utterance_id: utteranceId,
      audio_start_ms: microphone.sentMs,
      text: utterance,
      model: spoken.model,
      usage: spoken.usage,
    });
    if (bargeIn)
      this.system({
        type: 'user_speech.barge_in',
        utterance_id: utteranceId,
        response_id: bargeIn,
      });
    this.clearBargeInTimer();
    this.phase = 'interviewer';
    this.responseId = null;
    this.userSpeaking = true;
    microphone.say(spoken.audio, (audioEndMs) => {
      this.userSpeaking = false;
      if (this.phase === 'over') return;
      this.system({
        type: 'user_speech.ended',
        utterance_id: utteranceId,
        audio_end_ms: audioEndMs,
      });
      if (this.responseId === null) {
        this.system({ type: 'turn.requested', speaker: 'interviewer' });
        this.startTurnTimer('the interviewer did not answer the simulated user in time');
      }
    });
    if (this.transcript.turnCount >= this.config.maxTurns) this.end('max_turns');
  }

  /** Logs the simulated user's reply as its turn and adds it to the transcript; its id (`prefix_n`). */
  private userTurnCompleted(reply: SimulatedUserReply, prefix: string): string {
    this.system({
      type: 'turn.completed',
      speaker: 'simulated_user',
      model: reply.model || undefined,
      usage: reply.usage || undefined,
    });
    const id = `${prefix}_${++this.userTurns}`;
    this.transcript.addUserTurn(id, reply.utterance, new Date(this.now()).toISOString());
    this.callbacks.changed(true);
    return id;
  }

  private startUserTimer(): void {
    this.startTurnTimer('the simulated user did not answer in time', () =>
      this.userAbort?.abort(new Error('timed out')),
    );
  }

  /**
   * The interviewer's audio of `responseId` is heard (`ms` more of it). Its
   * first audio starts the barge-in clock of a user told to interrupt.
   */
  private interviewerAudio(responseId: string, ms: number): void {
    if (this.playback.playing !== responseId && responseId !== this.responseId) return;
    if (!this.playback.add(responseId, ms) || this.interruptAfterMs === null) return;
    this.clearBargeInTimer();
    this.bargeInTimer = setTimeout(() => this.bargeIn(responseId), this.interruptAfterMs);
  }

  /** The user barges in on `responseId` if it is still heard and the run may take another turn. */
  private bargeIn(responseId: string): void {
    this.bargeInTimer = null;
    if (this.mayBargeIn(responseId) && !this.replying) void this.simulatedUserTurn(responseId);
  }

  /**
   * Whether the user may talk over `responseId`: still heard, not answered
   * while the user still spoke (it is talked over already), and the turn
   * limit leaves room for the user's turn and an answer to it: a barge-in the
   * run ends on could not be answered nor handled (checked again once the
   * reply is ready: the cue may have come since).
   */
  private mayBargeIn(responseId: string): boolean {
    return (
      this.audible(responseId) &&
      !this.userSpeaking &&
      !this.cueHeard &&
      this.transcript.turnCount + 1 < this.config.maxTurns
    );
  }

  /** Whether the interviewer is still saying `responseId` (or, over WebRTC, still playing it). */
  private audible(responseId: string): boolean {
    return (
      this.responseId === responseId && (this.phase === 'interviewer' || this.phase === 'playback')
    );
  }

  /**
   * The server heard the user start speaking. Over WebSocket the client plays
   * the audio itself: audio queued beyond what has played is not heard, and
   * the server is told where it stopped (`conversation.item.truncate`), as a
   * GA client does. Over WebRTC the server clears its own buffer. A session
   * told not to be interrupted (`interrupt_response: false`) plays on, as over WebRTC.
   */
  private userSpeechHeard(): void {
    if (this.agents.transport.waitsForAudioPlayback) return;
    if (this.inputAudio().turn_detection?.interrupt_response === false) return;
    const stopped = this.playback.stop();
    if (!stopped) return;
    this.recorder?.stopInterviewer(this.now());
    const itemId = this.audioItems.get(stopped.responseId);
    if (itemId) {
      this.send({
        type: 'conversation.item.truncate',
        item_id: itemId,
        content_index: 0,
        audio_end_ms: stopped.playedMs,
      });
    }
    // Its turn was over but for the playing: nothing plays now (as a cleared buffer over WebRTC).
    if (this.phase === 'playback' && this.responseId === stopped.responseId)
      this.interviewerTurnOver();
  }

  /**
   * The talked-over response ended (cancelled by the user's speech, or done):
   * logged with what it had said, and no turn follows it (the user's does),
   * unless it said the cue or called `end_interview`: the run ends there.
   */
  private talkedOverDone(response: DoneResponse): void {
    this.talkedOver = null;
    const said = spokenTranscript(response);
    if (said) this.heard(response.id, said, new Date(this.now()).toISOString());
    this.interviewerTurnCompleted(response);
    if (response.status === 'failed') this.responseFailed(response);
    else if (this.cueHeard) this.end('termination_cue');
  }

  /** Logs the interviewer's response as done; an `end_interview` call in it is the cue. */
  private interviewerTurnCompleted(response: DoneResponse): void {
    if (
      response.output?.some(
        (item) => item.type === 'function_call' && item.name === END_INTERVIEW_TOOL.name,
      )
    ) {
      this.cue('end_interview tool called');
    }
    this.system({
      type: 'turn.completed',
      speaker: 'interviewer',
      response_id: response.id,
      status: response.status,
    });
  }

  /**
   * Voice mode over WebSocket, where the client plays the audio itself: how
   * long the response's audio received so far has still to play.
   */
  private queuedPlaybackMs(responseId: string): number {
    if (!this.microphone || this.agents.transport.waitsForAudioPlayback) return 0;
    return this.playback.remainingMs(responseId);
  }

  private clearPlaybackTimer(): void {
    if (this.playbackTimer) clearTimeout(this.playbackTimer);
    this.playbackTimer = null;
  }

  private clearBargeInTimer(): void {
    if (this.bargeInTimer) clearTimeout(this.bargeInTimer);
    this.bargeInTimer = null;
  }

  private requestInterviewerTurn(): void {
    this.phase = 'interviewer';
    this.responseId = null;
    this.system({ type: 'turn.requested', speaker: 'interviewer' });
    this.startTurnTimer('the interviewer did not finish its turn in time');
    // responseId is set by response.created; response.done for any other id is ignored.
    this.send({ type: 'response.create' });
  }

  private send(event: ClientEvent): void {
    try {
      this.agents.transport.send(this.identified(event));
    } catch (error) {
      this.end('error', `could not send ${event.type}: ${(error as Error).message}`);
    }
  }

  private trySend(event: ClientEvent): void {
    try {
      this.agents.transport.send(this.identified(event));
    } catch {
      // Best effort while ending: the session may already be gone.
    }
  }

  /** The event with an `event_id` of its own, so an `error` that names it can be matched. */
  private identified(event: ClientEvent): ClientEvent {
    const eventId = `evt_client_${++this.clientEvents}`;
    this.sentEvents.set(eventId, event.type);
    return { ...event, event_id: eventId };
  }

  private startTurnTimer(message: string, onTimeout?: () => void): void {
    this.clearTurnTimer();
    this.turnTimer = setTimeout(() => {
      onTimeout?.();
      this.end('error', `${message} (${this.config.turnTimeoutMs / 1000} s)`);
    }, this.config.turnTimeoutMs);
  }

  private clearTurnTimer(): void {
    if (this.turnTimer) clearTimeout(this.turnTimer);
    this.turnTimer = null;
  }
}
