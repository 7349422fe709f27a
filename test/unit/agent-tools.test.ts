import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { executeTool, TOOL_NAMES, TOOL_SPECS } from '../../src/engine/agent/tools';
import type { Workspace } from '../../src/engine/agent/confined-worktree';
import { makeRepo, removeAll, workspace } from './agent-helpers';

const call = (ws: Workspace, name: string, args: object | string) =>
  executeTool(ws, { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) });

describe('agent tools', () => {
  const dirs: string[] = [];
  afterEach(() => removeAll(...dirs.splice(0)));
  const repo = (files: Record<string, string>, opts?: { git?: boolean }) => {
    const dir = makeRepo(files, opts);
    dirs.push(dir);
    return dir;
  };

  it('has exactly the eight public tools (docs/CLI.md, "Agent tools") with their arguments', () => {
    assert.deepEqual(TOOL_NAMES, ['list_files', 'read_file', 'search', 'edit_file', 'write_file', 'run_command', 'recall', 'finish']);
    const params = Object.fromEntries(
      TOOL_SPECS.map((t) => {
        assert.equal(t.type, 'function');
        const fn = (t as unknown as { function: { name: string; parameters: { properties: object; required: string[] } } }).function;
        return [fn.name, { args: Object.keys(fn.parameters.properties), required: fn.parameters.required }];
      }),
    );
    assert.deepEqual(params, {
      list_files: { args: ['path', 'depth'], required: [] },
      read_file: { args: ['path', 'start_line', 'end_line'], required: ['path'] },
      search: { args: ['pattern', 'path', 'glob'], required: ['pattern'] },
      edit_file: { args: ['path', 'old_text', 'new_text'], required: ['path', 'old_text', 'new_text'] },
      write_file: { args: ['path', 'content'], required: ['path', 'content'] },
      run_command: { args: ['command', 'timeout_s'], required: ['command'] },
      recall: { args: ['ids', 'query'], required: [] },
      finish: { args: ['summary', 'lessons'], required: ['summary'] },
    });
  });

  describe('edit_file', () => {
    const source = ['function sum(a, b) {', '  return a - b;', '}', '', 'function twice(x) {', '  return x + x;', '}', 'const one = 1;', 'const one2 = 1;', ''].join('\n');

    it('replaces text that matches exactly once and shows the new lines', async () => {
      const dir = repo({ 'math.js': source });
      const r = await call(workspace(dir), 'edit_file', { path: 'math.js', old_text: '  return a - b;', new_text: '  return a + b;' });
      assert.equal(r.isError, false, r.output);
      assert.match(r.output, /Edited math\.js\. Lines 2-2/);
      assert.match(r.output, /2\t  return a \+ b;/);
      assert.equal(fs.readFileSync(path.join(dir, 'math.js'), 'utf8'), source.replace('a - b', 'a + b'));
    });

    it('writes nothing when old_text is not found, and shows the closest region with line numbers', async () => {
      const dir = repo({ 'math.js': source });
      const r = await call(workspace(dir), 'edit_file', {
        path: 'math.js',
        old_text: 'function twice(x) {\n    return x * x;\n}',
        new_text: 'nope',
      });
      assert.equal(r.isError, true);
      assert.match(r.output, /^Error: old_text was not found in math\.js; nothing was written/);
      assert.match(r.output, /closest region is lines 5-7/);
      assert.match(r.output, /6\t  return x \+ x;/);
      assert.equal(fs.readFileSync(path.join(dir, 'math.js'), 'utf8'), source);
    });

    it('writes nothing when old_text matches several times, and names the lines', async () => {
      const dir = repo({ 'math.js': source });
      const r = await call(workspace(dir), 'edit_file', { path: 'math.js', old_text: '= 1;', new_text: '= 2;' });
      assert.equal(r.isError, true);
      assert.match(r.output, /^Error: old_text matches 2 times in math\.js \(starting at lines 8, 9\); nothing was written/);
      assert.match(r.output, /8\tconst one = 1;/);
      assert.equal(fs.readFileSync(path.join(dir, 'math.js'), 'utf8'), source);
    });

    it('keeps Windows line endings and refuses an empty old_text', async () => {
      const dir = repo({ 'w.txt': 'one\r\ntwo\r\nthree\r\n' });
      const ws = workspace(dir);
      const r = await call(ws, 'edit_file', { path: 'w.txt', old_text: 'one\ntwo', new_text: 'uno\ndos' });
      assert.equal(r.isError, false, r.output);
      assert.equal(fs.readFileSync(path.join(dir, 'w.txt'), 'utf8'), 'uno\r\ndos\r\nthree\r\n');
      const empty = await call(ws, 'edit_file', { path: 'w.txt', old_text: '', new_text: 'x' });
      assert.match(empty.output, /^Error: old_text is empty/);
      const missing = await call(ws, 'edit_file', { path: 'nope.txt', old_text: 'a', new_text: 'b' });
      assert.match(missing.output, /^Error: file "nope.txt" does not exist/);
    });
  });

  describe('read_file', () => {
    it('numbers lines and pages a large file, saying how to get the next page', async () => {
      const lines = Array.from({ length: 600 }, (_, i) => `line ${i + 1}`);
      const dir = repo({ 'big.txt': lines.join('\n') + '\n', 'small.txt': 'a\nb\n' });
      const ws = workspace(dir);
      const small = await call(ws, 'read_file', { path: 'small.txt' });
      assert.equal(small.output, '1\ta\n2\tb');

      const first = await call(ws, 'read_file', { path: 'big.txt' });
      assert.match(first.output, /^  1\tline 1\n/);
      assert.match(first.output, /250\tline 250\n\[lines 1-250 of 600; next page: read_file start_line=251\]$/);
      assert.doesNotMatch(first.output, /line 251/);

      const last = await call(ws, 'read_file', { path: 'big.txt', start_line: '501' });
      assert.match(last.output, /^501\tline 501/);
      assert.match(last.output, /\[lines 501-600 of 600\]$/);

      const range = await call(ws, 'read_file', { path: 'big.txt', start_line: 10, end_line: 12 });
      assert.equal(range.output, '10\tline 10\n11\tline 11\n12\tline 12\n[lines 10-12 of 600; next page: read_file start_line=13]');

      const past = await call(ws, 'read_file', { path: 'big.txt', start_line: 700 });
      assert.match(past.output, /^Error: start_line 700 is past the end: "big.txt" has 600 lines/);
    });

    it('keeps a page of very long lines under the character cap', async () => {
      const dir = repo({ 'wide.txt': Array.from({ length: 100 }, () => 'x'.repeat(500)).join('\n') });
      const r = await call(workspace(dir), 'read_file', { path: 'wide.txt' });
      assert.ok(r.output.length < 10_000, `page of ${r.output.length} chars`);
      assert.match(r.output, /next page: read_file start_line=\d+\]$/);
    });

    it('explains folders, binaries and missing files', async () => {
      const dir = repo({ 'src/a.ts': 'a' });
      fs.writeFileSync(path.join(dir, 'bin.dat'), Buffer.from([1, 0, 2, 3]));
      const ws = workspace(dir);
      assert.match((await call(ws, 'read_file', { path: 'src' })).output, /^Error: "src" is a folder. Use list_files/);
      assert.match((await call(ws, 'read_file', { path: 'bin.dat' })).output, /^Error: "bin.dat" is a binary file/);
      assert.match((await call(ws, 'read_file', { path: 'nope.ts' })).output, /^Error: file "nope.ts" does not exist/);
    });
  });

  describe('list_files', () => {
    it('respects .gitignore (tracked and untracked files) and folds deep folders', async () => {
      const dir = repo({
        '.gitignore': 'dist/\n*.log\n',
        'src/index.ts': '',
        'src/lib/deep/x.ts': '',
        'src/lib/deep/y.ts': '',
        'README.md': '',
      });
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist/out.js'), '');
      fs.writeFileSync(path.join(dir, 'debug.log'), '');
      fs.writeFileSync(path.join(dir, 'untracked.ts'), '');
      const ws = workspace(dir);
      const r = await call(ws, 'list_files', { depth: 2 });
      assert.equal(r.isError, false, r.output);
      const entries = r.output.split('\n');
      assert.ok(entries.includes('src/index.ts'));
      assert.ok(entries.includes('untracked.ts'));
      assert.ok(entries.includes('README.md'));
      assert.ok(entries.includes('src/lib/ (2 files)'), r.output);
      assert.doesNotMatch(r.output, /dist|debug\.log/);

      const sub = await call(ws, 'list_files', { path: 'src/lib' });
      assert.deepEqual(sub.output.split('\n'), ['src/lib/deep/x.ts', 'src/lib/deep/y.ts']);
    });

    it('walks a folder that is not a git repository, skipping .git and node_modules', async () => {
      const dir = repo({ 'a.txt': '', 'node_modules/pkg/index.js': '', 'sub/b.txt': '' }, { git: false });
      const r = await call(workspace(dir), 'list_files', {});
      assert.deepEqual(r.output.split('\n'), ['a.txt', 'sub/b.txt']);
    });
  });

  describe('files that are not UTF-8', () => {
    it('are read as Latin-1 with a note, and an edit changes only the bytes it replaces', async () => {
      const dir = repo({});
      const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0x6f, 0x6c, 0x64, 0x0a, 0x80, 0xff, 0x0a]);
      fs.writeFileSync(path.join(dir, 'a.txt'), bytes);
      const ws = workspace(dir);
      const read = await call(ws, 'read_file', { path: 'a.txt' });
      assert.match(read.output, /^\(a\.txt is not valid UTF-8: shown byte for byte as Latin-1; .*\)\n1\tcaf\u00e9\n2\told\n3\t\u0080\u00ff$/);
      const edit = await call(ws, 'edit_file', { path: 'a.txt', old_text: 'old', new_text: 'new \u00e9' });
      assert.equal(edit.isError, false, edit.output);
      assert.deepEqual([...fs.readFileSync(path.join(dir, 'a.txt'))], [0x63, 0x61, 0x66, 0xe9, 0x0a, 0x6e, 0x65, 0x77, 0x20, 0xe9, 0x0a, 0x80, 0xff, 0x0a]);
      const wide = await call(ws, 'edit_file', { path: 'a.txt', old_text: 'new', new_text: 'new \u2713' });
      assert.match(wide.output, /^Error: a\.txt is not UTF-8 .* cannot be written into it; nothing was written/);
      assert.equal(fs.readFileSync(path.join(dir, 'a.txt')).length, 14);
    });

    it('a UTF-8 file with a BOM and CRLF keeps every byte outside the edit', async () => {
      const dir = repo({});
      const text = '\ufeffé line\r\nold\r\nz\r\n';
      fs.writeFileSync(path.join(dir, 'b.txt'), text, 'utf8');
      await call(workspace(dir), 'edit_file', { path: 'b.txt', old_text: 'old', new_text: 'new' });
      assert.deepEqual(fs.readFileSync(path.join(dir, 'b.txt')), Buffer.from(text.replace('old', 'new'), 'utf8'));
    });

    it('skips the closest-region search on a file over the cap and says so', async () => {
      const dir = repo({});
      fs.writeFileSync(path.join(dir, 'big.txt'), 'line of text\n'.repeat(500_000));
      const r = await call(workspace(dir), 'edit_file', { path: 'big.txt', old_text: 'no such line', new_text: 'x' });
      assert.match(r.output, /not found in big\.txt; nothing was written\. \(big\.txt is 6 MB: too big to look for the closest region/);
    });
  });

  describe('search', () => {
    it('finds regex matches with path:line, honours path, glob and .gitignore', async () => {
      const dir = repo({
        '.gitignore': 'build/\n',
        'src/a.ts': 'const x = 1;\nfunction sum(a, b) { return a - b; }\n',
        'src/b.js': 'function sum2() {}\n',
        'test/a.test.ts': 'sum(1, 2);\n',
      });
      fs.mkdirSync(path.join(dir, 'build'));
      fs.writeFileSync(path.join(dir, 'build/a.ts'), 'function sum() {}\n');
      const ws = workspace(dir);
      const all = await call(ws, 'search', { pattern: 'function sum\\d?\\(' });
      assert.deepEqual(all.output.split('\n'), ['src/a.ts:2: function sum(a, b) { return a - b; }', 'src/b.js:1: function sum2() {}']);
      const ts = await call(ws, 'search', { pattern: 'sum', glob: '*.ts' });
      assert.deepEqual(ts.output.split('\n'), ['src/a.ts:2: function sum(a, b) { return a - b; }', 'test/a.test.ts:1: sum(1, 2);']);
      const inTest = await call(ws, 'search', { pattern: 'sum', path: 'test' });
      assert.deepEqual(inTest.output.split('\n'), ['test/a.test.ts:1: sum(1, 2);']);
      const anchored = await call(ws, 'search', { pattern: '^function \\w+\\(a, b\\) \\{ return a - b; \\}$' });
      assert.deepEqual(anchored.output.split('\n'), ['src/a.ts:2: function sum(a, b) { return a - b; }']);
      const lineStart = await call(ws, 'search', { pattern: '^function sum\\(' });
      assert.deepEqual(lineStart.output.split('\n'), ['src/a.ts:2: function sum(a, b) { return a - b; }']);
      const none = await call(ws, 'search', { pattern: 'nothing-like-this' });
      assert.match(none.output, /^No matches/);
    });

    it('searches an invalid regex as plain text and says so', async () => {
      const dir = repo({ 'a.js': 'call(x\n' });
      const r = await call(workspace(dir), 'search', { pattern: 'call(' });
      assert.match(r.output, /not a regex this search supports.*searched as plain text\)\na\.js:1: call\(x$/);
      const look = await call(workspace(dir), 'search', { pattern: 'call(?=x)' });
      assert.match(look.output, /unsupported Perl syntax.*searched as plain text\)\nNo matches/);
    });

    it('runs a catastrophic regex in linear time: (a+)+$ over a long line of a\'s answers', async () => {
      // with a backtracking engine this never returns (the mocha timeout would fail the test)
      const dir = repo({ 'long.txt': 'a'.repeat(200_000) + 'b\n', 'short.txt': 'aaa\n' });
      const r = await call(workspace(dir), 'search', { pattern: '(a+)+$' });
      assert.equal(r.output, 'short.txt:1: aaa');
      const nested = await call(workspace(dir), 'search', { pattern: '^(a|aa|a?)*c' });
      assert.match(nested.output, /^No matches/);
    });

    it('names the files it skipped for size, also when nothing matched', async () => {
      const dir = repo({ 'small.js': 'needle\n' });
      fs.writeFileSync(path.join(dir, 'huge.log'), 'x'.repeat(3 * 1024 * 1024));
      const r = await call(workspace(dir), 'search', { pattern: 'nothing' });
      assert.match(r.output, /^No matches for \/nothing\/ in \. \(1 files searched\)\.\n\[not searched, over 2 MB: huge\.log;/);
      const hit = await call(workspace(dir), 'search', { pattern: 'needle' });
      assert.match(hit.output, /^small\.js:1: needle\n\[not searched, over 2 MB: huge\.log;/);
    });

    it('stops between files when the run is cancelled', async () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 400; i++) files[`f${i}.txt`] = 'x'.repeat(200_000) + '\n';
      const dir = repo(files);
      const ctl = new AbortController();
      ctl.abort();
      const r = await call(workspace(dir, { signal: ctl.signal }), 'search', { pattern: '(x+)+y' }).catch((e: Error) => ({ output: e.name, isError: true }));
      assert.match(r.output, /Cancelled|cancelled/);
    });
  });

  it('write_file creates folders and reports create/overwrite', async () => {
    const dir = repo({ 'a.txt': 'old' });
    const ws = workspace(dir);
    const created = await call(ws, 'write_file', { path: 'new/deep/b.txt', content: 'x\ny\n' });
    assert.equal(created.output, 'Created new/deep/b.txt (2 lines).');
    assert.equal(fs.readFileSync(path.join(dir, 'new/deep/b.txt'), 'utf8'), 'x\ny\n');
    const over = await call(ws, 'write_file', { path: 'a.txt', content: 'new' });
    assert.equal(over.output, 'Overwrote a.txt (1 line).');
    assert.match((await call(ws, 'write_file', { path: 'new', content: 'x' })).output, /^Error: "new" is a folder/);
  });

  it('turns malformed calls into Error observations', async () => {
    const dir = repo({ 'a.txt': 'a' });
    const ws = workspace(dir);
    const badJson = await call(ws, 'read_file', '{"path": "a.txt"');
    assert.equal(badJson.isError, true);
    assert.match(badJson.output, /^Error: the arguments of read_file are not valid JSON .*\{"path": "a.txt"/);
    assert.match((await call(ws, 'rm_rf', {})).output, /^Error: unknown tool "rm_rf". The tools are: list_files, read_file/);
    assert.match((await call(ws, 'read_file', {})).output, /^Error: read_file needs the argument "path"/);
    assert.match((await call(ws, 'read_file', { path: 7 })).output, /^Error: read_file: "path" must be a string/);
    assert.match((await call(ws, 'read_file', { path: 'a.txt', start_line: 'ten' })).output, /must be an integer/);
    assert.match((await call(ws, 'read_file', '[1,2]')).output, /must be a JSON object/);
    const finish = await call(ws, 'finish', { summary: 'all good' });
    assert.deepEqual(finish, { output: 'Finished.', isError: false, finish: { summary: 'all good', lessons: [] } });
    const cited = await call(ws, 'finish', { summary: 'done', lessons: ['abcd1234'] });
    assert.deepEqual(cited.finish, { summary: 'done', lessons: ['abcd1234'] });
    assert.deepEqual((await call(ws, 'finish', { summary: 'done', lessons: 'abcd1234' })).finish, { summary: 'done', lessons: ['abcd1234'] }, 'one id as a string');
    assert.match((await call(ws, 'finish', { summary: 'done', lessons: [1, 2] })).output, /^Error: finish: "lessons" must be a list of strings/);
  });

  it('recall asks the memory layer by ids or query, and says so when there is no memory', async () => {
    const ws = workspace(repo({ 'a.txt': 'a' }));
    const none = await call(ws, 'recall', { query: 'dates off by one' });
    assert.deepEqual(none, { output: 'No memory bank is in use for this run: there are no lessons to recall.', isError: false, recalled: [] });
    const asked: unknown[] = [];
    const context = {
      recall: async (request: { ids?: string[]; query?: string }) => {
        asked.push(request);
        return { text: 'the lesson', ids: ['full-id-1'] };
      },
    };
    const byId = await executeTool(ws, { name: 'recall', arguments: JSON.stringify({ ids: ['full-id'] }) }, undefined, context);
    assert.deepEqual(byId, { output: 'the lesson', isError: false, recalled: ['full-id-1'] });
    await executeTool(ws, { name: 'recall', arguments: JSON.stringify({ query: 'dates' }) }, undefined, context);
    assert.deepEqual(asked, [{ ids: ['full-id'], query: undefined }, { ids: undefined, query: 'dates' }]);
    const empty = await executeTool(ws, { name: 'recall', arguments: '{}' }, undefined, context);
    assert.match(empty.output, /^Error: recall needs "ids" \(from the lessons index\) or a "query"/);
    assert.equal(asked.length, 2);
  });
});
