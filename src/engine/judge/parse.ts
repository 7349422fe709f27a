/**
 * Passed/failed counts from the summary test runners print. Each runner family has its own reader; when a
 * command runs several runners (`mocha && node --test`), their counts add up. Null when nothing is
 * recognised: the exit code then stands alone.
 */
import { plainText } from '../text';

export interface TestCounts {
  passed: number;
  failed: number;
}

type Reader = (text: string) => TestCounts | null;

const int = (s: string | undefined) => (s ? Number.parseInt(s, 10) : 0);

/** The last match of `re` (global) in `text`, or null. Runners print their final summary last. */
function lastMatch(text: string, re: RegExp): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(re)) last = m as RegExpExecArray;
  return last;
}

/** `test result: ok. 5 passed; 0 failed; ...`, once per test binary and for doc-tests: summed. */
const cargo: Reader = (text) => {
  let found = false;
  const counts = { passed: 0, failed: 0 };
  for (const m of text.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed;/gm)) {
    found = true;
    counts.passed += int(m[1]);
    counts.failed += int(m[2]);
  }
  return found ? counts : null;
};

/**
 * `=== 2 failed, 5 passed, 1 error in 0.12s ===`, or bare with -q: `2 failed, 5 passed in 0.12s`.
 * Errors (collection or fixture errors) count as failures.
 */
const pytest: Reader = (text) => {
  const m = lastMatch(
    text,
    /^=*\s*((?:\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?|rerun)(?:, )?)+)\s+in [\d.]+s\b.*$/gm,
  );
  if (!m) return null;
  const part = (word: string) => int(new RegExp(`(\\d+) ${word}\\b`).exec(m[1]!)?.[1]);
  return { passed: part('passed') + part('xpassed'), failed: part('failed') + part('errors?') };
};

/** `Tests:       1 failed, 3 passed, 4 total` (the `Test Suites:` line above it is not the one). */
const jest: Reader = (text) => {
  const m = lastMatch(text, /^\s*Tests:\s+(.*\d+ total.*)$/gm);
  if (!m) return null;
  return { passed: int(/(\d+) passed/.exec(m[1]!)?.[1]), failed: int(/(\d+) failed/.exec(m[1]!)?.[1]) };
};

/** `      Tests  1 failed | 3 passed (4)` (after ` Test Files  1 failed | 1 passed (2)`). */
const vitest: Reader = (text) => {
  const m = lastMatch(text, /^\s*Tests\s{2,}(.*?)\s*\((\d+)\)\s*$/gm);
  if (!m) return null;
  return { passed: int(/(\d+) passed/.exec(m[1]!)?.[1]), failed: int(/(\d+) failed/.exec(m[1]!)?.[1]) };
};

/**
 * node:test: spec reporter `ℹ pass 2` / `ℹ fail 1`, TAP reporter `# pass 2` / `# fail 1` (also mocha's TAP
 * reporter). Cancelled tests (timeouts, a parent that failed) count as failures.
 */
const nodeTest: Reader = (text) => {
  const pass = lastMatch(text, /^(?:ℹ|#) pass (\d+)\s*$/gm);
  const fail = lastMatch(text, /^(?:ℹ|#) fail (\d+)\s*$/gm);
  if (!pass && !fail) return null;
  const cancelled = lastMatch(text, /^(?:ℹ|#) cancelled (\d+)\s*$/gm);
  return { passed: int(pass?.[1]), failed: int(fail?.[1]) + int(cancelled?.[1]) };
};

/** mocha's spec reporter: `  3 passing (12ms)`, then `  1 failing` when there are failures. */
const mocha: Reader = (text) => {
  const pass = lastMatch(text, /^\s*(\d+) passing\b/gm);
  const fail = lastMatch(text, /^\s*(\d+) failing\s*$/gm);
  if (!pass && !fail) return null;
  return { passed: int(pass?.[1]), failed: int(fail?.[1]) };
};

/**
 * go test. Top-level `--- PASS:` / `--- FAIL:` lines count tests (subtests are indented and not counted
 * again). Without -v passing tests print nothing, so a package whose `ok` / `FAIL` line has no test lines
 * above it counts as one passed / failed unit (a package that does not build, or one that passed quietly).
 */
const goTest: Reader = (text) => {
  const lines = text.split('\n');
  let found = false;
  let passed = 0;
  let failed = 0;
  let blockPass = 0;
  let blockFail = 0;
  for (const line of lines) {
    if (/^--- PASS: /.test(line)) blockPass++;
    else if (/^--- FAIL: /.test(line)) blockFail++;
    const pkg = /^(ok|FAIL)\s+\S+\s+(?:[\d.]+s|\(cached\)|\[(?:build failed|setup failed|no test files)\])/.exec(line);
    if (!pkg) continue;
    found = true;
    if (blockPass + blockFail > 0) {
      passed += blockPass;
      failed += blockFail;
    } else if (pkg[1] === 'ok') passed++;
    else failed++;
    blockPass = blockFail = 0;
  }
  // test lines with no package line after them (output cut short): still evidence
  if (blockPass + blockFail > 0) {
    found = true;
    passed += blockPass;
    failed += blockFail;
  }
  return found ? { passed, failed } : null;
};

/** A hand-written runner's `3 passed, 1 failed` (either order). */
const plain: Reader = (text) => {
  const m = lastMatch(text, /\b(\d+) (passed|failed),? (?:and )?(\d+) (passed|failed)\b/gi);
  if (!m || m[2]!.toLowerCase() === m[4]!.toLowerCase()) return null;
  const first = int(m[1]);
  const second = int(m[3]);
  return m[2]!.toLowerCase() === 'passed' ? { passed: first, failed: second } : { passed: second, failed: first };
};

const RUNNERS: Reader[] = [cargo, pytest, jest, vitest, nodeTest, mocha, goTest];

export function parseTestOutput(output: string): TestCounts | null {
  // color codes would split the words the readers look for (runners ignore NO_COLOR now and then)
  const text = plainText(output);
  let total: TestCounts | null = null;
  for (const read of RUNNERS) {
    const counts = read(text);
    if (!counts) continue;
    total = total ? { passed: total.passed + counts.passed, failed: total.failed + counts.failed } : counts;
  }
  return total ?? plain(text);
}
