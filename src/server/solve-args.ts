/**
 * The shape of a run's arguments, checked once with the same words wherever they come from: the engine
 * checks every solve/start (solve-params.ts), and the extension checks the argument object that code
 * passes to `reasoningBank.solve` / `reasoningBank.scale` so that a bad one rejects before anything runs.
 * Pure data and zod, no engine code: the extension loads it lazily (zod costs ~60 ms to load).
 */
import { z } from 'zod';

/** The most attempts of one run; the engine's MAX_K (a unit test keeps the two equal). */
export const MAX_ATTEMPTS = 8;

export const solveArgsSchema = z.object({
  issue: z.string().refine((t) => t.trim().length > 0, { message: 'the issue text is empty: describe what should change' }),
  k: z.number().int().min(1).max(MAX_ATTEMPTS).optional(),
  mode: z.enum(['parallel', 'sequential']).optional(),
  apply: z.boolean().optional(),
});

export type SolveArgs = z.infer<typeof solveArgsSchema>;

/** The first problem as `"field": what it accepts`, or undefined when the value is good. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const field = issue.path.length ? `"${issue.path.join('.')}"` : 'the argument';
  const accepts = issue.path[0] === 'k' ? `must be a whole number from 1 to ${MAX_ATTEMPTS}` : issue.path[0] === 'mode' ? 'must be "parallel" or "sequential"' : issue.message;
  return `${field}: ${accepts}`;
}

export function parseSolveArgs(value: unknown): SolveArgs {
  const parsed = solveArgsSchema.safeParse(value);
  if (!parsed.success) throw new Error(firstProblem(parsed.error));
  return parsed.data;
}
