import { parseWebEnv } from './web-env.ts';

export type { WebEnv } from './web-env.ts';

export const env = parseWebEnv(import.meta.env);
