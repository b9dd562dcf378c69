import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../config/env.ts';
import { apiUrl } from './stack-clients.ts';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run bench -- …` as CI runs it, against the test stack (or another URL the env names). */
export async function benchCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const node = [
    '--experimental-websocket',
    '--no-warnings=ExperimentalWarning',
    '--import',
    'tsx',
    path.join(repoRoot, 'runner', 'cli.ts'),
  ];
  try {
    const { stdout, stderr } = await run(process.execPath, [...node, ...args], {
      cwd: repoRoot,
      env: { ...process.env, SUPABASE_URL: apiUrl(), ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
