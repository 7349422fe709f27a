import { strict as assert } from 'assert';
import { parseTestOutput } from '../../src/engine/judge/parse';

// Outputs captured from real runs (node:test and mocha here; the other runners' shapes copied from their
// documentation and real logs, paths shortened).
const NODE_SPEC = `✔ adds (0.679534ms)
✔ subs (0.185216ms)
✖ breaks (0.752692ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
  
  1 !== 2
  
      at TestContext.<anonymous> (/tmp/rt/a.test.js:4:29)
      at Test.runInAsyncScope (node:async_hooks:206:9)
      at Test.run (node:internal/test_runner/test:796:25)
      at Test.processPendingSubtests (node:internal/test_runner/test:526:18)
      at Test.postRun (node:internal/test_runner/test:889:19)
      at Test.run (node:internal/test_runner/test:835:12)
      at async Test.processPendingSubtests (node:internal/test_runner/test:526:7) {
    generatedMessage: true,
    code: 'ERR_ASSERTION',
    actual: 1,
    expected: 2,
    operator: 'strictEqual'
  }

ℹ tests 3
ℹ suites 0
ℹ pass 2
ℹ fail 1
ℹ cancelled 0
ℹ skipped 0
ℹ todo 0
ℹ duration_ms 66.335935

✖ failing tests:

test at a.test.js:4:1
✖ breaks (0.752692ms)
  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:
  
  1 !== 2
  
      at TestContext.<anonymous> (/tmp/rt/a.test.js:4:29)
      at Test.runInAsyncScope (node:async_hooks:206:9)
      at Test.run (node:internal/test_runner/test:796:25)
      at Test.processPendingSubtests (node:internal/test_runner/test:526:18)
      at Test.postRun (node:internal/test_runner/test:889:19)
      at Test.run (node:internal/test_runner/test:835:12)
      at async Test.processPendingSubtests (node:internal/test_runner/test:526:7) {
    generatedMessage: true,
    code: 'ERR_ASSERTION',
    actual: 1,
    expected: 2,
    operator: 'strictEqual'
  }
`;

const NODE_TAP = `TAP version 13
# Subtest: adds
ok 1 - adds
  ---
  duration_ms: 0.696359
  ...
# Subtest: subs
ok 2 - subs
  ---
  duration_ms: 0.196173
  ...
# Subtest: breaks
not ok 3 - breaks
  ---
  duration_ms: 0.768176
  location: '/tmp/rt/a.test.js:4:1'
  failureType: 'testCodeFailure'
  error: |-
    Expected values to be strictly equal:
    
    1 !== 2
    
  code: 'ERR_ASSERTION'
  name: 'AssertionError'
  expected: 2
  actual: 1
  operator: 'strictEqual'
  stack: |-
    TestContext.<anonymous> (/tmp/rt/a.test.js:4:29)
    Test.runInAsyncScope (node:async_hooks:206:9)
    Test.run (node:internal/test_runner/test:796:25)
    Test.processPendingSubtests (node:internal/test_runner/test:526:18)
    Test.postRun (node:internal/test_runner/test:889:19)
    Test.run (node:internal/test_runner/test:835:12)
    async Test.processPendingSubtests (node:internal/test_runner/test:526:7)
  ...
1..3
# tests 3
# suites 0
# pass 2
# fail 1
# cancelled 0
# skipped 0
# todo 0
# duration_ms 68.492971
`;

const MOCHA = `

  math
    ✔ adds
    1) breaks
    - later


  1 passing (3ms)
  1 pending
  1 failing

  1) math
       breaks:

      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

1 !== 2

      + expected - actual

      -1
      +2
      
      at Context.<anonymous> (m.test.js:2:98)
      at process.processImmediate (node:internal/timers:483:21)



`;

const MOCHA_ALL_PASS = `

  sum
    ✔ adds two numbers
    ✔ handles negatives


  2 passing (4ms)

`;

