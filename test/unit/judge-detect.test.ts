import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { detectTestCommand } from '../../src/engine/judge/detect';

describe('detectTestCommand', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-detect-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds nothing in an empty folder', async () => {
    assert.equal(await detectTestCommand(dir), null);
  });

  it('uses the package.json test script', async () => {
    write('package.json', JSON.stringify({ scripts: { test: 'node --test' } }));
    assert.equal(await detectTestCommand(dir), 'npm test --silent');
  });

  it("skips npm's placeholder script and looks further", async () => {
    write('package.json', JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    assert.equal(await detectTestCommand(dir), null);
    write('Makefile', 'build:\n\tcc main.c\n\ntest: build\n\t./run-tests\n');
    assert.equal(await detectTestCommand(dir), 'make test');
  });

  it('survives a broken package.json', async () => {
    write('package.json', '{ not json');
    write('go.mod', 'module example.com/x\n');
    assert.equal(await detectTestCommand(dir), 'go test ./...');
  });

  for (const [file, text] of [
    ['pytest.ini', '[pytest]\n'],
    ['pyproject.toml', '[project]\nname = "x"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n'],
    ['setup.cfg', '[metadata]\nname = x\n\n[tool:pytest]\ntestpaths = tests\n'],
    ['tox.ini', '[tox]\nenvlist = py312\n\n[pytest]\naddopts = -q\n'],
    ['tests/test_calc.py', 'def test_x():\n    assert True\n'],
    ['conftest.py', ''],
  ] as const) {
    it(`recognises pytest from ${file}`, async () => {
      write(file, text);
      assert.equal(await detectTestCommand(dir), 'python3 -m pytest -q');
    });
  }

  it('does not take a pyproject without pytest configuration for pytest', async () => {
    write('pyproject.toml', '[project]\nname = "x"\n');
    assert.equal(await detectTestCommand(dir), null);
  });

  it('recognises cargo', async () => {
    write('Cargo.toml', '[package]\nname = "x"\n');
    assert.equal(await detectTestCommand(dir), 'cargo test');
  });

  it('wants a real test target in a Makefile, not a variable', async () => {
    write('Makefile', 'test := unit\nall:\n\techo hi\n');
    assert.equal(await detectTestCommand(dir), null);
  });

  it('prefers the npm script over other declarations', async () => {
    write('Makefile', 'test:\n\tnpm test\n');
    write('package.json', JSON.stringify({ scripts: { test: 'mocha' } }));
    assert.equal(await detectTestCommand(dir), 'npm test --silent');
  });
});
