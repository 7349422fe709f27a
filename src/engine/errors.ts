/**
 * Errors that cross layer boundaries carry a stable code; the CLI maps them to exit codes
 * (2 = bad usage or input, 3 = runtime failure) and the server to JSON-RPC errors.
 */
export type ErrorCode =
  | 'usage'
  | 'bad-input'
  | 'endpoint'
  | 'model-reply'
  | 'memory-corrupt'
  | 'git'
  /** a bank git tracks or another user created, not confirmed (--trust-memory / --memory FILE) */
  | 'untrusted-memory'
  /** the worktree folder is not private to this user */
  | 'unsafe-folder'
  | 'cancelled'
  | 'internal';

export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EngineError';
  }

  /** 2 for problems the user can fix in the call itself, 3 for everything that failed at run time */
  get exitCode(): number {
    return this.code === 'usage' || this.code === 'bad-input' || this.code === 'untrusted-memory' ? 2 : 3;
  }
}

export const usageError = (message: string) => new EngineError('usage', message);
export const badInput = (message: string) => new EngineError('bad-input', message);

export class CancelledError extends EngineError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

export function isCancelled(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  if (err instanceof CancelledError) return true;
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
