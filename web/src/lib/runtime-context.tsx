import { recordRunAudio } from '@engine/audio/run-audio-recorder.ts';
import { BenchmarkingService } from '@engine/benchmarking-service.ts';
import type { FunctionsEndpoint } from '@engine/functions-client.ts';
import { createIdbOutboxStore } from '@engine/idb-outbox-store.ts';
import type { RunOutbox } from '@engine/run-outbox.ts';
import { createSavingOutbox } from '@engine/save-run-client.ts';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';

interface BenchmarkRuntime {
  service: BenchmarkingService;
  outbox: RunOutbox;
  endpoint: FunctionsEndpoint;
}

const RuntimeContext = createContext<BenchmarkRuntime | null>(null);

export function createBenchmarkRuntime(endpoint: FunctionsEndpoint): BenchmarkRuntime {
  const outbox = createSavingOutbox(endpoint, createIdbOutboxStore());
  return {
    outbox,
    endpoint,
    service: new BenchmarkingService({ sink: outbox, recordAudio: recordRunAudio }),
  };
}

/**
 * One benchmarking service and one outbox for the whole app: runs waiting to
 * be saved are retried from any page, right after load.
 */
export function BenchmarkRuntimeProvider({
  endpoint,
  runtime: given,
  children,
}: {
  endpoint: FunctionsEndpoint;
  runtime?: BenchmarkRuntime;
  children: ReactNode;
}) {
  const [runtime] = useState(() => given ?? createBenchmarkRuntime(endpoint));
  useEffect(() => {
    void runtime.outbox.init();
    return () => runtime.outbox.stop();
  }, [runtime]);
  return <RuntimeContext.Provider value={runtime}>{children}</RuntimeContext.Provider>;
}

export function useBenchmarkRuntime(): BenchmarkRuntime {
  const runtime = useContext(RuntimeContext);
  if (!runtime)
    throw new Error('useBenchmarkRuntime must be used inside <BenchmarkRuntimeProvider>');
  return runtime;
}

export function useBenchmarkSnapshot() {
  const { service } = useBenchmarkRuntime();
  return useSyncExternalStore(service.subscribe, service.getSnapshot);
}

export function useOutboxEntries() {
  const { outbox } = useBenchmarkRuntime();
  return useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);
}
