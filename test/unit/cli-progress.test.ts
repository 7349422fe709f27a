import { strict as assert } from 'assert';
import { describeEvent } from '../../src/cli/progress';

describe('CLI progress lines for retrieval', () => {
  it('names the lessons retrieved, says memory is off, or says the agent may recall one when none matched', () => {
    const base = { type: 'memory-retrieved' as const, runId: 'r' };
    assert.equal(describeEvent({ ...base, method: 'lexical', items: [{ id: 'a', title: 'Keep money in cents', score: 1 }] }), 'memory (lexical): 1 lesson(s) — "Keep money in cents"');
    assert.equal(describeEvent({ ...base, method: 'none', items: [] }), 'memory: off');
    assert.equal(describeEvent({ ...base, method: 'lexical', items: [] }), 'memory: no relevant lessons yet');
    assert.equal(describeEvent({ ...base, method: 'lexical', items: [], unmatched: 7 }), "memory: no lesson matched the task's words; the agent may recall one of 7");
  });
});
