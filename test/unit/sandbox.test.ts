import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { bwrapArgs } from '../../src/engine/sandbox/bwrap';
import { sandboxExecArgs, seatbeltProfile } from '../../src/engine/sandbox/macos-profile';
import { confinedArgv, detectSandbox, privateTempEnv } from '../../src/engine/sandbox/sandbox';
import { runCommand, scrubEnv } from '../../src/engine/exec';
import { EngineError } from '../../src/engine/errors';
import type { Confinement, Sandbox } from '../../src/engine/sandbox/types';

describe('sandbox', () => {
  let root: string;
  let wt: string;
  let tmp: string;
  let outside: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rb-sandbox-')));
    wt = path.join(root, 'wt');
    tmp = path.join(root, 'wt.tmp');
    outside = path.join(root, 'outside');
    for (const d of [wt, tmp, outside]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(wt, '.git'), 'gitdir: /somewhere\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const conf = (): Confinement => ({ cwd: wt, writable: [wt, tmp], readOnly: [path.join(wt, '.git')] });

  describe('bubblewrap command line', () => {
    it('binds the root read-only, the writable folders after it and the read-only paths after those', () => {
      const args = bwrapArgs(conf(), 'off', ['/bin/true']);
      const at = (flag: string, p: string) => args.findIndex((a, i) => a === flag && args[i + 1] === p);
      assert.ok(at('--ro-bind', '/') === 0);
      assert.ok(at('--bind', wt) > 0 && at('--bind', tmp) > 0);
      assert.ok(at('--ro-bind', path.join(wt, '.git')) > at('--bind', wt));
      for (const flag of ['--unshare-user', '--unshare-pid', '--die-with-parent', '--new-session', '--unshare-net']) assert.ok(args.includes(flag), flag);
      assert.ok(at('--cap-drop', 'ALL') > 0);
      assert.ok(at('--tmpfs', '/tmp') > 0 && at('--tmpfs', '/tmp') < at('--bind', wt), 'hidden first, then bound back');
      assert.deepStrictEqual(args.slice(-2), ['--', '/bin/true']);
      assert.ok(!bwrapArgs(conf(), 'on', ['/bin/true']).includes('--unshare-net'));
    });
  });

  describe('bubblewrap for real', function () {
    this.timeout(30000);
    const sandbox: Sandbox = { kind: 'bwrap', network: 'off' };
    const run = (command: string) =>
      runCommand({ command, cwd: wt, timeoutMs: 20000, env: scrubEnv(process.env, [], privateTempEnv(tmp)), sandbox: { sandbox, confinement: { writable: [wt, tmp], readOnly: [path.join(wt, '.git')] } } });

    it('writes only the worktree and its temp folder', async () => {
      const r = await run(`echo in > inside.txt; echo t > "$TMPDIR/t"; echo out > ${outside}/x; echo git > .git; echo home > "$HOME/rb-sandbox-probe"`);
      assert.ok(fs.existsSync(path.join(wt, 'inside.txt')));
      assert.ok(fs.existsSync(path.join(tmp, 't')));
      assert.ok(!fs.existsSync(path.join(outside, 'x')));
      assert.strictEqual(fs.readFileSync(path.join(wt, '.git'), 'utf8'), 'gitdir: /somewhere\n');
      assert.ok(!fs.existsSync(path.join(os.homedir(), 'rb-sandbox-probe')));
      assert.match(r.output, /Read-only file system/);
    });

    it('has no capabilities, even when started by root: the read-only root cannot be remounted writable', async () => {
      const probe = path.join('/etc', `rb-sandbox-probe-${process.pid}`);
      const r = await run(`grep CapEff /proc/self/status; mount -o remount,rw / 2>&1; echo x > ${probe}`);
      assert.match(r.output, /CapEff:\s+0+\n/);
      assert.ok(!fs.existsSync(probe), 'wrote into /etc after a remount');
    });

    it('cannot reach the session\'s sockets (D-Bus, docker.sock, ssh-agent live under /tmp and /run)', async () => {
      const sock = path.join(outside, 'agent.sock');
      const server = net.createServer((c: net.Socket) => c.end('CONNECTED')).listen(sock);
      await new Promise((res) => server.once('listening', res));
      try {
        const r = await run(`node -e "require('net').connect('${sock}').on('data', d => console.log(String(d))).on('error', e => console.log('refused', e.code))"; ls -A /run | wc -l`);
        assert.match(r.output, /refused ENOENT/);
        assert.doesNotMatch(r.output, /CONNECTED/);
        assert.match(r.output, /^0$/m, '/run is empty inside');
      } finally {
        server.close();
      }
    });

    it('hides the credentials in the home folder and leaves the rest of it readable', async () => {
      const home = path.join(root, 'home');
      fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
      fs.writeFileSync(path.join(home, '.aws', 'credentials'), 'aws_secret_access_key = HIDDEN-AWS');
      fs.writeFileSync(path.join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=HIDDEN-NPM');
      fs.writeFileSync(path.join(home, '.profile'), 'VISIBLE-PROFILE\n');
      const r = await runCommand({
        command: 'cat "$HOME/.aws/credentials" "$HOME/.npmrc" "$HOME/.profile"; ls -A "$HOME/.aws" | wc -l',
        cwd: wt,
        timeoutMs: 20000,
        env: { ...scrubEnv(process.env), HOME: home },
        sandbox: { sandbox, confinement: { writable: [wt], readOnly: [], visible: [home], home } },
      });
      assert.doesNotMatch(r.output, /HIDDEN/);
      assert.match(r.output, /VISIBLE-PROFILE/);
      assert.match(r.output, /^0$/m);
    });

    it('hides credentials that are symlinks (dotfile managers) and ignores dangling ones, instead of failing to start', async () => {
      const home = path.join(root, 'home-links');
      const dotfiles = path.join(root, 'dotfiles');
      fs.mkdirSync(path.join(dotfiles, 'aws'), { recursive: true });
      fs.mkdirSync(home, { recursive: true });
      fs.writeFileSync(path.join(dotfiles, 'aws', 'credentials'), 'aws_secret_access_key = HIDDEN-LINKED-AWS');
      fs.writeFileSync(path.join(dotfiles, 'npmrc'), '//registry.npmjs.org/:_authToken=HIDDEN-LINKED-NPM');
      fs.symlinkSync(path.join(dotfiles, 'aws'), path.join(home, '.aws'));
      fs.symlinkSync(path.join(dotfiles, 'npmrc'), path.join(home, '.npmrc'));
      fs.symlinkSync(path.join(root, 'nowhere'), path.join(home, '.netrc'));
      const r = await runCommand({
        command: 'cat "$HOME/.aws/credentials" "$HOME/.npmrc"; echo RAN',
        cwd: wt,
        timeoutMs: 20000,
        env: { ...scrubEnv(process.env), HOME: home },
        sandbox: { sandbox, confinement: { writable: [wt], readOnly: [], visible: [home, dotfiles], home } },
      });
      assert.match(r.output, /RAN/, r.output);
      assert.doesNotMatch(r.output, /HIDDEN/);
    });

    it('sees only its own processes, and nothing it starts outlives it', async () => {
      const r = await run('setsid nohup sleep 291 >/dev/null 2>&1 & ls /proc | grep -c "^[0-9]"');
      assert.ok(Number(r.output.trim()) < 10, r.output);
      await new Promise((res) => setTimeout(res, 200));
      const ps = execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' });
      assert.ok(!ps.split('\n').some((l) => l.startsWith('sleep 291')), 'the detached sleep survived');
    });

    it('kills the whole sandbox on timeout', async () => {
      const r = await runCommand({
        command: 'sleep 292',
        cwd: wt,
        timeoutMs: 500,
        env: scrubEnv(process.env),
        sandbox: { sandbox, confinement: { writable: [wt], readOnly: [] } },
      });
      assert.strictEqual(r.timedOut, true);
      await new Promise((res) => setTimeout(res, 200));
      assert.ok(!execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' }).split('\n').some((l) => l.startsWith('sleep 292')));
    });

    it('is found by detectSandbox on this machine', async () => {
      assert.deepStrictEqual(await detectSandbox('on'), { kind: 'bwrap', network: 'on' });
    });
  });

  describe('macOS sandbox-exec profile (generated only: sandbox-exec cannot run here)', () => {
    it('denies writes except under the writable folders, and not to the read-only paths in them', () => {
      const profile = seatbeltProfile(conf(), 'off');
      assert.match(profile, /^\(version 1\)\n/);
      assert.match(profile, /\(deny file-write\*\)/);
      assert.match(profile, /\(allow file-write\* \(subpath \(param "W0"\)\) \(subpath \(param "W1"\)\)/);
      assert.match(profile, /\(deny file-write\* \(subpath \(param "R0"\)\)\)/);
      // the read-only deny comes after the allow: later rules win in Seatbelt
      assert.ok(profile.indexOf('(param "R0")') > profile.indexOf('(param "W0")'));
    });

    it('hides the home folder\'s credentials and denies the programs that hand work to launchd', () => {
      const withHome = { ...conf(), home: '/Users/dev' };
      const profile = seatbeltProfile(withHome, 'off');
      assert.match(profile, /\(deny file-read\* file-write\* \(subpath \(param "H0"\)\)/);
      assert.match(profile, /\(deny process-exec \(literal "\/bin\/launchctl"\) \(literal "\/usr\/bin\/open"\)/);
      const args = sandboxExecArgs(withHome, 'off', ['true']);
      assert.ok(args.includes('H0=/Users/dev/.ssh'), args.join(' '));
      assert.doesNotMatch(seatbeltProfile(conf(), 'off'), /param "H0"/, 'no home, nothing to hide');
    });

    it('limits the network to loopback when off and leaves it alone when on', () => {
      assert.match(seatbeltProfile(conf(), 'off'), /\(deny network\*\)\n\(allow network\* \(local ip "localhost:\*"\)/);
      assert.doesNotMatch(seatbeltProfile(conf(), 'on'), /network/);
    });

    it('passes paths as parameters, never inside the profile text', () => {
      const odd = { cwd: '/w/"x")(allow default', writable: ['/w/"x")(allow default'], readOnly: ['/w/"x")(allow default/.git'] };
      const args = sandboxExecArgs(odd, 'off', ['/bin/bash', '-c', 'true']);
      assert.strictEqual(args[0], '-p');
      assert.ok(!args[1]!.includes('/w/'));
      assert.deepStrictEqual(args.slice(2, 6), ['-D', `W0=${odd.writable[0]}`, '-D', `R0=${odd.readOnly[0]}`]);
      assert.deepStrictEqual(args.slice(-3), ['/bin/bash', '-c', 'true']);
      assert.strictEqual(confinedArgv({ kind: 'sandbox-exec', network: 'off' }, odd, ['x'])[0], '/usr/bin/sandbox-exec');
    });
  });

  it('kind "none" runs the command as given', () => {
    assert.deepStrictEqual(confinedArgv({ kind: 'none', network: 'on' }, conf(), ['/bin/bash', '-c', 'x']), ['/bin/bash', '-c', 'x']);
  });

  it('on a platform without a sandbox, says so and names --no-sandbox (exit 2)', async () => {
    await assert.rejects(detectSandbox('off', { platform: 'win32', otherwise: 'Or pass --no-sandbox.' }), (err: unknown) => err instanceof EngineError && err.exitCode === 2 && /WSL.*--no-sandbox/.test(err.message));
  });

  it('sends temp files and home-folder caches to the private temp folder', () => {
    const env = privateTempEnv('/p/tmp');
    assert.strictEqual(env.TMPDIR, '/p/tmp');
    for (const name of ['GOCACHE', 'npm_config_cache', 'XDG_CACHE_HOME']) assert.ok(env[name]!.startsWith('/p/tmp/'), name);
  });
});
