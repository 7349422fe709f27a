/** Flags `solve` and `bench` share: how many attempts, which mode, how many steps, which endpoint, what confines commands. */
import { usageError } from '../engine/errors';
import { DEFAULT_MAX_STEPS, MAX_K } from '../engine/solve';
import { type LlmSettings, resolveLlmSettings } from '../engine/llm/openai-model';
import { intFlag } from './errors';
import type { ScaleMode } from '../engine/types';
import type { NetworkMode } from '../engine/sandbox/types';
import { envInt } from '../engine/env';
import { DEFAULT_MAX_UNTRACKED_BYTES } from '../engine/git/worktree';

export const RUN_FLAG_OPTIONS = {
  k: { type: 'string' },
  mode: { type: 'string' },
  'max-steps': { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  'embedding-model': { type: 'string' },
  network: { type: 'string' },
  'no-sandbox': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RunFlags {
  k: number;
  mode: ScaleMode;
  maxSteps: number;
  settings: LlmSettings;
  network: NetworkMode;
  noSandbox: boolean;
  maxUntrackedBytes: number;
}

export function parseRunFlags(
  values: {
    k?: string;
    mode?: string;
    'max-steps'?: string;
    'base-url'?: string;
    model?: string;
    'embedding-model'?: string;
    network?: string;
    'no-sandbox'?: boolean;
  },
  env: NodeJS.ProcessEnv,
): RunFlags {
  const k = intFlag('k', values.k, 1, 1, MAX_K);
  const mode = values.mode ?? 'parallel';
  if (mode !== 'parallel' && mode !== 'sequential') throw usageError(`--mode must be parallel or sequential (got "${mode}")`);
  const maxSteps = intFlag('max-steps', values['max-steps'], DEFAULT_MAX_STEPS, 1, 1000);
  const settings = resolveLlmSettings({ baseUrl: values['base-url'], model: values.model, embeddingModel: values['embedding-model'] }, env);
  // the shared request limiter defaults to k: every attempt may have one request in flight
  if (!env.REASONINGBANK_CONCURRENCY) settings.maxConcurrent = Math.max(k, 1);
  const network = values.network ?? 'off';
  if (network !== 'on' && network !== 'off') throw usageError(`--network must be on or off (got "${network}")`);
  const noSandbox = !!values['no-sandbox'];
  if (noSandbox && values.network !== undefined) throw usageError('--network has no effect with --no-sandbox: unconfined commands reach every network');
  const maxUntrackedMb = envInt(env, 'REASONINGBANK_MAX_UNTRACKED_MB', DEFAULT_MAX_UNTRACKED_BYTES / 1024 / 1024, 1, 1_000_000);
  return { k, mode, maxSteps, settings, network, noSandbox, maxUntrackedBytes: maxUntrackedMb * 1024 * 1024 };
}
