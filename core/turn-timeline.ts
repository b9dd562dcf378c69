import type { ConversationTurn, EventLogEntry } from './benchmark-run.ts';
import { readSystemEvent } from './system-events.ts';

/**
 * The spans of every turn of a saved run, from its event log alone, in ms from
 * the run's start. The one definition of a turn's timing: the run metrics take
 * their per-turn latencies from it and the run page draws it.
 *
 * Any point may be null (a run cut short, a log from before an event was
 * written). Points are kept where they were recorded, even out of order;
 * durations between two points are null when the later one is recorded before
 * the earlier (a clock that ran backwards), never negative.
 */
export interface TurnTimeline {
  /** The epoch ms offsets are measured from: `created_at`, else the first event. */
  origin: number | null;
  turns: TimelineTurn[];
}

export type TimelineTurn = InterviewerTurnSpans | SimulatedUserTurnSpans;

interface TurnBase {
  /** The turn's first point (its request, else its earliest recorded point). */
  start_ms: number | null;
  /** The turn's last point: done or audio end (interviewer), reply (simulated user). */
  end_ms: number | null;
  /** From the previous turn's end (the run's start for the first turn) to this turn's start. */
  gap_before_ms: number | null;
  /** Indices in `event_log` of the events of this turn, ascending. */
  event_indices: number[];
}

export interface InterviewerTurnSpans extends TurnBase {
  speaker: 'interviewer';
  response_id: string;
  /** `response.done`'s status, else the interviewer `turn.completed`'s; null when neither came. */
  status: string | null;
  /** The client `response.create` this response claimed, in order; null when none was pending. */
  requested_ms: number | null;
  created_ms: number | null;
  first_text_ms: number | null;
  /** `output_audio_buffer.started` (WebRTC), else the first `response.output_audio.delta`. */
  first_audio_ms: number | null;
  /** `output_audio_buffer.stopped`/`cleared`, else the last audio delta or `response.output_audio.done`. */
  last_audio_ms: number | null;
  done_ms: number | null;
  /** Request → first transcript/text delta. */
  first_text_latency_ms: number | null;
  /** Request → first audio. */
  first_audio_latency_ms: number | null;
  /** Whether the response produced transcript or text (what makes a transcript turn). */
  has_text: boolean;
  /** Whether a `response.create` was paired with this response (what counts as a turn in the metrics). */
  claimed_request: boolean;
}

export interface SimulatedUserTurnSpans extends TurnBase {
  speaker: 'simulated_user';
  /** System `turn.requested` (speaker `simulated_user`). */
  requested_ms: number | null;
  /** System `turn.completed` (speaker `simulated_user`). */
  completed_ms: number | null;
  /** Request → reply. */
  reply_ms: number | null;
  /** Whether the reply came (`turn.completed`). */
  replied: boolean;
}

type Event = EventLogEntry['event'] & Record<string, unknown>;

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const record = (value: unknown) =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};

/** later − earlier, or null when either is missing or the later was recorded first. */
export function span(earlier: number | null, later: number | null): number | null {
  if (earlier === null || later === null) return null;
  const ms = later - earlier;
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** The events through which a response claims the oldest pending `response.create`. */
const CLAIMING = new Set([
  'response.created',
  'response.output_audio_transcript.delta',
  'response.output_text.delta',
  'output_audio_buffer.started',
  'response.output_audio.delta',
]);

interface InterviewerDraft {
  kind: 'interviewer';
  responseId: string;
  requestIndex: number | null;
  requested: number | null;
  created: number | null;
  firstText: number | null;
  bufferStarted: number | null;
  firstDelta: number | null;
  bufferStopped: number | null;
  lastAudio: number | null;
  done: number | null;
  doneStatus: string | null;
  completedStatus: string | null;
  hasText: boolean;
  indices: number[];
}

interface UserDraft {
  kind: 'simulated_user';
  requested: number | null;
  completed: number | null;
  replied: boolean;
  indices: number[];
}

const minOf = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.min(...known) : null;
};
const maxOf = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.max(...known) : null;
};

