/**
 * Finds the command that runs a project's tests, from the files that declare it. Checked in the order a
 * project's own declaration is most explicit: npm script, pytest configuration, go, cargo, a Makefile target.
 */
import * as fs from 'fs';
import * as path from 'path';

// what `npm init` writes: a placeholder, not a test suite
const NPM_PLACEHOLDER = /no test specified/i;

export async function detectTestCommand(dir: string): Promise<string | null> {
  const read = (name: string): string | null => {
    try {
      return fs.readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return null;
    }
  };

  const pkg = read('package.json');
  if (pkg !== null) {
    try {
      const test = (JSON.parse(pkg) as { scripts?: Record<string, unknown> }).scripts?.test;
      // --silent keeps npm's own banner and "npm ERR!" noise out of the output the judge and agent read
      if (typeof test === 'string' && test.trim() && !NPM_PLACEHOLDER.test(test)) return 'npm test --silent';
    } catch {
      // a broken package.json: look for other declarations
    }
  }

  if (usesPytest(dir, read)) return 'python3 -m pytest -q';
  if (read('go.mod') !== null) return 'go test ./...';
  if (read('Cargo.toml') !== null) return 'cargo test';

  for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
    const text = read(name);
    // a `test:` rule, not a `test := value` assignment
    if (text !== null && /^test\s*:(?!=)/m.test(text)) return 'make test';
  }
  return null;
}

function usesPytest(dir: string, read: (name: string) => string | null): boolean {
  if (read('pytest.ini') !== null || read('conftest.py') !== null) return true;
  if (/^\[tool\.pytest/m.test(read('pyproject.toml') ?? '')) return true;
  if (/^\[tool:pytest\]/m.test(read('setup.cfg') ?? '')) return true;
  if (/^\[pytest\]/m.test(read('tox.ini') ?? '')) return true;
  for (const sub of ['tests', 'test']) {
    try {
      if (fs.readdirSync(path.join(dir, sub)).some((f) => /^test_.*\.py$|_test\.py$/.test(f))) return true;
    } catch {
      // no such folder
    }
  }
  return false;
}
