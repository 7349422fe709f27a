import { strict as assert } from 'assert';
import type { AttemptRun } from '../../src/engine/attempts/attempt';
import type { RetrievedForPrompt } from '../../src/engine/lesson-memory';
import { lessonsUsed } from '../../src/engine/solve';

const A = 'aaaaaaaa-0000-4000-8000-000000000000';
const B = 'bbbbbbbb-0000-4000-8000-000000000000';
const C = 'cccccccc-0000-4000-8000-000000000000';

function attempt(recalled: string[], cited: string[]): AttemptRun {
  return { material: { index: 0, verdict: { success: true, reason: '', decidedBy: 'tests' }, steps: 1, patch: '', trajectory: '', tests: null, recalled, cited } } as unknown as AttemptRun;
}

function retrieved(full: string[] | undefined): RetrievedForPrompt {
  return { ids: [A, B, C], ...(full ? { full } : {}), prompt: 'x', method: 'lexical', items: [] };
}

describe('which lessons a run used', () => {
  it('the one shown in full, those recalled and those cited; listed-only ones are not used', () => {
    assert.deepEqual(lessonsUsed(retrieved([A]), [attempt([], [])]).used, [A]);
    assert.deepEqual(lessonsUsed(retrieved([]), [attempt([], [])]).used, [], 'only index lines (a weak match): nothing used');
    assert.deepEqual(lessonsUsed(retrieved([]), [attempt([B], ['cccccccc'])]).used, [B, C], 'opened or cited by short id');
    assert.deepEqual(lessonsUsed(retrieved(undefined), [attempt([], [])]).used, [A, B, C], 'a memory that shows everything in full');
  });
});
