/**
 * The one check of solve/start parameters on the engine's side, whoever sent them: the run's arguments
 * (solve-args.ts) plus what the extension adds from settings. A bad field is refused with its name.
 */
import * as path from 'path';
import { z } from 'zod';
import { badInput } from '../engine/errors';
import type { SolveParams } from './protocol';
import { firstProblem, solveArgsSchema } from './solve-args';

const absolute = (what: string) => z.string().refine((p) => path.isAbsolute(p), { message: `${what} must be an absolute path` });

const solveParamsSchema = solveArgsSchema.extend({
  ticket: z.string(),
  repo: absolute('the workspace folder'),
  memoryFile: absolute('the memory file'),
  testCommand: z.string().optional(),
  maxSteps: z.number().int().min(1).optional(),
  linkedFolders: z.array(z.string()).optional(),
  worktreeDir: z.string().optional(),
  llm: z.object({
    provider: z.enum(['openai-compatible', 'vscode-lm']),
    baseUrl: z.string().optional(),
    apiKey: z.string().optional(),
    model: z.string().optional(),
    embeddingModel: z.string().optional(),
    concurrency: z.number().int().min(0).optional(),
  }),
  approval: z.object({ policy: z.enum(['ask', 'allowlist', 'auto']), allowedCommands: z.array(z.string()) }),
  network: z.enum(['on', 'off']).optional(),
  trustedMemory: z.string().min(1).optional(),
});

export function parseSolveParams(value: unknown): SolveParams {
  const parsed = solveParamsSchema.safeParse(value);
  if (!parsed.success) throw badInput(firstProblem(parsed.error));
  return parsed.data;
}
