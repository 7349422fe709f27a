/**
 * The "ask" approval modal: the exact command, and "Allow once", "Always allow this command", "Deny".
 * Deny is the modal's close affordance, so there is no separate "Cancel" that would silently mean Deny.
 * The modal also says that the project's test command runs on its own before and after each attempt:
 * denying it to the agent does not stop that.
 */
import * as vscode from 'vscode';
import type { ApprovalParams, ApprovalResult } from '../server/protocol';

export const ALLOW_ONCE = 'Allow once';
export const ALLOW_ALWAYS = 'Always allow this command';
export const DENY = 'Deny';

/** the modal's explanation below the command */
export function approvalDetail(command: string, testCommand: string | undefined): string {
  const lines = [command, '', "It runs inside the attempt's git worktree, not your working tree."];
  if (testCommand) {
    const same = command.trim() === testCommand.trim();
    lines.push(
      '',
      same
        ? `This is also the test command (reasoningBank.testCommand or detected): ReasoningBank runs it on its own before and after each attempt to judge the result, whatever you answer here.`
        : `The test command "${testCommand}" (reasoningBank.testCommand or detected) runs on its own before and after each attempt to judge the result; only the agent's own commands are asked about.`,
    );
  }
  return lines.join('\n');
}

/** Without a sandbox the test runs are asked about too: they run unconfined, after an attempt code the agent wrote. */
function testRunDetail(p: ApprovalParams): string {
  return [
    p.command,
    '',
    'No OS sandbox could start on this machine, so the tests would run with your permissions, files and network.',
    p.purpose === 'tests-after'
      ? 'They judge the attempt, and they run code the agent wrote (it may have changed the tests or the test script).'
      : 'This is the baseline run, before the agent changes anything.',
    '',
    'Deny: the tests do not run and the LLM judge decides instead.',
  ].join('\n');
}

export async function askApproval(
  p: ApprovalParams,
  token: vscode.CancellationToken,
  remember: (command: string) => Promise<void>,
  testCommand?: string,
): Promise<ApprovalResult> {
  const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
  const choice = await Promise.race([
    vscode.window.showWarningMessage<vscode.MessageItem>(
      p.purpose
        ? `ReasoningBank: run the tests unconfined${p.attempt > 0 ? ` (attempt #${p.attempt + 1})` : ''}?`
        : `ReasoningBank: the agent wants to run a command${p.attempt > 0 ? ` (attempt #${p.attempt + 1})` : ''}`,
      { modal: true, detail: p.purpose ? testRunDetail(p) : approvalDetail(p.command, testCommand) },
      { title: ALLOW_ONCE },
      { title: ALLOW_ALWAYS },
      { title: DENY, isCloseAffordance: true },
    ),
    cancelled,
  ]);
  if (choice?.title === ALLOW_ONCE) return { allowed: true };
  if (choice?.title === ALLOW_ALWAYS) {
    await remember(p.command.trim());
    return { allowed: true, always: true };
  }
  return { allowed: false, reason: `the user denied "${p.command}". Do not retry it; find another way or finish.` };
}
