export const consoleKeys = {
  all: ['console'] as const,
  agentStatus: (functionsUrl: string) =>
    [...consoleKeys.all, 'agent-status', functionsUrl] as const,
};
