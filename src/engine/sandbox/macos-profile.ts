/**
 * The sandbox-exec (Seatbelt) profile for macOS: reads allowed, writes only under the writable folders
 * (never to the read-only paths inside them), network limited to loopback unless asked for. Paths are
 * passed as -D parameters, so no path is ever spliced into the profile text. macOS has no PID namespace:
 * a command's leftovers are killed through its process group only.
 */
import * as path from 'path';
import { CREDENTIAL_PATHS } from './bwrap';
import type { Confinement, NetworkMode } from './types';

/**
 * Programs that hand work to launchd or another app, which would run it outside the sandbox and outlive
 * the command (macOS has no PID namespace to contain them).
 */
const ESCAPE_HATCHES = ['/bin/launchctl', '/usr/bin/open', '/usr/bin/osascript', '/usr/bin/at', '/usr/bin/batch'];

function credentialPaths(conf: Confinement): string[] {
  return conf.home ? CREDENTIAL_PATHS.map((rel) => path.join(conf.home!, rel)) : [];
}

export function seatbeltProfile(conf: Confinement, network: NetworkMode): string {
  const writable = conf.writable.map((_, i) => `(subpath (param "W${i}"))`).join(' ');
  const readOnly = conf.readOnly.map((_, i) => `(subpath (param "R${i}"))`).join(' ');
  const secrets = credentialPaths(conf).map((_, i) => `(subpath (param "H${i}"))`).join(' ');
  const lines = [
    '(version 1)',
    '(allow default)',
    '(deny file-write*)',
    `(allow file-write* ${writable} (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/fd/"))`,
  ];
  if (readOnly) lines.push(`(deny file-write* ${readOnly})`);
  if (secrets) lines.push(`(deny file-read* file-write* ${secrets})`);
  lines.push(`(deny process-exec ${ESCAPE_HATCHES.map((p) => `(literal "${p}")`).join(' ')})`);
  if (network === 'off') {
    // unix sockets stay denied: the session's agents (ssh-agent, gpg-agent) listen on them
    lines.push('(deny network*)', '(allow network* (local ip "localhost:*") (remote ip "localhost:*"))');
  }
  return lines.join('\n') + '\n';
}

export function sandboxExecArgs(conf: Confinement, network: NetworkMode, argv: string[]): string[] {
  const params = [
    ...conf.writable.flatMap((p, i) => ['-D', `W${i}=${p}`]),
    ...conf.readOnly.flatMap((p, i) => ['-D', `R${i}=${p}`]),
    ...credentialPaths(conf).flatMap((p, i) => ['-D', `H${i}=${p}`]),
  ];
  return ['-p', seatbeltProfile(conf, network), ...params, ...argv];
}
