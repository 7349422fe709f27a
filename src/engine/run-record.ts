/**
 * Every run leaves a record under <repo>/.reasoningbank/runs/<runId>/: result.json, patch.diff (the chosen
 * patch), trajectory.jsonl (the chosen attempt's steps) and one trajectory file per attempt. The folder
 * ignores itself in git so nothing of ours shows up in the user's `git status`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import type { SolveResult } from './types';
import { redact } from './memory/redact';

export function stateDir(repoTop: string): string {
  const dir = path.join(repoTop, '.reasoningbank');
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# ReasoningBank state: memory bank and run records\n*\n');
  return dir;
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function createRunDir(repoTop: string, runId: string): string {
  const dir = path.join(stateDir(repoTop), 'runs', runId);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function writeRunRecord(runDir: string, result: SolveResult): void {
  // secrets the judge or an error message echoed are redacted; patches stay byte for byte (they are applied)
  const recorded = JSON.stringify(result, (key, value: unknown) => (typeof value === 'string' && key !== 'patch' ? redact(value) : value), 2);
  fs.writeFileSync(path.join(runDir, 'result.json'), recorded + '\n');
  fs.writeFileSync(path.join(runDir, 'patch.diff'), result.patch);
  const chosen = path.join(runDir, `attempt-${result.chosen}.trajectory.jsonl`);
  if (fs.existsSync(chosen)) fs.copyFileSync(chosen, path.join(runDir, 'trajectory.jsonl'));
  else if (!fs.existsSync(path.join(runDir, 'trajectory.jsonl'))) fs.writeFileSync(path.join(runDir, 'trajectory.jsonl'), '');
  for (const attempt of result.attempts) {
    if (attempt.patch) fs.writeFileSync(path.join(runDir, `attempt-${attempt.index}.diff`), attempt.patch);
  }
}
