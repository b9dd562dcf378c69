import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import net from 'node:net';
import { makeRun } from '@engine/testing/benchmark-runs.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ANON_KEY, repoRoot } from '../../config/env.ts';
import type { LocalStack } from '../../stack/stack.ts';
import { startLocalStack } from '../../stack/stack.ts';
import { throwawayStackOptions } from '../../stack/throwaway-stack.ts';

interface Started {
  apiUrl: string;
  pids: { postgres: number; postgrest: number; functions: Record<string, number> };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const options = await throwawayStackOptions('crash');
let restarted: LocalStack | undefined;
let services: number[] = [];
afterAll(async () => {
  await restarted?.stop();
  // Should the next start have failed to stop them, they are stopped here, not left behind.
  for (const pid of services.filter(alive)) process.kill(pid, 'SIGKILL');
  rmSync(options.dataDir, { recursive: true, force: true });
});

/** The stack in a process of its own, as under `npm start`. */
function startStackProcess() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/stack-process.ts', JSON.stringify(options)],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<Started>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const line = /^ready (.*)$/m.exec(output)?.[1];
      if (line) resolve(JSON.parse(line));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`the stack exited (${code}):\n${output}`)));
  });
  return { child, ready, exited, output: () => output };
}

function rawRequest(apiUrl: string, bytes: string): Promise<string> {
  const { port } = new URL(apiUrl);
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
  });
}

describe('a stack process that is attacked, then killed', () => {
  it('answers the malformed request with 400 and stays up; after a crash the next start stops the orphans', async () => {
    const first = startStackProcess();
    const { apiUrl, pids } = await first.ready;

    const answer = await rawRequest(apiUrl, 'GET //a:99999/x HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(first.child.exitCode).toBeNull();

    // The crash: the stack's process dies at once and cannot stop its services.
    first.child.kill('SIGKILL');
    await first.exited;
    services = [pids.postgres, pids.postgrest, ...Object.values(pids.functions)];
    expect(services.length).toBeGreaterThan(2);
    expect(services.filter(alive)).toEqual(services);

    restarted = await startLocalStack(options);
    expect(services.filter(alive)).toEqual([]);
    const run = makeRun();
    const saved = await fetch(`${restarted.apiUrl}/functions/v1/save-benchmark-run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${LOCAL_ANON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(run),
    });
    expect(saved.status).toBe(201);
  }, 180_000);
});
