/**
 * solve/start: one run of the engine for the extension. Progress goes out as `run/event` notifications
 * tagged with the client's ticket; `$/cancelRequest` aborts the run (worktrees are removed by the engine);
 * command approval follows the user's policy and asks the extension when the policy says "ask".
 */
import { CancellationTokenSource } from 'vscode-languageserver/node';
import { solve } from '../../engine/solve';
import { errorMessage } from '../../engine/errors';
import { detectSandbox } from '../../engine/sandbox/sandbox';
import type { EngineEvent } from '../../engine/events';
import type { CommandApprover } from '../../engine/agent/types';
import type { AssistantReply } from '../../engine/llm/model';
import { decideApproval, denialReason } from '../approval-policy';
import { createChatModel } from '../model-factory';
import { toSolveError } from '../errors';
import { parseSolveParams } from '../solve-params';
import type { ApprovalParams, ApprovalResult, ModelCompleteParams, SolveOutcome, SolveParams, TokenLike } from '../protocol';

export interface SolveHost {
  event(ticket: string, event: EngineEvent): void;
  askApproval(params: ApprovalParams, signal: AbortSignal): Promise<ApprovalResult>;
  complete(params: ModelCompleteParams, signal?: AbortSignal): Promise<AssistantReply>;
  memoryChanged(memoryFile: string): void;
  warn(message: string): void;
}

/** a CancellationToken for server→client requests that follows an AbortSignal */
export function tokenFor(signal: AbortSignal | undefined): TokenLike | undefined {
  if (!signal) return undefined;
  const source = new CancellationTokenSource();
  if (signal.aborted) source.cancel();
  else signal.addEventListener('abort', () => source.cancel(), { once: true });
  return source.token;
}

export async function solveHandler(raw: SolveParams, token: TokenLike, host: SolveHost): Promise<SolveOutcome> {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  if (token.isCancellationRequested) abort.abort();
  try {
    const p = parseSolveParams(raw);
    // no OS sandbox here: commands run unconfined, so the user sees every one of them first
    const noSandbox = await detectSandbox(p.network ?? 'off').then(
      () => false,
      (err) => (host.warn(`${errorMessage(err)} Every command will be asked about.`), true),
    );
    const allowed = new Set(noSandbox ? [] : (p.approval?.allowedCommands ?? []));
    const policy = noSandbox ? 'ask' : (p.approval?.policy ?? 'ask');
    const approveCommand: CommandApprover = async ({ command, attempt, purpose }) => {
      const decision = decideApproval(policy, command, [...allowed]);
      if (decision === 'allow') return { allowed: true };
      if (decision === 'deny') return { allowed: false, reason: denialReason(policy, command) };
      const answer = await host.askApproval({ ticket: p.ticket, command, attempt, ...(purpose && purpose !== 'agent' ? { purpose } : {}) }, abort.signal);
      if (answer.allowed && answer.always) allowed.add(command.trim());
      return answer.allowed ? { allowed: true } : { allowed: false, reason: answer.reason ?? denialReason(policy, command) };
    };
    const model = createChatModel(p.llm, (params, signal) => host.complete(params, signal), host.warn, p.k ?? 1);
    const result = await solve({
      repo: p.repo,
      task: p.issue,
      testCommand: p.testCommand?.trim() ? p.testCommand.trim() : undefined,
      memoryFile: p.memoryFile,
      k: p.k,
      mode: p.mode,
      maxSteps: p.maxSteps,
      apply: p.apply,
      model,
      linkedFolders: p.linkedFolders,
      worktreeDir: p.worktreeDir?.trim() ? p.worktreeDir : undefined,
      network: p.network,
      noSandbox,
      trustedMemory: p.trustedMemory,
      approveCommand,
      events: (e) => host.event(p.ticket, e),
      signal: abort.signal,
    });
    if (result.memory.added.length) host.memoryChanged(p.memoryFile);
    return result;
  } catch (err) {
    return toSolveError(err, abort.signal);
  } finally {
    sub.dispose();
  }
}
