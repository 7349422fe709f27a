/** The command runner's environment scrubbing and the head+tail truncation every long output goes through. */
import * as assert from 'assert';
import * as os from 'os';
import { runCommand, scrubEnv, isSecretName } from '../../src/engine/exec';
import { fnv1a, truncateMiddle } from '../../src/engine/text';

describe('scrubEnv', () => {
  const base = {
    PATH: '/usr/bin',
    HOME: '/home/u',
    LANG: 'C.UTF-8',
    LC_ALL: 'C',
    OPENAI_API_KEY: 'sk-secret',
    OPENAI_BASE_URL: 'http://x',
    GITHUB_TOKEN: 'ghp_x',
    AWS_ACCESS_KEY_ID: 'AKIA',
    DB_PASSWORD: 'hunter2',
    SESSION_COOKIE: 'c',
    RANDOM_APP_SETTING: 'v',
    NPM_TOKEN: 'n',
  };

  it('keeps what build tools need and drops every secret-looking or unknown variable', () => {
    const env = scrubEnv(base);
    assert.strictEqual(env.PATH, '/usr/bin');
    assert.strictEqual(env.HOME, '/home/u');
    assert.strictEqual(env.LC_ALL, 'C');
    for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'GITHUB_TOKEN', 'AWS_ACCESS_KEY_ID', 'DB_PASSWORD', 'SESSION_COOKIE', 'RANDOM_APP_SETTING', 'NPM_TOKEN']) {
      assert.strictEqual(env[name], undefined, name);
    }
    assert.strictEqual(env.GIT_TERMINAL_PROMPT, '0', 'nothing waits for a human');
  });

  it('lets the user allow-list a name, and adds per-attempt variables', () => {
    const env = scrubEnv(base, ['NPM_TOKEN'], { PORT: '3101' });
    assert.strictEqual(env.NPM_TOKEN, 'n');
    assert.strictEqual(env.PORT, '3101');
    assert.strictEqual(env.GITHUB_TOKEN, undefined);
  });

  it('recognises secret names', () => {
    for (const n of ['MY_API_KEY', 'SLACK_TOKEN', 'CLIENT_SECRET', 'PGPASSWORD', 'OPENAI_ORG', 'AWS_REGION']) assert.ok(isSecretName(n), n);
    for (const n of ['PATH', 'HOME', 'LANG', 'NODE_ENV']) assert.ok(!isSecretName(n), n);
  });
});

describe('runCommand', () => {
  it('returns the exit code and combined output, and only the scrubbed environment', async () => {
    const r = await runCommand({ command: 'echo out; echo err >&2; echo "k=${OPENAI_API_KEY:-none}"; exit 3', cwd: os.tmpdir(), timeoutMs: 10000, env: scrubEnv({ ...process.env, OPENAI_API_KEY: 'sk-x' }) });
    assert.strictEqual(r.exitCode, 3);
    assert.match(r.output, /out/);
    assert.match(r.output, /err/);
    assert.match(r.output, /k=none/);
    assert.strictEqual(r.timedOut, false);
  });

  it('never waits for stdin', async () => {
    const r = await runCommand({ command: 'cat; echo done', cwd: os.tmpdir(), timeoutMs: 10000, env: scrubEnv(process.env) });
    assert.strictEqual(r.exitCode, 0);
    assert.match(r.output, /done/);
  });

  it('keeps head and tail of a huge output', async () => {
    const r = await runCommand({ command: 'echo FIRST; seq 1 200000; echo LAST', cwd: os.tmpdir(), timeoutMs: 20000, env: scrubEnv(process.env), maxOutputChars: 2000 });
    assert.ok(r.output.length < 2200);
    assert.match(r.output, /^FIRST/);
    assert.match(r.output, /LAST\n?$/);
    assert.ok(r.outputChars > 1000000);
  });
});

describe('text helpers', () => {
  it('truncateMiddle keeps the head and the tail and says how much is gone', () => {
    const text = 'a'.repeat(100) + 'b'.repeat(100);
    const cut = truncateMiddle(text, 50);
    assert.ok(cut.startsWith('a'.repeat(20)));
    assert.ok(cut.endsWith('b'.repeat(30)));
    assert.match(cut, /150 characters omitted/);
    assert.strictEqual(truncateMiddle('short', 50), 'short');
  });
  it('fnv1a is stable', () => {
    assert.strictEqual(fnv1a('hello'), fnv1a('hello'));
    assert.notStrictEqual(fnv1a('hello'), fnv1a('hellp'));
    assert.match(fnv1a(''), /^[0-9a-f]{8}$/);
  });
});
