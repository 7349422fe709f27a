/** EngineErrors cross the JSON-RPC boundary with their code, so the extension can word them. */
import { ResponseError } from 'vscode-languageserver/node';
import { EngineError, errorMessage, isCancelled } from '../engine/errors';
import { UntrustedBankError } from '../engine/memory/trust';
import { ENGINE_ERROR, type EngineErrorData, type SolveErrorResult } from './protocol';

export function toResponseError(err: unknown): ResponseError<EngineErrorData> {
  const code = err instanceof EngineError ? err.code : isCancelled(err) ? 'cancelled' : 'internal';
  return new ResponseError<EngineErrorData>(ENGINE_ERROR, errorMessage(err), { code });
}

/** The `solve --json` error object: `{status: "error", error: {code, message}}`. */
export function toSolveError(err: unknown, signal?: AbortSignal): SolveErrorResult {
  if (isCancelled(err, signal)) return { status: 'error', error: { code: 'cancelled', message: 'the run was cancelled' } };
  const code = err instanceof EngineError ? err.code : 'internal';
  const untrusted = err instanceof UntrustedBankError ? { untrustedMemory: { file: err.file, reason: err.origin.reason, identity: err.origin.identity, changed: err.changed } } : {};
  return { status: 'error', error: { code, message: errorMessage(err), ...untrusted } };
}

/** Runs a handler and rethrows anything it throws as a ResponseError carrying the engine's code. */
export async function rpc<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toResponseError(err);
  }
}
