/**
 * The `reasoningBank.commandApproval` policy as one pure decision, shared by the engine process (which
 * enforces it) and the extension (whose tests check it): "auto" runs everything (still inside the OS
 * sandbox), "allowlist" runs what `allowedCommands` names and denies the rest without asking, "ask" runs
 * what is allowed and asks the user about the rest.
 *
 * An allowlist entry covers whole commands only: a simple command (nothing that chains, pipes, redirects,
 * substitutes, expands or globs), whose words start with the entry's words; the extra words may not be
 * options that change what runs (`node --test --import ./x.mjs` is not `node --test`).
 */
import { parse } from 'shell-quote';
import type { CommandApproval } from './protocol';

export type ApprovalDecision = 'allow' | 'deny' | 'ask';

// Anything the shell would interpret beyond splitting words: control operators, redirection, substitution,
// expansion, globbing, history, comments, subshells and brace expansion. Quotes are handled by the parser.
const SHELL_SYNTAX = /[;&|`<>\n\r$(){}*?[\]!#~\\]/;

/**
 * Options that load, evaluate or pick code or a shell: never covered by a prefix, in any spelling
 * (`--import x`, `--import=x`, `-rx`).
 */
const CODE_OPTIONS = new Set([
  '--import', '--require', '-r', '--loader', '--experimental-loader', '-e', '--eval', '-p', '--print', '-c',
  '--script-shell', '--shell', '--node-options', '--exec', '-x', '--config', '--prefix', '-C', '--rootdir',
  '--env-file', '--inspect', '--inspect-brk', '--call', '--userconfig', '--globalconfig', '--init-module',
]);

/** The words of a simple command, or null when the command is anything more. */
export function simpleCommandWords(command: string): string[] | null {
  if (SHELL_SYNTAX.test(command)) return null;
  let tokens: ReturnType<typeof parse>;
  try {
    tokens = parse(command);
  } catch {
    return null;
  }
  if (!tokens.every((t): t is string => typeof t === 'string')) return null;
  // an environment assignment in front (`NODE_OPTIONS=--require=x npm test`) changes what runs
  if (tokens.length === 0 || /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[0]!)) return null;
  return tokens;
}

function changesWhatRuns(word: string): boolean {
  const name = word.startsWith('--') ? word.split('=')[0]! : word;
  if (CODE_OPTIONS.has(name)) return true;
  // a cluster of short options (`-re`) or a short option with its value attached (`-rx`, `-e1`)
  return /^-[A-Za-z]/.test(word) && !word.startsWith('--') && [...CODE_OPTIONS].some((o) => /^-[A-Za-z]$/.test(o) && word.includes(o[1]!));
}

export function isAllowedCommand(command: string, allowed: readonly string[]): boolean {
  const cmd = command.trim();
  if (!cmd) return false;
  // the very text the user approved ("Always allow this command" stores it verbatim)
  if (allowed.some((entry) => entry.trim() === cmd)) return true;
  const words = simpleCommandWords(cmd);
  if (!words) return false;
  for (const raw of allowed) {
    const entry = simpleCommandWords(raw.trim());
    if (!entry || entry.length > words.length) continue;
    if (!entry.every((w, i) => words[i] === w)) continue;
    if (words.slice(entry.length).some(changesWhatRuns)) continue;
    return true;
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
