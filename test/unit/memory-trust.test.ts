import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { untrustedBankReason } from '../../src/engine/memory/trust';

describe('memory bank trust', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'pipe' });
  beforeEach(() => {
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-trust-')));
    git('init', '-q');
    fs.mkdirSync(path.join(repo, '.reasoningbank'));
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('a missing bank or one this user made and git does not track is trusted', async () => {
    const bank = path.join(repo, '.reasoningbank', 'memory.sqlite');
    assert.strictEqual(await untrustedBankReason(bank), null);
    fs.writeFileSync(bank, 'x');
    assert.strictEqual(await untrustedBankReason(bank), null);
    assert.strictEqual(await untrustedBankReason(path.join(os.tmpdir(), 'rb-no-repo-here', 'm.sqlite')), null);
  });

  it('a bank git tracks came with the repository', async () => {
    const bank = path.join(repo, '.reasoningbank', 'memory.sqlite');
    fs.writeFileSync(bank, 'x');
    git('add', '-f', bank);
    assert.match((await untrustedBankReason(bank))!, /tracked by git/);
  });

  it('a bank another user created is not ours', async function () {
    if (process.getuid!() !== 0) this.skip();
    const bank = path.join(repo, '.reasoningbank', 'theirs.sqlite');
    fs.writeFileSync(bank, 'x');
    fs.chownSync(bank, 65534, 65534);
    assert.match((await untrustedBankReason(bank))!, /another user/);
  });
});
