import type { SimulatedUser, SimulatedUserReply, SimulatedUserRequest } from '../simulated-user.ts';

/** Answers from a list, and records what it was asked. */
export class ScriptedSimulatedUser implements SimulatedUser {
  readonly kind = 'offline';
  readonly requests: SimulatedUserRequest[] = [];
  constructor(
    private readonly replies: string[] = ['Sure.', 'I use paper.', 'Weekly.', 'No more.'],
  ) {}

  async reply(request: SimulatedUserRequest): Promise<SimulatedUserReply> {
    this.requests.push(request);
    const utterance = this.replies[(this.requests.length - 1) % this.replies.length] as string;
    return { utterance, model: 'scripted', usage: { input_tokens: 50, output_tokens: 8 } };
  }
}
