// Runs one edge function under Deno the way the Supabase edge runtime does:
// the function's index.ts calls Deno.serve(handler) and the host picks the port.
// Usage: deno run … stack/function-host.ts <port> <path/to/index.ts>
const [portArg, entry] = Deno.args;
if (!portArg || !entry) throw new Error('usage: function-host.ts <port> <entry>');
const port = Number(portArg);
const serve = Deno.serve.bind(Deno);

// biome-ignore lint/suspicious/noExplicitAny: Deno.serve has several overloads; we forward them all.
(Deno as any).serve = (...args: any[]) => {
  const handler = args.find((arg) => typeof arg === 'function');
  const options = args.find((arg) => typeof arg === 'object' && arg !== null) ?? {};
  return serve(
    {
      ...options,
      port,
      hostname: '127.0.0.1',
      onListen: () => console.log(`listening on ${port}`),
    },
    handler ?? options.handler,
  );
};

await import(new URL(entry, `file://${Deno.cwd()}/`).href);