const JEST = ` FAIL  src/sum.test.js
  ● sum › adds two numbers

    expect(received).toBe(expected) // Object.is equality

    Expected: 5
    Received: -1

      3 | test('adds two numbers', () => {
    > 4 |   expect(sum(2, 3)).toBe(5);
        |                     ^

      at Object.toBe (src/sum.test.js:4:21)

 PASS  src/other.test.js

Test Suites: 1 failed, 1 passed, 2 total
Tests:       1 failed, 3 passed, 4 total
Snapshots:   0 total
Time:        0.512 s, estimated 1 s
Ran all test suites.
`;

const JEST_SKIPPED = `Test Suites: 2 passed, 2 total
Tests:       1 skipped, 7 passed, 8 total
Snapshots:   0 total
Time:        1.02 s
`;

const VITEST = `
 ❯ src/sum.test.ts (4 tests | 1 failed) 6ms
   × sum > adds two numbers 4ms
     → expected -1 to be 5
 ✓ src/other.test.ts (2 tests) 2ms

⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  src/sum.test.ts > sum > adds two numbers
AssertionError: expected -1 to be 5 // Object.is equality

⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯

 Test Files  1 failed | 1 passed (2)
      Tests  1 failed | 5 passed (6)
   Start at  10:12:01
   Duration  312ms (transform 20ms, setup 0ms, collect 15ms, tests 8ms, environment 0ms, prepare 60ms)
`;

const VITEST_COLOR = '\x1b[2m Test Files \x1b[22m \x1b[1m\x1b[32m1 passed\x1b[39m\x1b[22m\x1b[90m (1)\x1b[39m\n\x1b[2m      Tests \x1b[22m \x1b[1m\x1b[32m3 passed\x1b[39m\x1b[22m\x1b[2m | \x1b[22m\x1b[33m1 skipped\x1b[39m\x1b[90m (4)\x1b[39m\n';

const PYTEST = `============================= test session starts ==============================
platform linux -- Python 3.12.3, pytest-8.3.2, pluggy-1.5.0
rootdir: /tmp/proj
collected 7 items

tests/test_calc.py ..F.F..                                               [100%]

=================================== FAILURES ===================================
___________________________________ test_sum ___________________________________

    def test_sum():
>       assert calc.sum(2, 3) == 5
E       assert -1 == 5

tests/test_calc.py:4: AssertionError
=========================== short test summary info ============================
FAILED tests/test_calc.py::test_sum - assert -1 == 5
FAILED tests/test_calc.py::test_mul - assert 7 == 6
========================= 2 failed, 5 passed in 0.12s ==========================
`;

// pytest -q (what detection runs): no "=" bars around the summary
const PYTEST_Q = `..F                                                                      [100%]
=================================== FAILURES ===================================
___________________________________ test_b _____________________________________

    def test_b(): assert 1 == 2
E   assert 1 == 2

test_x.py:2: AssertionError
=========================== short test summary info ============================
FAILED test_x.py::test_b - assert 1 == 2
1 failed, 2 passed in 0.42s
`;

const PYTEST_ERRORS = `==================================== ERRORS ====================================
_______________________ ERROR collecting test_err.py ___________________________
ImportError while importing test module '/tmp/py/test_err.py'.
E   ModuleNotFoundError: No module named 'nonexistent_mod'
=========================== short test summary info ============================
ERROR test_err.py
!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!
=============================== 1 error in 0.43s ===============================
`;

const PYTEST_MIXED = `=========== 1 failed, 10 passed, 2 skipped, 1 xfailed, 3 warnings, 2 errors in 1.23s (0:00:01) ===========`;

const GO_VERBOSE = `=== RUN   TestSum
--- PASS: TestSum (0.00s)
=== RUN   TestTable
=== RUN   TestTable/zero
=== RUN   TestTable/negative
    calc_test.go:21: Sum(-2, -3) = 1, want -5
--- FAIL: TestTable (0.00s)
    --- PASS: TestTable/zero (0.00s)
    --- FAIL: TestTable/negative (0.00s)
=== RUN   TestMul
--- PASS: TestMul (0.00s)
FAIL
FAIL	example.com/calc	0.003s
=== RUN   TestParse
--- PASS: TestParse (0.00s)
PASS
ok  	example.com/calc/parse	0.002s
FAIL
`;

