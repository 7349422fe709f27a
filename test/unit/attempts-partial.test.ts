import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { partialWork } from '../../src/engine/attempts/attempt';
import { createWorktree, disposeAllWorktrees } from '../../src/engine/git/worktree';
import { cleanupTempDirs, makeRepo, tempDir } from '../fixtures/repos';

describe('what a failed attempt got done', function () {
  this.timeout(60000);
  afterEach(async () => {
    await disposeAllWorktrees();
    cleanupTempDirs();
  });

  it('keeps the steps and the partial patch, and saves the patch in the run folder', async () => {
    const repo = makeRepo({ 'a.js': 'module.exports = 1;\n' });
    const runDir = tempDir('rb-run-');
    const worktree = await createWorktree({ repo, runId: 'partial', index: 2, worktreeDir: tempDir('rb-wt-') });
    fs.writeFileSync(path.join(worktree.path, 'a.js'), 'module.exports = 2;\n');
    const step = { step: 1, thought: null, actions: [], tokens: { prompt: 1, completion: 1 }, at: new Date().toISOString() };
    const work = await partialWork(runDir, { index: 2, worktree }, [step, { ...step, step: 2 }]);
    assert.equal(work.steps, 2);
    assert.match(work.patch, /^\+module\.exports = 2;$/m);
    assert.equal(fs.readFileSync(path.join(runDir, 'attempt-2.partial.diff'), 'utf8'), work.patch);
  });

  it('still keeps the steps when the worktree cannot be diffed any more', async () => {
    const repo = makeRepo({ 'a.js': 'module.exports = 1;\n' });
    const runDir = tempDir('rb-run-');
    const worktree = await createWorktree({ repo, runId: 'partial', index: 0, worktreeDir: tempDir('rb-wt-') });
    fs.rmSync(path.join(worktree.path, '.git'));
    const step = { step: 1, thought: 'x', actions: [], tokens: { prompt: 1, completion: 1 }, at: new Date().toISOString() };
    const work = await partialWork(runDir, { index: 0, worktree }, [step]);
    assert.deepEqual({ steps: work.steps, patch: work.patch }, { steps: 1, patch: '' });
    assert.deepEqual(fs.readdirSync(runDir), []);
  });
});
