/**
 * The one check of solve/start parameters, whoever sent them (a command palette run, a keybinding's or
 * another extension's argument object): a bad field is refused with its name and what it accepts.
 */
import * as path from 'path';
import { z } from 'zod';
import { badInput } from '../engine/errors';
import { MAX_K } from '../engine/solve';
import type { SolveParams } from './protocol';

const absolute = (what: string) => z.string().refine((p) => path.isAbsolute(p), { message: `${what} must be an absolute path` });

const llmSchema = z.object({
  provider: z.enum(['openai-compatible', 'vscode-lm']),
  baseUrl: z.string().optional(),
  apiKey: z.string().optional(),
  model: z.string().optional(),
  embeddingModel: z.string().optional(),
  concurrency: z.number().int().min(0).optional(),
});

const solveParamsSchema = z.object({
  ticket: z.string(),
  repo: absolute('the workspace folder'),
  issue: z.string().refine((t) => t.trim().length > 0, { message: 'the issue text is empty: describe what should change' }),
  k: z.number().int().min(1).max(MAX_K, { message: `must be a whole number from 1 to ${MAX_K}` }).optional(),
  mode: z.enum(['parallel', 'sequential']).optional(),
  apply: z.boolean().optional(),
  memoryFile: absolute('the memory file'),
  testCommand: z.string().optional(),
  maxSteps: z.number().int().min(1).optional(),
  linkedFolders: z.array(z.string()).optional(),
  worktreeDir: z.string().optional(),
  llm: llmSchema,
  approval: z.object({ policy: z.enum(['ask', 'allowlist', 'auto']), allowedCommands: z.array(z.string()) }),
});

export function parseSolveParams(value: unknown): SolveParams {
  const parsed = solveParamsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? `"${issue.path.join('.')}"` : 'solve';
  throw badInput(`${field}: ${issue.message}`);
}