const GO_QUIET = `--- FAIL: TestSum (0.00s)
    calc_test.go:9: Sum(2, 3) = -1, want 5
FAIL
FAIL	example.com/calc	0.002s
ok  	example.com/calc/parse	(cached)
ok  	example.com/calc/format	0.004s	coverage: 81.2% of statements
?   	example.com/calc/cmd	[no test files]
FAIL
`;

const GO_BUILD_FAILED = `# example.com/calc [example.com/calc.test]
./calc_test.go:5:2: undefined: Foo
FAIL	example.com/calc [build failed]
ok  	example.com/calc/parse	0.002s
FAIL
`;

const CARGO = `   Compiling crt v0.1.0 (/tmp/rt/cr)
    Finished \`test\` profile [unoptimized + debuginfo] target(s) in 0.09s
     Running unittests src/lib.rs (target/debug/deps/crt-bd4320a1ed4935a6)

running 3 tests
test tests::ok1 ... ok
test tests::bad ... ok
test tests::ok2 ... ok

test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

   Doc-tests crt

running 1 test
test src/lib.rs - doc (line 2) ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

all doctests ran in 0.16s; merged doctests compilation took 0.15s
`;

const CARGO_FAILED = `running 3 tests
test tests::ok1 ... ok
test tests::bad ... FAILED
test tests::ok2 ... ok

failures:

---- tests::bad stdout ----

thread 'tests::bad' (8803) panicked at src/lib.rs:10:22:
assertion \`left == right\` failed
  left: 4
 right: 5

failures:
    tests::bad

test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.06s

error: test failed, to rerun pass \`--lib\`
`;

describe('parseTestOutput', () => {
  const cases: [string, string, { passed: number; failed: number } | null][] = [
    ['node:test spec reporter', NODE_SPEC, { passed: 2, failed: 1 }],
    ['node:test TAP reporter', NODE_TAP, { passed: 2, failed: 1 }],
    ['mocha with failures', MOCHA, { passed: 1, failed: 1 }],
    ['mocha all passing (no failing line)', MOCHA_ALL_PASS, { passed: 2, failed: 0 }],
    ['jest (not the Test Suites line)', JEST, { passed: 3, failed: 1 }],
    ['jest with skipped tests', JEST_SKIPPED, { passed: 7, failed: 0 }],
    ['vitest (not the Test Files line)', VITEST, { passed: 5, failed: 1 }],
    ['vitest with color codes', VITEST_COLOR, { passed: 3, failed: 0 }],
    ['pytest', PYTEST, { passed: 5, failed: 2 }],
    ['pytest -q', PYTEST_Q, { passed: 2, failed: 1 }],
    ['pytest collection errors count as failures', PYTEST_ERRORS, { passed: 0, failed: 1 }],
    ['pytest with every kind of outcome', PYTEST_MIXED, { passed: 10, failed: 3 }],
    ['go test -v (subtests not counted twice)', GO_VERBOSE, { passed: 3, failed: 1 }],
    ['go test without -v (quiet packages count as units)', GO_QUIET, { passed: 2, failed: 1 }],
    ['go test with a package that does not build', GO_BUILD_FAILED, { passed: 1, failed: 1 }],
    ['cargo test summed over unit and doc tests', CARGO, { passed: 4, failed: 0 }],
    ['cargo test with a failure', CARGO_FAILED, { passed: 2, failed: 1 }],
    ['a hand-written runner', 'checking...\nall done: 3 passed, 1 failed\n', { passed: 3, failed: 1 }],
    ['a hand-written runner, failures first', '0 failed, 12 passed\n', { passed: 12, failed: 0 }],
    ['nothing recognisable', 'Compiling...\nError: cannot find module "x"\n', null],
    ['empty output', '', null],
  ];
  for (const [name, output, expected] of cases) {
    it(name, () => assert.deepEqual(parseTestOutput(output), expected));
  }

  it('adds up several runners in one command (mocha && node --test)', () => {
    assert.deepEqual(parseTestOutput(MOCHA_ALL_PASS + NODE_SPEC), { passed: 4, failed: 1 });
  });

  it('reads Windows line endings', () => {
    assert.deepEqual(parseTestOutput(PYTEST.replace(/\n/g, '\r\n')), { passed: 5, failed: 2 });
  });
});
