/**
 * Workspace trust: an untrusted workspace may browse its memory bank, but nothing is solved, no patch is
 * applied and no command runs (`capabilities.untrustedWorkspaces: limited`). One guard used by every
 * command that would run code, taking the trust state as an argument so tests can check both states.
 */
import * as vscode from 'vscode';

export class UntrustedWorkspaceError extends Error {
  constructor(action: string) {
    super(`${action} is not available in Restricted Mode: trust this workspace to let the agent run commands in it. The memory bank can still be browsed.`);
    this.name = 'UntrustedWorkspaceError';
  }
}

export function assertTrusted(action: string, isTrusted: boolean = vscode.workspace.isTrusted): void {
  if (!isTrusted) throw new UntrustedWorkspaceError(action);
}

/** Commands that run code, and so need a trusted workspace. */
export const TRUSTED_ONLY_COMMANDS = ['reasoningBank.solve', 'reasoningBank.scale', 'reasoningBank.applyPatch', 'reasoningBank.applyPart'] as const;
