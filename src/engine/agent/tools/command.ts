/** run_command: the workspace runs it (approval, timeout, tree kill); this shapes what the model reads. */
import type { Workspace } from '../confined-worktree';
import { ToolError } from '../confined-worktree';

export async function runCommandTool(
  ws: Workspace,
  args: { command: string; timeout_s?: number },
  signal?: AbortSignal,
): Promise<string> {
  if (!args.command.trim()) throw new ToolError('command is empty.');
  if (args.timeout_s !== undefined && !(args.timeout_s > 0)) throw new ToolError(`timeout_s must be a positive number of seconds (max ${ws.maxTimeoutS}).`);
  const result = await ws.exec(args.command, args.timeout_s, signal);
  if (!result.ran) {
    throw new ToolError(`the command was not run: the user denied it (${result.reason}). Try another way, or finish and explain what you need.`);
  }
  const status = result.timedOut
    ? `[timed out after ${result.timeoutS} s; the command and its child processes were killed]`
    : result.cancelled
      ? '[cancelled]'
      : result.exitCode === null
        ? `[killed by ${result.signal}]`
        : `[exit code ${result.exitCode}]`;
  const clamped = result.clamped ? `\n[timeout_s was limited to ${result.timeoutS} s]` : '';
  const output = result.output.trim() ? result.output.replace(/\s+$/, '') : '(no output)';
  return `${status}${clamped}\n${output}`;
}
