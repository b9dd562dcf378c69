import { BenchmarkPanel } from './components/benchmark-panel.tsx';

export function ConsolePage() {
  return <BenchmarkPanel />;
}
