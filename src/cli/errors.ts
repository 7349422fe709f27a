/** How every CLI command reports a failure: one line (or one JSON object) and the contract's exit code. */
import type { CliIO } from './io';
import { EngineError, errorMessage, isCancelled, usageError } from '../engine/errors';
import { boundedInt } from '../engine/env';

export function failure(err: unknown, io: CliIO, json: boolean, help?: string): number {
  let code: string;
  let message: string;
  let exit: number;
  if (isCancelled(err, io.signal)) {
    code = 'cancelled';
    message = 'cancelled; worktrees removed';
    exit = 130;
  } else if (err instanceof EngineError) {
    code = err.code;
    message = err.message;
    exit = err.exitCode;
  } else if (err instanceof TypeError && (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    // node:util parseArgs: unknown flag, missing value, …
    code = 'usage';
    message = err.message;
    exit = 2;
  } else {
    code = 'internal';
    message = errorMessage(err);
    exit = 3;
  }
  if (json) io.stdout(JSON.stringify({ status: 'error', error: { code, message } }) + '\n');
  const hint = exit === 2 && help ? ` (see: ${help})` : '';
  io.stderr(`reasoningbank: ${message}${hint}\n`);
  return exit;
}

/** An integer flag with bounds; a bad value is a usage error naming the flag. */
export function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = boundedInt(raw, min, max);
  if (n === null) throw usageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}
