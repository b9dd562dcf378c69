/**
 * Runs a throwaway local stack in its own process (so its memory can be
 * measured apart from a load generator) and prints one JSON line with its
 * URLs and process ids. Stops on SIGTERM/SIGINT.
 */
import { startThrowawayStack } from '../stack/throwaway-stack.ts';

// The save function's limits can be set for a measurement, as in .env.
const stack = await startThrowawayStack('load', {
  functionEnv: {
    SAVE_RUN_MAX_CONCURRENT: process.env.SAVE_RUN_MAX_CONCURRENT,
    SAVE_RUN_MAX_BUFFERED_BYTES: process.env.SAVE_RUN_MAX_BUFFERED_BYTES,
  },
});
const stop = async () => {
  await stack.dispose();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
console.log(
  JSON.stringify({
    apiUrl: stack.apiUrl,
    dbUrl: stack.dbUrl,
    dataDir: stack.dataDir,
    gatewayPid: process.pid,
    pids: stack.pids(),
  }),
);