/** Builds the timeline of a run; `created_at` is the origin when given. */
export function turnTimeline(run: {
  event_log: EventLogEntry[];
  created_at?: string | null;
}): TurnTimeline {
  const createdAt = run.created_at ? Date.parse(run.created_at) : Number.NaN;
  const firstEvent = run.event_log[0] ? Date.parse(run.event_log[0].timestamp) : Number.NaN;
  const origin = Number.isFinite(createdAt)
    ? createdAt
    : Number.isFinite(firstEvent)
      ? firstEvent
      : null;
  const offset = (timestamp: string): number | null => {
    const at = Date.parse(timestamp);
    return Number.isFinite(at) && origin !== null ? at - origin : null;
  };

  const drafts: (InterviewerDraft | UserDraft)[] = [];
  const responses = new Map<string, InterviewerDraft>();
  /** Pending `response.create`s: their index, time, and the interviewer `turn.requested` before them. */
  const requests: { index: number; at: number | null; extra: number[] }[] = [];
  let interviewerRequested: number[] = [];
  let openUser: UserDraft | null = null;
  let lastUser: UserDraft | null = null;

  const response = (responseId: string, index: number): InterviewerDraft => {
    let draft = responses.get(responseId);
    if (!draft) {
      draft = {
        kind: 'interviewer',
        responseId,
        requestIndex: null,
        requested: null,
        created: null,
        firstText: null,
        bufferStarted: null,
        firstDelta: null,
        bufferStopped: null,
        lastAudio: null,
        done: null,
        doneStatus: null,
        completedStatus: null,
        hasText: false,
        indices: [],
      };
      responses.set(responseId, draft);
      drafts.push(draft);
    }
    draft.indices.push(index);
    return draft;
  };

  run.event_log.forEach((entry, index) => {
    const at = offset(entry.timestamp);
    const event = entry.event as Event;
    if (entry.direction === 'client') {
      if (event.type === 'response.create') {
        requests.push({ index, at, extra: interviewerRequested });
        interviewerRequested = [];
      } else if (event.type === 'conversation.item.create' && lastUser) {
        // The simulated user's reply, sent on to the interviewer.
        lastUser.indices.push(index);
        lastUser = null;
      }
      return;
    }
    if (entry.direction === 'system') {
      const system = readSystemEvent(entry.event);
      if (system?.type === 'turn.requested' && system.speaker === 'simulated_user') {
        openUser = {
          kind: 'simulated_user',
          requested: at,
          completed: null,
          replied: false,
          indices: [index],
        };
        drafts.push(openUser);
        lastUser = null;
      } else if (system?.type === 'turn.requested' && system.speaker === 'interviewer') {
        interviewerRequested.push(index);
      } else if (system?.type === 'turn.completed' && system.speaker === 'simulated_user') {
        if (!openUser) {
          openUser = {
            kind: 'simulated_user',
            requested: null,
            completed: null,
            replied: false,
            indices: [],
          };
          drafts.push(openUser);
        }
        openUser.completed = at;
        openUser.replied = true;
        openUser.indices.push(index);
        lastUser = openUser;
        openUser = null;
      } else if (
        system?.type === 'turn.completed' &&
        system.speaker === 'interviewer' &&
        system.response_id
      ) {
        const draft = response(system.response_id, index);
        draft.completedStatus = system.status ?? draft.completedStatus;
      }
      return;
    }

    const responseId = str(event.response_id) ?? str(record(event.response).id);
    if (!responseId) return;
    const draft = response(responseId, index);
    if (CLAIMING.has(event.type) && draft.requestIndex === null && requests.length > 0) {
      const request = requests.shift() as (typeof requests)[number];
      draft.requestIndex = request.index;
      draft.requested = request.at;
      draft.indices.push(request.index, ...request.extra);
    }
    switch (event.type) {
      case 'response.created':
        draft.created ??= at;
        break;
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta':
        if (draft.firstText === null) draft.firstText = at;
        if (str(event.delta)) draft.hasText = true;
        break;
      case 'response.output_audio_transcript.done':
        if (str(event.transcript)?.trim()) draft.hasText = true;
        break;
      case 'response.output_text.done':
        if (str(event.text)?.trim()) draft.hasText = true;
        break;
      case 'output_audio_buffer.started':
        draft.bufferStarted ??= at;
        break;
      case 'output_audio_buffer.stopped':
      case 'output_audio_buffer.cleared':
        draft.bufferStopped = at;
        break;
      case 'response.output_audio.delta':
        draft.firstDelta ??= at;
        draft.lastAudio = at;
        break;
      case 'response.output_audio.done':
        draft.lastAudio = at;
        break;
      case 'response.done':
        draft.done = at;
        draft.doneStatus = str(record(event.response).status) ?? draft.doneStatus;
        break;
    }
  });

  const turns: TimelineTurn[] = [];
  let previousEnd: number | null = 0;
  for (const draft of drafts) {
    const turn = draft.kind === 'interviewer' ? interviewerTurn(draft) : userTurn(draft);
    turn.gap_before_ms = span(previousEnd, turn.start_ms);
    turns.push(turn);
    previousEnd = turn.end_ms;
  }
  return { origin, turns };
}

