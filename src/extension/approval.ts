/**
 * The "ask" approval modal: the exact command, and "Allow once", "Always allow this command", "Deny".
 * Closing the modal denies. A cancelled run stops waiting for the answer.
 */
import * as vscode from 'vscode';
import type { ApprovalParams, ApprovalResult } from '../server/protocol';

export const ALLOW_ONCE = 'Allow once';
export const ALLOW_ALWAYS = 'Always allow this command';
export const DENY = 'Deny';

export async function askApproval(
  p: ApprovalParams,
  token: vscode.CancellationToken,
  remember: (command: string) => Promise<void>,
): Promise<ApprovalResult> {
  const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
  const choice = await Promise.race([
    vscode.window.showWarningMessage(
      `ReasoningBank: the agent wants to run a command${p.attempt > 0 ? ` (attempt #${p.attempt + 1})` : ''}`,
      { modal: true, detail: `${p.command}\n\nIt runs inside the attempt's git worktree, not your working tree.` },
      ALLOW_ONCE,
      ALLOW_ALWAYS,
      DENY,
    ),
    cancelled,
  ]);
  if (choice === ALLOW_ONCE) return { allowed: true };
  if (choice === ALLOW_ALWAYS) {
    await remember(p.command.trim());
    return { allowed: true, always: true };
  }
  return { allowed: false, reason: `the user denied "${p.command}". Do not retry it; find another way or finish.` };
}
