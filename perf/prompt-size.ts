/**
 * The fixed cost of every agent step: the system prompt plus the seven tool schemas, in o200k tokens
 * (lean prompts, docs/ARCHITECTURE.md: at most 1,500), without lessons and with three typical lessons.
 */
import { getEncoding } from 'js-tiktoken';
import { buildSystemPrompt } from '../src/engine/agent/loop';
import { TOOL_SPECS } from '../src/engine/agent/tools';

export const PROMPT_BUDGET_TOKENS = 1500;

/** What a memory layer typically injects: three items, each well under 200 tokens. */
export const TYPICAL_LESSONS = [
  '1. **Reproduce before editing** — when a bug report names a wrong result. Write or run the smallest failing check first (an existing test or a one-line script); fixes made without a reproduction often patch the symptom in the wrong function and leave the real cause in place.',
  '2. **Trace the value to where it is computed** — when output is wrong but the caller looks fine. Search for the function definition rather than its call sites, read it whole, and check operator and sign errors, off-by-one bounds and swapped arguments before changing any caller.',
  '3. **Do not edit tests to make them pass** — when a test fails after a change. A failing assertion is evidence about the code; adjust the implementation, and only touch a test when the issue says its expectation is wrong.',
].join('\n');

export function measurePromptTokens(lessons?: string): { system: number; tools: number; total: number } {
  const enc = getEncoding('o200k_base');
  const system = enc.encode(buildSystemPrompt(lessons)).length;
  // the schemas as they go over the wire in the request body
  const tools = enc.encode(JSON.stringify(TOOL_SPECS)).length;
  return { system, tools, total: system + tools };
}

export async function run(): Promise<object> {
  const enc = getEncoding('o200k_base');
  const empty = measurePromptTokens();
  const withLessons = measurePromptTokens(TYPICAL_LESSONS);
  const perLesson = TYPICAL_LESSONS.split('\n').map((l) => enc.encode(l).length);
  return {
    name: 'prompt-size',
    unit: 'o200k tokens',
    budget: PROMPT_BUDGET_TOKENS,
    noLessons: empty,
    threeLessons: { ...withLessons, perLesson },
    withinBudget: empty.total <= PROMPT_BUDGET_TOKENS,
  };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
