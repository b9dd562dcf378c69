import type { SimulatedUser, SimulatedUserRequest } from '../benchmark/simulated-user.ts';

/** Answers from a list, and records what it was asked. */
export class ScriptedSimulatedUser implements SimulatedUser {
  readonly kind = 'offline';
  readonly requests: SimulatedUserRequest[] = [];
  constructor(
    private readonly replies: string[] = ['Sure.', 'I use paper.', 'Weekly.', 'No more.'],
  ) {}

  async reply(request: SimulatedUserRequest): Promise<string> {
    this.requests.push(request);
    return this.replies[(this.requests.length - 1) % this.replies.length] as string;
  }
}
