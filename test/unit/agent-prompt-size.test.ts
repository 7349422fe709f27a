import { strict as assert } from 'assert';
import { PROMPT_BUDGET_TOKENS, TYPICAL_LESSONS, measurePromptTokens } from '../../perf/prompt-size';
import { buildSystemPrompt } from '../../src/engine/agent/loop';

describe('agent prompt size (lean prompts, docs/ARCHITECTURE.md)', () => {
  it(`keeps the system prompt plus the seven tool schemas within ${PROMPT_BUDGET_TOKENS} o200k tokens`, () => {
    const empty = measurePromptTokens();
    assert.ok(empty.total <= PROMPT_BUDGET_TOKENS, `without lessons: ${JSON.stringify(empty)}`);
    const withLessons = measurePromptTokens(TYPICAL_LESSONS);
    assert.ok(withLessons.total <= PROMPT_BUDGET_TOKENS, `with three lessons: ${JSON.stringify(withLessons)}`);
    assert.ok(withLessons.system > empty.system);
  });

  it('has no lessons header when there are no lessons', () => {
    assert.doesNotMatch(buildSystemPrompt(), /Lessons/);
    assert.doesNotMatch(buildSystemPrompt('   \n'), /Lessons/);
    assert.match(buildSystemPrompt('- a lesson'), /## Lessons from earlier tasks[\s\S]*\n- a lesson$/);
  });
});
