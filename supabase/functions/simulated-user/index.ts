import { openAIFromEnv } from '../_shared/openai.ts';
import { createSimulatedUserHandler } from './handler.ts';

Deno.serve(createSimulatedUserHandler({ openai: openAIFromEnv((name) => Deno.env.get(name)) }));