function interviewerTurn(draft: InterviewerDraft): InterviewerTurnSpans {
  const firstAudio = draft.bufferStarted ?? draft.firstDelta;
  const lastAudio = draft.bufferStopped ?? draft.lastAudio;
  const points = [draft.created, draft.firstText, firstAudio, lastAudio, draft.done];
  return {
    speaker: 'interviewer',
    response_id: draft.responseId,
    status: draft.doneStatus ?? draft.completedStatus,
    requested_ms: draft.requested,
    created_ms: draft.created,
    first_text_ms: draft.firstText,
    first_audio_ms: firstAudio,
    last_audio_ms: lastAudio,
    done_ms: draft.done,
    first_text_latency_ms: span(draft.requested, draft.firstText),
    first_audio_latency_ms: span(draft.requested, firstAudio),
    has_text: draft.hasText,
    claimed_request: draft.requestIndex !== null,
    start_ms: draft.requested ?? minOf(points),
    end_ms: maxOf([draft.done, lastAudio]) ?? maxOf([draft.requested, ...points]),
    gap_before_ms: null,
    event_indices: [...new Set(draft.indices)].sort((a, b) => a - b),
  };
}

function userTurn(draft: UserDraft): SimulatedUserTurnSpans {
  return {
    speaker: 'simulated_user',
    requested_ms: draft.requested,
    completed_ms: draft.completed,
    reply_ms: span(draft.requested, draft.completed),
    replied: draft.replied,
    start_ms: draft.requested ?? draft.completed,
    end_ms: draft.completed ?? draft.requested,
    gap_before_ms: null,
    event_indices: [...draft.indices].sort((a, b) => a - b),
  };
}

/**
 * For each turn of `conversation_history`, the index in `timeline.turns` of
 * the turn that produced it, or null when the log does not show it. An
 * interviewer turn saved with its `response_id` is found by it; one without
 * (runs saved before the id was kept) is the i-th response that produced
 * text. Simulated-user turns are the replies (`turn.completed`) in order.
 */
export function matchHistoryToTimeline(
  history: readonly ConversationTurn[],
  timeline: TurnTimeline,
): (number | null)[] {
  const byResponse = new Map<string, number>();
  const withText: number[] = [];
  const replies: number[] = [];
  timeline.turns.forEach((turn, index) => {
    if (turn.speaker === 'interviewer') {
      byResponse.set(turn.response_id, index);
      if (turn.has_text) withText.push(index);
    } else if (turn.replied) {
      replies.push(index);
    }
  });
  let interviewer = 0;
  let user = 0;
  return history.map((turn) => {
    if (turn.speaker === 'simulated_user') return replies[user++] ?? null;
    const position = interviewer++;
    const responseId = str((turn as Record<string, unknown>).response_id);
    if (responseId !== undefined) return byResponse.get(responseId) ?? null;
    return withText[position] ?? null;
  });
}
