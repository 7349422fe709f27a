import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { listFiles, PackageManager } from '@vscode/vsce';

const ROOT = path.resolve(__dirname, '..', '..');

/** What `npm run package` would put in the VSIX: the bundle and its assets, never test-only code. */
describe('VSIX contents', function () {
  this.timeout(60000);

  it('leaves out tests, sources and the test-only vscode.lm provider', async () => {
    const files = await listFiles({ cwd: ROOT, packageManager: PackageManager.None });
    assert.ok(files.includes('package.json'));
    const stray = files.filter((f) => !/^(package\.json|README\.md|LICENSE(\.md)?|CHANGELOG\.md|dist\/|media\/)/.test(f));
    assert.deepEqual(stray, [], 'files outside the bundle would be packaged');
  });

  it('the shipped extension uses no proposed API (the scripted provider needs "chatProvider"; the extension must not)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.enabledApiProposals, undefined);
    const provider = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'integration', 'lm-provider', 'package.json'), 'utf8'));
    assert.deepEqual(provider.enabledApiProposals, ['chatProvider']);
  });
});
