/**
 * Numbers from the environment and from flags, validated in one way: a bad value is a usage error (exit 2)
 * naming the variable and the accepted range, never a silent 0, NaN or "retry forever".
 */
import { usageError } from './errors';

/** `raw` as a whole number within [min, max], or null. */
export function boundedInt(raw: string, min: number, max: number): number | null {
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = boundedInt(raw, min, max);
  if (n === null) throw usageError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}
