// What a process has used so far, read from /proc (Linux): for the limit tests and perf scripts.
import { readFileSync } from 'node:fs';

/** The hosted edge runtime's limits the functions are held to. */
export const HOSTED_FUNCTION_LIMITS = { memoryMb: 256, cpuSeconds: 2 } as const;

/** /proc counts CPU time in clock ticks of this many a second (USER_HZ). */
const CLOCK_TICKS = 100;

/** Peak resident memory of process `pid` so far, in MB. */
export function peakMemoryMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** CPU seconds (user + system) process `pid` has used. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** The name /proc gives process `pid` (its `comm`). */
export function processName(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
}
