import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChildLedger, processStartTime, stopLeftoverChildren } from './children.ts';
import { spawnService } from './processes.ts';

describe('stopping the children an earlier stack left running', () => {
  let dataDir: string;
  let children: ChildProcess[];
  const spawnChild = (script = 'setInterval(() => {}, 1000)') => {
    const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));

  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'children-test-'));
    children = [];
  });
  afterEach(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops each recorded child that still runs, last started first, and forgets them', async () => {
    const ledger = openChildLedger(dataDir);
    const first = spawnChild();
    const second = spawnChild();
    ledger.add({ name: 'first', pid: first.pid as number, stopSignal: 'SIGTERM' });
    ledger.add({ name: 'second', pid: second.pid as number, stopSignal: 'SIGINT' });
    const lines: string[] = [];

    await stopLeftoverChildren(dataDir, (line) => lines.push(line));

    await Promise.all([exited(first), exited(second)]);
    expect(first.signalCode).toBe('SIGTERM');
    expect(second.signalCode).toBe('SIGINT');
    expect(lines).toEqual([
      `second      stopping pid ${second.pid}, left running by an earlier stack`,
      `first       stopping pid ${first.pid}, left running by an earlier stack`,
    ]);
    expect(existsSync(path.join(dataDir, 'children.json'))).toBe(false);
  });

  it('kills a child that ignores its stop signal once the grace period is over', async () => {
    const stubborn = spawnChild("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)");
    await new Promise((resolve) => setTimeout(resolve, 300));
    openChildLedger(dataDir).add({
      name: 'stubborn',
      pid: stubborn.pid as number,
      stopSignal: 'SIGTERM',
    });
    await stopLeftoverChildren(dataDir, () => {}, 200);
    await exited(stubborn);
    expect(stubborn.signalCode).toBe('SIGKILL');
  });

  it('leaves alone a process that only has the pid of a recorded child', async () => {
    const stranger = spawnChild();
    const pid = stranger.pid as number;
    writeFileSync(
      path.join(dataDir, 'children.json'),
      JSON.stringify([
        {
          name: 'old',
          pid,
          started: `${Number(processStartTime(pid)) - 1}`,
          stopSignal: 'SIGTERM',
        },
      ]),
    );
    await stopLeftoverChildren(dataDir, () => {});
    expect(processStartTime(pid)).toBeDefined();
    expect(stranger.exitCode).toBeNull();
  });

  it('records a service while it runs and forgets it once it has stopped', async () => {
    const ledger = openChildLedger(dataDir);
    const recorded = () => JSON.parse(readFileSync(path.join(dataDir, 'children.json'), 'utf8'));
    const service = spawnService(
      'sleeper',
      process.execPath,
      ['-e', 'setInterval(() => {}, 1000)'],
      {
        logFile: path.join(dataDir, 'sleeper.log'),
        stopSignal: 'SIGINT',
        ledger,
      },
    );
    expect(recorded()).toEqual([
      {
        name: 'sleeper',
        pid: service.child.pid,
        started: processStartTime(service.child.pid as number),
        stopSignal: 'SIGINT',
      },
    ]);
    await service.stop();
    expect(recorded()).toEqual([]);
  });
});
