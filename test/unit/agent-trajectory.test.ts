import { strict as assert } from 'assert';
import { summarizeTrajectory } from '../../src/engine/agent/trajectory';
import type { AgentOutcome, TrajectoryStep } from '../../src/engine/agent/types';

function steps(n: number, outputChars = 50): TrajectoryStep[] {
  return Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    thought: `thinking about step ${i + 1}`,
    actions: [
      { id: `c${i}`, name: i % 2 ? 'run_command' : 'read_file', args: JSON.stringify({ path: `f${i}.ts` }), output: `out${i} ` + 'y'.repeat(outputChars), isError: i === 3 },
    ],
    tokens: { prompt: 10, completion: 5 },
    at: '2025-01-01T00:00:00.000Z',
  }));
}

describe('agent trajectory summary', () => {
  it('shows thought, tool, arguments and result per step, and how the attempt ended', () => {
    const outcome: AgentOutcome = { reason: 'finish', summary: 'fixed the sign', steps: 4, messages: [], trajectory: steps(4), recalled: [], cited: [] };
    const text = summarizeTrajectory(outcome, 10_000);
    assert.match(text, /^Step 1:\n  thought: thinking about step 1\n  read_file\(\{"path":"f0.ts"\}\)\n  => out0 y+/);
    assert.match(text, /Step 4:[\s\S]*=> ERROR out3/);
    assert.match(text, /Outcome after 4 steps: finished: fixed the sign$/);
  });

  it('fits any trajectory into maxChars, keeping its beginning and its end', () => {
    const outcome: AgentOutcome = { reason: 'max-steps', summary: '', steps: 300, messages: [], trajectory: steps(300, 5000), recalled: [], cited: [] };
    for (const max of [500, 4000, 20000]) {
      const text = summarizeTrajectory(outcome, max);
      assert.ok(text.length <= max, `${text.length} > ${max}`);
      assert.match(text, /^Step 1:/);
      assert.match(text, /Outcome after 300 steps: stopped at the step limit$/);
    }
    // a short trajectory keeps its detail
    assert.ok(summarizeTrajectory(steps(2, 400), 10_000).includes('y'.repeat(400)));
  });
});
