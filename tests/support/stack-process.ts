// Runs the local stack in its own process, as `npm start` does, so a test can
// kill that process the way a crash would. Its options come as JSON in argv[2];
// once up it prints "ready " and a JSON line with its API URL and process ids.
import { type LocalStackOptions, startLocalStack } from '../../stack/stack.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as LocalStackOptions;
const stack = await startLocalStack(options);
console.log(`ready ${JSON.stringify({ apiUrl: stack.apiUrl, pids: stack.pids() })}`);
process.on('SIGTERM', () => void stack.stop().then(() => process.exit(0)));
