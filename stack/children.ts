import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The stack's child processes, written down in its data folder as they start
 * and stop. A stack that is killed (SIGKILL, out of memory, a crash) cannot
 * stop its services, which run in process groups of their own; the next start
 * reads this list and stops the ones still alive before it needs their ports.
 */
export interface ChildRecord {
  name: string;
  pid: number;
  /** The process's start time (clock ticks since boot), so a reused pid is never taken for ours. */
  started: string;
  stopSignal: NodeJS.Signals;
}

export interface ChildLedger {
  add(child: { name: string; pid: number; stopSignal: NodeJS.Signals }): void;
  remove(pid: number): void;
}

const ledgerFile = (dataDir: string) => path.join(dataDir, 'children.json');

/**
 * The fields of /proc/<pid>/stat after "pid (comm)", from state on (so field N of proc(5) is
 * index N - 3), or undefined if the process is gone. comm may contain spaces and parentheses.
 */
export function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time of a live process (field 22), or undefined if it is gone. */
export const processStartTime = (pid: number): string | undefined => procStatFields(pid)?.[19];

function read(dataDir: string): ChildRecord[] {
  try {
    const records = JSON.parse(readFileSync(ledgerFile(dataDir), 'utf8'));
    return Array.isArray(records) ? records : [];
  } catch {
    return [];
  }
}

/** A fresh ledger for this stack's children (call after the earlier stack's are stopped). */
export function openChildLedger(dataDir: string): ChildLedger {
  const children = new Map<number, ChildRecord>();
  const write = () => writeFileSync(ledgerFile(dataDir), JSON.stringify([...children.values()]));
  write();
  return {
    add({ name, pid, stopSignal }) {
      const started = processStartTime(pid);
      if (started === undefined) return;
      children.set(pid, { name, pid, started, stopSignal });
      write();
    },
    remove(pid) {
      if (children.delete(pid)) write();
    },
  };
}

const isOurs = (child: ChildRecord) => processStartTime(child.pid) === child.started;

async function waitGone(child: ChildRecord, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isOurs(child)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

/**
 * Stops the children an earlier stack on this data folder left running, the
 * last started first (the functions and PostgREST before the Postgres they use):
 * each gets its clean stop signal, then its whole process group is killed if
 * it has not exited in time.
 */
export async function stopLeftoverChildren(
  dataDir: string,
  log: (line: string) => void,
  timeoutMs = 20_000,
): Promise<void> {
  const leftovers = read(dataDir).filter(isOurs).reverse();
  for (const child of leftovers) {
    log(`${child.name.padEnd(11)} stopping pid ${child.pid}, left running by an earlier stack`);
    signal(child.pid, child.stopSignal);
    if (!(await waitGone(child, timeoutMs))) {
      // Spawned detached, so the pid is its group's id: take its own children too.
      signal(-child.pid, 'SIGKILL');
      signal(child.pid, 'SIGKILL');
      await waitGone(child, 5000);
    }
  }
  rmSync(ledgerFile(dataDir), { force: true });
}
