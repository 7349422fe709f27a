/**
 * The fixed cost of every agent step: the system prompt plus the eight tool schemas, in o200k tokens (at
 * most 900), and what a typical lessons block adds to the first user message: one lesson in full and seven
 * index lines.
 */
import { getEncoding } from 'js-tiktoken';
import { lessonsBlock } from '../src/engine/agent/lesson-data';
import { buildSystemPrompt } from '../src/engine/agent/loop';
import { TOOL_SPECS } from '../src/engine/agent/tools';
import { renderLessonIndex } from '../src/engine/memory/lesson-index';

export const PROMPT_BUDGET_TOKENS = 900;

const lesson = (n: number, title: string, description: string, content: string) => ({
  id: `${n}f3a9c1e-0000-4000-8000-00000000000${n}`,
  title,
  description,
  content,
  source: 'single' as const,
  uses: n,
  wins: n - 1,
  losses: 1,
});

/** What a memory layer typically gives: the best lesson in full, seven more as index lines. */
export const TYPICAL_LESSONS = renderLessonIndex([
  lesson(
    1,
    'Reproduce before editing',
    'Use when a bug report names a wrong result.',
    'Write or run the smallest failing check first (an existing test or a one-line script); fixes made without a reproduction often patch the symptom in the wrong function and leave the real cause in place.',
  ),
  lesson(2, 'Trace the value to where it is computed', 'Use when output is wrong but the caller looks fine.', ''),
  lesson(3, 'Do not edit tests to make them pass', 'Applies when a test fails after a change.', ''),
  lesson(4, 'Convert instants to the user time zone before taking the calendar day', 'Use when a date is off by one day for people far from UTC.', ''),
  lesson(5, 'Flush the final partial batch', 'Use when the last few items of a stream are never processed.', ''),
  lesson(6, 'Treat zero as a valid count', 'Use when an option of 0 behaves like no option given.', ''),
  lesson(7, 'Check response.ok before parsing the body', 'Use when fetch succeeds on HTTP errors and later code fails on the body.', ''),
  lesson(8, 'Use the exclusive end when slicing ranges', 'Use when a range of pages, rows or lines misses the last element.', ''),
]);

export function measurePromptTokens(): { system: number; tools: number; total: number } {
  const enc = getEncoding('o200k_base');
  const system = enc.encode(buildSystemPrompt()).length;
  // the schemas as they go over the wire in the request body
  const tools = enc.encode(JSON.stringify(TOOL_SPECS)).length;
  return { system, tools, total: system + tools };
}

export function measureLessonsBlock(): { block: number; fullLesson: number; indexLines: number[] } {
  const enc = getEncoding('o200k_base');
  const [full, more] = TYPICAL_LESSONS.split('\n\n');
  const lines = (more ?? '').split('\n').slice(1);
  return { block: enc.encode(lessonsBlock(TYPICAL_LESSONS)).length, fullLesson: enc.encode(full ?? '').length, indexLines: lines.map((l) => enc.encode(l).length) };
}

export async function run(): Promise<object> {
  const fixed = measurePromptTokens();
  return {
    name: 'prompt-size',
    unit: 'o200k tokens',
    budget: PROMPT_BUDGET_TOKENS,
    tools: TOOL_SPECS.length,
    fixedPrompt: fixed,
    withinBudget: fixed.total <= PROMPT_BUDGET_TOKENS,
    firstMessageLessons: measureLessonsBlock(),
  };
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
