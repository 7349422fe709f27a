/**
 * Real project shapes through the built CLI: mocha, jest-shaped and pytest projects with their dependency
 * folders linked under every common way of ignoring them, and a test run that writes a report file. The
 * patch must be exactly the fix (no report, whether the baseline or the agent ran the tests; no linked
 * folder), and --apply lands it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { sequenceAgent } from '../fixtures/scripted-server';
import { cliHarness, git, makeRepo, runCli } from '../fixtures/repos';
import { PROJECT_SHAPES, depPath, type ProjectShape } from '../fixtures/projects';

function hasPytest(): boolean {
  try {
    execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function makeProject(shape: ProjectShape, ignore: string): string {
  const repo = makeRepo({ ...shape.files, ...(ignore ? { '.gitignore': ignore + '\n' } : {}) });
  for (const [rel, text] of Object.entries(shape.deps)) {
    const file = depPath(repo, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  for (const rel of shape.executables) fs.chmodSync(depPath(repo, rel), 0o755);
  return repo;
}

describe('CLI solve on mocha, jest and pytest project shapes', function () {
  this.timeout(120000);
  const h = cliHarness();
  const pytest = hasPytest();

  for (const shape of PROJECT_SHAPES) {
    for (const ignore of shape.ignoreVariants) {
      it(`${shape.name} with .gitignore ${JSON.stringify(ignore)}: the patch is the fix alone and applies`, async function () {
        if (shape.name === 'pytest' && !pytest) {
          console.log('      skipped: python3 -m pytest is not available on this machine');
          this.skip();
        }
        const repo = makeProject(shape, ignore);
        h.server.setScript({
          agent: sequenceAgent([
            { name: 'read_file', arguments: { path: shape.fix.path } },
            { name: 'edit_file', arguments: shape.fix },
            // the agent checks its work the way the project does: the run writes its report in the worktree
            { name: 'run_command', arguments: { command: shape.testCommand } },
          ]),
          structured: { judge: () => ({ json: { success: true, reason: 'fixed' } }), memory_items: () => ({ json: { items: [] } }) },
        });
        const run = await runCli(['solve', '--repo', repo, '--issue', 'the test fails', '--test', shape.testCommand, '--apply', '--json'], { env: h.env });
        assert.strictEqual(run.code, 0, run.stderr + run.stdout);
        const result = JSON.parse(run.stdout);
        assert.strictEqual(result.status, 'resolved');
        // the baseline ran (and failed) in a worktree of its own; the tests after the change pass
        assert.match(run.stderr, /baseline/i);
        assert.strictEqual(result.tests.exitCode, 0, JSON.stringify(result.tests));
        const touched = [...result.patch.matchAll(/^diff --git a\/(\S+) /gm)].map((m: RegExpMatchArray) => m[1]);
        assert.deepStrictEqual(touched, [shape.fix.path], result.patch);
        assert.strictEqual(result.applied, true);
        assert.ok(fs.readFileSync(path.join(repo, shape.fix.path), 'utf8').includes(shape.fix.new_text));
        // nothing the test runs wrote reached the user's tree, and no worktree is left
        assert.ok(!fs.existsSync(path.join(repo, shape.report)), 'no report file in the user\'s tree');
        assert.strictEqual(git(repo, 'status', '--porcelain', '--untracked-files=all', '--', '.', ':!.reasoningbank').split('\n').filter((l) => l && !/node_modules|\.venv/.test(l)).join('\n'), ` M ${shape.fix.path}`);
        assert.strictEqual(git(repo, 'worktree', 'list').trim().split('\n').length, 1);
        execFileSync('sh', ['-c', shape.testCommand], { cwd: repo, stdio: 'pipe' });
      });
    }
  }
});
