/**
 * Byte-exact edits and patches through the built CLI: a Latin-1 file is read (and said to be not UTF-8),
 * edited on one line, and the patch applied to the user's tree changes exactly those bytes; a binary file
 * the agent writes arrives intact too.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { sequenceAgent } from '../fixtures/scripted-server';
import { cliHarness, git, makeRepo, runCli } from '../fixtures/repos';

describe('CLI solve keeps bytes exact', function () {
  this.timeout(120000);
  const h = cliHarness();

  it('edits a Latin-1 file without touching other bytes, and --apply lands the exact bytes', async () => {
    const repo = makeRepo({ 'README.md': 'x\n' });
    // "café" and "naïve" in Latin-1 (E9, EF), CRLF line endings, a line the agent changes in the middle
    const before = Buffer.from('// caf\xe9 menu\r\nconst price = 3;\r\n// na\xefve total\r\n', 'latin1');
    fs.writeFileSync(path.join(repo, 'menu.js'), before);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'latin1');
    h.server.setScript({
      agent: sequenceAgent([
        { name: 'read_file', arguments: { path: 'menu.js' } },
        { name: 'edit_file', arguments: { path: 'menu.js', old_text: 'const price = 3;', new_text: 'const price = 4; // d\xe9j\xe0 vu' } },
        { name: 'run_command', arguments: { command: "printf '\\001\\000\\377\\376' > logo.bin" } },
      ]),
      structured: { judge: () => ({ json: { success: true, reason: 'ok' } }), memory_items: () => ({ json: { items: [] } }) },
    });
    const run = await runCli(['solve', '--repo', repo, '--issue', 'the price is 4', '--apply', '--json'], { env: h.env });
    assert.strictEqual(run.code, 0, run.stderr + run.stdout);
    const result = JSON.parse(run.stdout);
    assert.ok(!result.patch.includes('\uFFFD'), 'no replacement characters in the patch');
    assert.strictEqual(result.applied, true);
    const after = fs.readFileSync(path.join(repo, 'menu.js'));
    assert.deepStrictEqual(after, Buffer.from('// caf\xe9 menu\r\nconst price = 4; // d\xe9j\xe0 vu\r\n// na\xefve total\r\n', 'latin1'));
    assert.deepStrictEqual([...fs.readFileSync(path.join(repo, 'logo.bin'))], [1, 0, 255, 254]);
    // the agent was told the file is not UTF-8
    const trajectory = fs.readFileSync(path.join(result.runDir, 'trajectory.jsonl'), 'utf8');
    assert.match(trajectory, /menu\.js is not valid UTF-8/);
  });
});
