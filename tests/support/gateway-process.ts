// Runs the gateway alone in its own process, as `npm start` does, so a test can
// see whether a request takes the process down. Its options come as JSON in
// argv[2] (`functions` as [name, port] pairs); it prints "listening <port>".
import { type GatewayOptions, startGateway } from '../../stack/gateway.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as Omit<GatewayOptions, 'functions'> & {
  functions: [string, number][];
};
const gateway = await startGateway({ ...options, functions: new Map(options.functions) });
console.log(`listening ${gateway.port}`);
process.on('SIGTERM', () => void gateway.close().then(() => process.exit(0)));
