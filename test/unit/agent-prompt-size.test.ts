import { strict as assert } from 'assert';
import { PROMPT_BUDGET_TOKENS, measureLessonsBlock, measurePromptTokens } from '../../perf/prompt-size';
import { buildSystemPrompt, initialMessages } from '../../src/engine/agent/loop';
import { TOOL_SPECS } from '../../src/engine/agent/tools';

describe('agent prompt size (lean prompts, docs/ARCHITECTURE.md)', () => {
  it(`keeps the system prompt plus the eight tool schemas within ${PROMPT_BUDGET_TOKENS} o200k tokens`, () => {
    assert.equal(TOOL_SPECS.length, 8);
    const fixed = measurePromptTokens();
    assert.ok(fixed.total <= PROMPT_BUDGET_TOKENS, JSON.stringify(fixed));
  });

  it('keeps every index line of the lessons block within about 40-50 tokens', () => {
    const block = measureLessonsBlock();
    assert.equal(block.indexLines.length, 7);
    for (const n of block.indexLines) assert.ok(n <= 52, `an index line of ${n} tokens`);
  });

  it('leaves lessons out of the system prompt: they follow the task in the first user message', () => {
    assert.doesNotMatch(buildSystemPrompt(), /Lessons from earlier tasks follow/);
    const [system, user] = initialMessages('Fix the bug.', '- a lesson');
    assert.equal(system!.content, buildSystemPrompt());
    assert.match(String(user!.content), /^Fix the bug\.\n\nLessons from earlier tasks follow[\s\S]*<lessons>\n- a lesson\n<\/lessons>$/);
    assert.equal(initialMessages('Fix the bug.', '  \n')[1]!.content, 'Fix the bug.');
  });

  it('says how many lessons recall could search when none was shown, and only then', () => {
    const user = (lessons: string, unmatched: number) => String(initialMessages('Fix the bug.', lessons, unmatched)[1]!.content);
    assert.match(user('', 12), /^Fix the bug\.\n\nThe memory bank holds 12 lessons from earlier tasks; none shares enough words[^<]*recall/);
    assert.doesNotMatch(user('- a lesson', 12), /memory bank holds/, 'lessons shown: the block, no hint');
    assert.equal(user('', 0), 'Fix the bug.');
  });
});
