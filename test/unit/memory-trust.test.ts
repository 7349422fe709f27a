import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MemoryBank } from '../../src/engine/memory';
import { UntrustedBankError, assertTrustedBank, bankOrigin } from '../../src/engine/memory/trust';
import { cleanupTempDirs, git, tempDir } from '../fixtures/repos';

const BANK = path.join('.reasoningbank', 'memory.sqlite');

async function addLesson(file: string, title: string): Promise<void> {
  const bank = await MemoryBank.open(file);
  try {
    await bank.addManual({ title, description: `when ${title}`, content: `do ${title}` });
  } finally {
    bank.close();
  }
}

/** the identity it has now, failing when the bank is trusted without asking */
async function identityOf(file: string): Promise<string> {
  const origin = await bankOrigin(file);
  assert.ok(origin, `${file} should need confirming`);
  return origin.identity;
}

async function refusal(file: string, confirmed?: string): Promise<UntrustedBankError> {
  const err = await assertTrustedBank(file, confirmed).then(
    () => assert.fail('the bank was used without confirming this version'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof UntrustedBankError, String(err));
  assert.strictEqual(err.code, 'untrusted-memory');
  return err;
}

/** a repository that commits a bank, and a clone of it: the user's side */
async function clonedBank(): Promise<{ upstream: string; work: string; bank: string }> {
  const upstream = tempDir('rb-trust-up-');
  git(upstream, 'init', '-q', '-b', 'main');
  fs.mkdirSync(path.join(upstream, '.reasoningbank'));
  await addLesson(path.join(upstream, BANK), 'first lesson');
  git(upstream, 'add', '-f', BANK);
  git(upstream, 'commit', '-q', '-m', 'bank');
  const work = path.join(tempDir('rb-trust-work-'), 'clone');
  git(path.dirname(work), 'clone', '-q', upstream, work);
  return { upstream, work, bank: path.join(work, BANK) };
}

async function commitNewVersion(repo: string, title: string): Promise<void> {
  await addLesson(path.join(repo, BANK), title);
  git(repo, 'commit', '-q', '-am', title);
}

describe('memory bank trust', () => {
  afterEach(() => cleanupTempDirs());

  it('a missing bank or one this user made and git does not track is trusted', async () => {
    const repo = tempDir('rb-trust-');
    git(repo, 'init', '-q');
    const bank = path.join(repo, BANK);
    assert.strictEqual(await bankOrigin(bank), null);
    fs.mkdirSync(path.dirname(bank));
    fs.writeFileSync(bank, 'x');
    assert.strictEqual(await bankOrigin(bank), null);
    await assertTrustedBank(bank);
    assert.strictEqual(await bankOrigin(path.join(os.tmpdir(), 'rb-no-repo-here', 'm.sqlite')), null);
  });

  it('names the bank literally: a tracked file its name would match as a pattern does not count', async () => {
    const repo = tempDir('rb-trust-');
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, 'a.sqlite'), 'x');
    git(repo, 'add', 'a.sqlite');
    fs.writeFileSync(path.join(repo, '*.sqlite'), 'x');
    assert.strictEqual(await bankOrigin(path.join(repo, '*.sqlite')), null);
    assert.match((await bankOrigin(path.join(repo, 'a.sqlite')))!.reason, /tracked by git/);
  });

  it('a cloned bank stays trusted as the version confirmed: our own writes keep it, a pull of another version revokes it', async () => {
    const { upstream, work, bank } = await clonedBank();
    const first = await refusal(bank);
    assert.match(first.message, /tracked by git/);
    assert.match(first.message, /--trust-memory/);
    assert.strictEqual(first.changed, false);
    const confirmed = first.origin.identity;
    await assertTrustedBank(bank, confirmed);

    // the bank is written after every run: tracked and locally modified, still the version confirmed
    await addLesson(bank, 'our own lesson');
    assert.notStrictEqual(git(work, 'status', '--porcelain', '--', BANK), '');
    assert.strictEqual(await identityOf(bank), confirmed);
    await assertTrustedBank(bank, confirmed);

    await commitNewVersion(upstream, 'their lesson');
    git(work, 'stash', '-q');
    git(work, 'pull', '-q', '--no-rebase');
    const changed = await refusal(bank, confirmed);
    assert.strictEqual(changed.changed, true);
    assert.match(changed.message, /changed since it was trusted/);
    assert.match(changed.message, /a pull or checkout brought another version/);
    assert.notStrictEqual(changed.origin.identity, confirmed);
    await assertTrustedBank(bank, changed.origin.identity);
  });

  it('a checkout of another branch, or of another version of the file alone, revokes it; going back restores it', async () => {
    const { upstream, work, bank } = await clonedBank();
    const confirmed = await identityOf(bank);
    git(upstream, 'checkout', '-q', '-b', 'other');
    await commitNewVersion(upstream, 'other lesson');
    git(work, 'fetch', '-q', 'origin');

    git(work, 'checkout', '-q', 'origin/other');
    assert.strictEqual((await refusal(bank, confirmed)).changed, true);
    git(work, 'checkout', '-q', 'main');
    await assertTrustedBank(bank, confirmed);

    // HEAD stays where it is; the index (and the file) take the other version
    git(work, 'checkout', 'origin/other', '--', BANK);
    assert.strictEqual((await refusal(bank, confirmed)).changed, true);
  });

  it('a committed symlink to another tracked file is the version of both: a new version of the target revokes it', async () => {
    const repo = tempDir('rb-trust-');
    git(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, '.reasoningbank'));
    await addLesson(path.join(repo, 'lessons.sqlite'), 'first lesson');
    fs.symlinkSync(path.join('..', 'lessons.sqlite'), path.join(repo, BANK));
    git(repo, 'add', '-f', 'lessons.sqlite', BANK);
    git(repo, 'commit', '-q', '-m', 'bank');
    const bank = path.join(repo, BANK);
    const confirmed = await identityOf(bank);
    await addLesson(path.join(repo, 'lessons.sqlite'), 'second lesson');
    git(repo, 'commit', '-q', '-am', 'new target version');
    assert.strictEqual((await refusal(bank, confirmed)).changed, true);
  });

  it('a bank another user created is not ours; replaced, it is another bank', async function () {
    if (process.getuid!() !== 0) this.skip();
    const dir = tempDir('rb-trust-');
    const bank = path.join(dir, 'theirs.sqlite');
    await addLesson(bank, 'their lesson');
    fs.chownSync(bank, 65534, 65534);
    const first = await refusal(bank);
    assert.match(first.message, /another user \(uid 65534\)/);
    const confirmed = first.origin.identity;
    await assertTrustedBank(bank, confirmed);

    // replaced the way a bank is saved (temp + rename), by the same user
    const tmp = path.join(dir, 'theirs.tmp');
    fs.copyFileSync(bank, tmp);
    fs.chownSync(tmp, 65534, 65534);
    fs.renameSync(tmp, bank);
    assert.strictEqual((await refusal(bank, confirmed)).changed, true);

  });

  it('a bank git cannot check (a repository another user owns) is not taken as ours', async function () {
    if (process.getuid!() !== 0) this.skip();
    const repo = tempDir('rb-trust-');
    git(repo, 'init', '-q');
    const bank = path.join(repo, 'memory.sqlite');
    await addLesson(bank, 'a lesson');
    fs.chownSync(repo, 65534, 65534);
    fs.chownSync(path.join(repo, '.git'), 65534, 65534);
    const err = await refusal(bank);
    assert.match(err.message, /could not be checked with git \(.*dubious ownership/);
    await assertTrustedBank(bank, err.origin.identity);
    // outside any repository git tracks nothing: ours
    const loose = path.join(tempDir('rb-trust-'), 'memory.sqlite');
    await addLesson(loose, 'a lesson');
    assert.strictEqual(await bankOrigin(loose), null);
  });

  it('another user\'s bank that we then save is ours', async function () {
    if (process.getuid!() !== 0) this.skip();
    const bank = path.join(tempDir('rb-trust-'), 'theirs.sqlite');
    await addLesson(bank, 'their lesson');
    fs.chownSync(bank, 65534, 65534);
    await addLesson(bank, 'our lesson');
    assert.strictEqual(await bankOrigin(bank), null);
  });
});
