/**
 * The bubblewrap command line for one command: the whole file system read-only, the attempt's worktree and
 * private temp folder writable, its `.git` pointer read-only, fresh /dev and /proc, its own PID namespace
 * (the command sees none of the engine's or editor's processes, and everything it starts dies with it),
 * no network unless asked for (the sandbox keeps its own loopback), no capabilities.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Confinement, NetworkMode } from './types';

/**
 * Where the user's session keeps its sockets: the D-Bus session bus (`systemd-run --user` would start
 * anything, unconfined), docker.sock, ssh-agent, X11. A read-only mount does not stop connect(), so these
 * are replaced by empty folders; what the command needs from under them is bound back (`visible`).
 */
const SOCKET_DIRS = ['/tmp', '/run', '/var/run'];

/**
 * Credentials in the home folder, relative to it: hidden (an empty folder, or /dev/null for a file) so a
 * command cannot read them into the model's context or a patch. The rest of home stays readable.
 */
export const CREDENTIAL_PATHS = [
  '.ssh', '.gnupg', '.aws', '.azure', '.kube', '.docker', '.config/gh', '.config/gcloud', '.config/hub',
  '.netrc', '.npmrc', '.yarnrc.yml', '.pypirc', '.git-credentials', '.cargo/credentials', '.cargo/credentials.toml',
  '.config/git/credentials', '.config/github-copilot', '.pgpass', '.terraform.d', '.config/rclone',
  '.local/share/keyrings', '.password-store', '.Xauthority', '.bash_history', '.zsh_history',
  '.config/Code/User/globalStorage', '.vscode-server/data/User/globalStorage',
];

export function bwrapArgs(conf: Confinement, network: NetworkMode, argv: string[]): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  for (const dir of SOCKET_DIRS) if (isRealDir(dir)) args.push('--tmpfs', dir);
  // DNS where /etc/resolv.conf points into /run (systemd-resolved): only useful with the network on
  if (network === 'on') args.push('--ro-bind-try', '/run/systemd/resolve', '/run/systemd/resolve');
  for (const p of conf.visible ?? []) args.push('--ro-bind', p, p);
  if (conf.home) args.push(...hideCredentials(conf.home));
  for (const dir of conf.writable) args.push('--bind', dir, dir);
  // after the writable binds, so these win inside them
  for (const p of conf.readOnly) args.push('--ro-bind', p, p);
  // a user namespace and no capabilities even when we run as root: root's capabilities inside would let a
  // command remount the read-only root writable (`mount -o remount,rw /` succeeds without these)
  args.push('--unshare-user', '--cap-drop', 'ALL');
  args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session');
  if (network === 'off') args.push('--unshare-net');
  args.push('--chdir', conf.cwd, '--', ...argv);
  return args;
}

function isRealDir(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Hides each credential store where it really is: bwrap cannot mount over a symlink (dotfiles managed by
 * stow or home-manager are links), so the link is resolved and its target hidden; a dangling link hides
 * nothing and is left alone (reading it fails anyway).
 */
function hideCredentials(home: string): string[] {
  const args: string[] = [];
  const hidden = new Set<string>();
  for (const rel of CREDENTIAL_PATHS) {
    let real: string;
    let st: fs.Stats;
    try {
      real = fs.realpathSync(path.join(home, rel));
      st = fs.statSync(real);
    } catch {
      continue;
    }
    if (hidden.has(real)) continue;
    hidden.add(real);
    if (st.isDirectory()) args.push('--tmpfs', real);
    else args.push('--ro-bind', '/dev/null', real);
  }
  return args;
}
