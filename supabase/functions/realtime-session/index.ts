import { openAIFromEnv } from '../_shared/openai.ts';
import { createRealtimeSessionHandler } from './handler.ts';

Deno.serve(createRealtimeSessionHandler({ openai: openAIFromEnv((name) => Deno.env.get(name)) }));
