/** Shared set-up for the agent tests: real temp git repositories and a workspace over them. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { scrubEnv } from '../../src/engine/exec';
import { Workspace, type WorkspaceOptions } from '../../src/engine/agent/confined-worktree';

export function tempDir(prefix = 'rb-agent-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A git repository with the given files committed. */
export function makeRepo(files: Record<string, string>, opts: { git?: boolean } = {}): string {
  const dir = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  if (opts.git !== false) {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'init', '--allow-empty');
  }
  return dir;
}

export function workspace(root: string, extra: Partial<WorkspaceOptions> = {}): Workspace {
  return new Workspace({ root, env: scrubEnv(process.env), ...extra });
}

export function removeAll(...dirs: string[]): void {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}
