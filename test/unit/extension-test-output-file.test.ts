/**
 * Which files the run view's "Test output" link may open: a run record's *.tests.txt of this workspace
 * (or of the git work tree it sits in), never anything a hostile message or a planted link points at.
 * Real files and links in a temp folder.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkTestOutputFile, MAX_TEST_OUTPUT_BYTES } from '../../src/extension/test-output-file';

const RUN = '20261201-024050-91c50e';

describe('extension: which test output files may be opened', () => {
  let root: string;
  let repo: string;
  let runDir: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-test-output-')));
    repo = path.join(root, 'repo');
    runDir = path.join(repo, '.reasoningbank', 'runs', RUN);
    fs.mkdirSync(runDir, { recursive: true });
    fs.mkdirSync(path.join(repo, '.git'));
    fs.mkdirSync(path.join(repo, 'pkg'));
    for (const name of ['attempt-0.tests.txt', 'attempt-0.round-1.tests.txt', 'baseline.tests.txt', 'result.json']) fs.writeFileSync(path.join(runDir, name), 'test run: …\n');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'password=hunter22\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('opens the run record\'s test output files of the workspace folder, and of the work tree a subfolder is in', () => {
    for (const name of ['attempt-0.tests.txt', 'attempt-0.round-1.tests.txt', 'baseline.tests.txt']) {
      assert.strictEqual(checkTestOutputFile(path.join(runDir, name), repo), path.join(runDir, name));
    }
    assert.strictEqual(checkTestOutputFile(path.join(runDir, 'attempt-0.tests.txt'), path.join(repo, 'pkg')), path.join(runDir, 'attempt-0.tests.txt'));
  });

  it('refuses any other file, a traversal, a relative path, or another workspace\'s record', () => {
    const refused = (file: string, folder = repo) => assert.throws(() => checkTestOutputFile(file, folder), /not opening/, file);
    refused(path.join(root, 'secret.txt'));
    refused('/etc/passwd');
    refused(path.join(runDir, 'result.json'));
    refused(path.join(runDir, '..', '..', '..', '..', 'secret.txt'));
    refused(`${runDir}/../${RUN}/../../../../secret.txt`);
    refused(path.join('.reasoningbank', 'runs', RUN, 'attempt-0.tests.txt'));
    refused(path.join(runDir, 'attempt-9.tests.txt'));
    // a folder beside the repository is not inside it
    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    refused(path.join(runDir, 'attempt-0.tests.txt'), other);
    // an ancestor of the workspace that is not its git work tree does not count
    fs.rmSync(path.join(repo, '.git'), { recursive: true });
    refused(path.join(runDir, 'attempt-0.tests.txt'), path.join(repo, 'pkg'));
  });

  it('refuses a test output file that is a link, or a run record reached through one', () => {
    const link = path.join(runDir, 'attempt-1.tests.txt');
    fs.symlinkSync(path.join(root, 'secret.txt'), link);
    assert.throws(() => checkTestOutputFile(link, repo), /not a regular file/);

    // .reasoningbank itself a link to a folder elsewhere that looks like a record
    const elsewhere = path.join(root, 'elsewhere', '.reasoningbank', 'runs', RUN);
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'attempt-0.tests.txt'), 'planted\n');
    fs.rmSync(path.join(repo, '.reasoningbank'), { recursive: true });
    fs.symlinkSync(path.join(root, 'elsewhere', '.reasoningbank'), path.join(repo, '.reasoningbank'));
    assert.throws(() => checkTestOutputFile(path.join(repo, '.reasoningbank', 'runs', RUN, 'attempt-0.tests.txt'), repo), /through a link/);
  });

  it('refuses a folder with the right name, a missing file and an oversized one', () => {
    fs.mkdirSync(path.join(runDir, 'attempt-2.tests.txt'));
    assert.throws(() => checkTestOutputFile(path.join(runDir, 'attempt-2.tests.txt'), repo), /not a regular file/);
    assert.throws(() => checkTestOutputFile(path.join(runDir, 'attempt-3.tests.txt'), repo), /no such file/);
    fs.writeFileSync(path.join(runDir, 'attempt-4.tests.txt'), 'x'.repeat(MAX_TEST_OUTPUT_BYTES + 1));
    assert.throws(() => checkTestOutputFile(path.join(runDir, 'attempt-4.tests.txt'), repo), /larger than/);
  });
});
