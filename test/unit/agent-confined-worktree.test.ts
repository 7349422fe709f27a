import { isAlive } from '../fixtures/repos';
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { executeTool } from '../../src/engine/agent/tools';
import { ToolError } from '../../src/engine/agent/confined-worktree';
import { scrubEnv } from '../../src/engine/exec';
import { makeRepo, removeAll, tempDir, workspace } from './agent-helpers';

describe('agent workspace: path confinement', () => {
  let repo: string;
  let outside: string;

  beforeEach(() => {
    repo = makeRepo({ 'src/a.ts': 'export const a = 1;\n', 'README.md': '# hi\n' });
    outside = tempDir('rb-outside-');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'TOP SECRET\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'file-link'));
    fs.symlinkSync(outside, path.join(repo, 'dir-link'));
    fs.symlinkSync(path.join(outside, 'not-there-yet.txt'), path.join(repo, 'dangling'));
    fs.symlinkSync(path.join(repo, 'src', 'a.ts'), path.join(repo, 'inner-link'));
  });
  afterEach(() => removeAll(repo, outside));

  it('resolves relative paths, including files not created yet, inside the root', () => {
    const ws = workspace(repo);
    const root = fs.realpathSync(repo);
    assert.equal(ws.resolve('src/a.ts'), path.join(root, 'src/a.ts'));
    assert.equal(ws.resolve('src/../README.md'), path.join(root, 'README.md'));
    assert.equal(ws.resolve('new/deep/file.ts'), path.join(root, 'new/deep/file.ts'));
    assert.equal(ws.resolve(undefined), root);
    assert.equal(ws.resolve('inner-link'), path.join(root, 'src/a.ts'));
  });

  it('accepts an absolute path that lies inside the root, refuses one outside', () => {
    const ws = workspace(repo);
    assert.equal(ws.resolve(path.join(repo, 'src/a.ts')), path.join(fs.realpathSync(repo), 'src/a.ts'));
    assert.throws(() => ws.resolve('/etc/passwd'), (e: Error) => e instanceof ToolError && /outside the repository/.test(e.message));
  });

  it('refuses ".." escapes', () => {
    const ws = workspace(repo);
    for (const p of ['..', '../x', 'src/../../x', `../${path.basename(outside)}/secret.txt`]) {
      assert.throws(() => ws.resolve(p), /leads outside the repository/, p);
    }
  });

  it('refuses file and folder symlinks that lead outside, and dangling links', () => {
    const ws = workspace(repo);
    assert.throws(() => ws.resolve('file-link'), /symbolic link/);
    assert.throws(() => ws.resolve('dir-link'), /symbolic link/);
    assert.throws(() => ws.resolve('dir-link/secret.txt'), /symbolic link/);
    assert.throws(() => ws.resolve('dir-link/new/file.txt'), /symbolic link/);
    assert.throws(() => ws.resolve('dangling'), /broken symbolic link/);
  });

  it('tools refuse escapes with an Error observation and touch nothing outside', async () => {
    const ws = workspace(repo);
    const read = await executeTool(ws, { name: 'read_file', arguments: JSON.stringify({ path: 'file-link' }) });
    assert.equal(read.isError, true);
    assert.match(read.output, /^Error: .*symbolic link/);
    assert.doesNotMatch(read.output, /TOP SECRET/);

    const write = await executeTool(ws, { name: 'write_file', arguments: JSON.stringify({ path: 'dir-link/pwned.txt', content: 'x' }) });
    assert.match(write.output, /^Error: /);
    assert.equal(fs.existsSync(path.join(outside, 'pwned.txt')), false);

    const viaDangling = await executeTool(ws, { name: 'write_file', arguments: JSON.stringify({ path: 'dangling', content: 'x' }) });
    assert.match(viaDangling.output, /^Error: /);
    assert.equal(fs.existsSync(path.join(outside, 'not-there-yet.txt')), false);

    const edit = await executeTool(ws, { name: 'edit_file', arguments: JSON.stringify({ path: '../' + path.basename(outside) + '/secret.txt', old_text: 'TOP', new_text: 'NO' }) });
    assert.match(edit.output, /^Error: .*outside/);
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'TOP SECRET\n');

    const abs = await executeTool(ws, { name: 'read_file', arguments: JSON.stringify({ path: path.join(outside, 'secret.txt') }) });
    assert.match(abs.output, /^Error: .*outside the repository/);

    const list = await executeTool(ws, { name: 'list_files', arguments: JSON.stringify({ path: 'dir-link' }) });
    assert.match(list.output, /^Error: /);
    const search = await executeTool(ws, { name: 'search', arguments: JSON.stringify({ pattern: 'SECRET', path: 'dir-link' }) });
    assert.match(search.output, /^Error: /);
  });
});

