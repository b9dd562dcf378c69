import type { ConversationTurn } from '@core/benchmark-run.ts';
import { callFunction, type FunctionsEndpoint } from './functions-client.ts';

export interface SimulatedUserRequest {
  persona: string;
  history: ConversationTurn[];
  signal: AbortSignal;
}

export interface SimulatedUserReply {
  utterance: string;
  /** The text model that answered, and its token usage (Responses API shape), when known. */
  model?: string;
  usage?: unknown;
}

/** The other side of the conversation: given the persona and the talk so far, the next thing the user says. */
export interface SimulatedUser {
  readonly kind: 'openai' | 'offline';
  reply(request: SimulatedUserRequest): Promise<SimulatedUserReply>;
}

export class SimulatedUserError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Asks the `simulated-user` edge function, which calls a text model with the persona as instructions. */
export class EdgeSimulatedUser implements SimulatedUser {
  readonly kind = 'openai';

  constructor(
    private readonly endpoint: FunctionsEndpoint,
    private readonly model: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  async reply({ persona, history, signal }: SimulatedUserRequest): Promise<SimulatedUserReply> {
    const { status, data, error } = await callFunction<SimulatedUserReply>(
      this.endpoint,
      'simulated-user',
      JSON.stringify({
        persona,
        model: this.model,
        history: history.map(({ speaker, content }) => ({ speaker, content })),
      }),
      { signal, fetchImpl: this.fetchImpl },
    );
    if (typeof data?.utterance !== 'string') {
      throw new SimulatedUserError(
        error?.message ?? `simulated-user answered ${status}`,
        error?.code ?? `http_${status}`,
      );
    }
    return { utterance: data.utterance, model: data.model, usage: data.usage ?? undefined };
  }
}

/** A deterministic local user: no network, its replies in order (repeated), paced like typing. */
export class OfflineSimulatedUser implements SimulatedUser {
  readonly kind = 'offline';
  constructor(
    private readonly replies: readonly string[],
    private readonly replyMs = 400,
  ) {
    if (replies.length === 0) throw new RangeError('the offline simulated user needs a reply');
  }

  reply({ history, signal }: SimulatedUserRequest): Promise<SimulatedUserReply> {
    const answered = history.filter((turn) => turn.speaker === 'simulated_user').length;
    const text = this.replies[answered % this.replies.length] as string;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({ utterance: text }), this.replyMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason ?? new Error('aborted'));
      });
    });
  }
}