describe('agent workspace: run_command', () => {
  let repo: string;
  beforeEach(() => {
    repo = makeRepo({ 'a.txt': 'a\n' });
  });
  afterEach(() => removeAll(repo));

  it('runs in the root and reports the exit code', async () => {
    const ws = workspace(repo);
    const r = await executeTool(ws, { name: 'run_command', arguments: JSON.stringify({ command: 'pwd; cat a.txt; exit 3' }) });
    assert.equal(r.isError, false);
    assert.match(r.output, /^\[exit code 3\]/);
    assert.ok(r.output.includes(fs.realpathSync(repo)));
  });

  it('kills the whole process tree at the timeout, grandchildren included', async () => {
    const ws = workspace(repo);
    const r = await executeTool(ws, {
      name: 'run_command',
      arguments: JSON.stringify({ command: "bash -c 'sleep 100 & echo $! > grandchild.pid; sleep 100'", timeout_s: 1 }),
    });
    assert.match(r.output, /timed out after 1 s/);
    const pid = Number(fs.readFileSync(path.join(repo, 'grandchild.pid'), 'utf8').trim());
    assert.ok(pid > 0);
    assert.equal(isAlive(pid), false, `grandchild ${pid} survived the timeout`);
  });

  it('gives commands a scrubbed environment', async () => {
    const saved = { key: process.env.OPENAI_API_KEY, token: process.env.GITHUB_TOKEN };
    process.env.OPENAI_API_KEY = 'sk-should-not-leak';
    process.env.GITHUB_TOKEN = 'ghp_should_not_leak';
    try {
      const ws = workspace(repo, { env: scrubEnv(process.env) });
      const r = await executeTool(ws, { name: 'run_command', arguments: JSON.stringify({ command: 'env' }) });
      assert.match(r.output, /^\[exit code 0\]/);
      assert.match(r.output, /\nPATH=/);
      assert.doesNotMatch(r.output, /OPENAI_API_KEY|GITHUB_TOKEN|should-not-leak|should_not_leak/);
    } finally {
      restore('OPENAI_API_KEY', saved.key);
      restore('GITHUB_TOKEN', saved.token);
    }
  });

  it('asks the approver first; a denial is an observation and nothing runs', async () => {
    const asked: { command: string; attempt: number }[] = [];
    const ws = workspace(repo, {
      attempt: 2,
      approve: async (req) => {
        asked.push(req);
        return { allowed: false, reason: 'not on my machine' };
      },
    });
    const r = await executeTool(ws, { name: 'run_command', arguments: JSON.stringify({ command: 'touch ran.txt' }) });
    assert.deepEqual(asked, [{ command: 'touch ran.txt', attempt: 2 }]);
    assert.equal(r.isError, true);
    assert.match(r.output, /^Error: .*denied.*not on my machine/);
    assert.equal(fs.existsSync(path.join(repo, 'ran.txt')), false);

    const allowing = workspace(repo, { approve: async () => ({ allowed: true }) });
    const ok = await executeTool(allowing, { name: 'run_command', arguments: JSON.stringify({ command: 'touch ran.txt' }) });
    assert.match(ok.output, /^\[exit code 0\]/);
    assert.equal(fs.existsSync(path.join(repo, 'ran.txt')), true);
  });

  it('caps timeout_s at the maximum and says so', async () => {
    const ws = workspace(repo, { maxTimeoutS: 5 });
    const r = await executeTool(ws, { name: 'run_command', arguments: JSON.stringify({ command: 'true', timeout_s: 9999 }) });
    assert.match(r.output, /timeout_s was limited to 5 s/);
    const bad = await executeTool(ws, { name: 'run_command', arguments: JSON.stringify({ command: 'true', timeout_s: -1 }) });
    assert.match(bad.output, /^Error: timeout_s must be a positive/);
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

