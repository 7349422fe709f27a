/**
 * Worktree set-up time per attempt (goal ≤ 1.5× raw `git worktree add`) on a repository of ~10k files.
 * Ours = createWorktree: snapshot of the user's state (uncommitted and untracked files included), detached
 * `git worktree add`, dependency folders linked. Raw = `git worktree add --detach <dir> HEAD`. The two are
 * interleaved so disk caches and background load affect both alike; medians are reported.
 *
 * The repository is generated once into the temp dir and reused by later runs.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createWorktree } from '../src/engine/git/worktree';

const FILES = 10_000;
// each round checks out 10k files twice: a few rounds give a stable median without a long wait
const ROUNDS = Number(process.env.BENCH_WORKTREE_ROUNDS ?? 3);

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** ~10k source files in 100 folders, committed; then a user's working state on top. */
function ensureRepo(): string {
  const repo = path.join(os.tmpdir(), `reasoningbank-bench-worktree-${FILES}`);
  if (fs.existsSync(path.join(repo, '.git', 'bench-ready'))) return repo;
  fs.rmSync(repo, { recursive: true, force: true });
  fs.mkdirSync(repo, { recursive: true });
  git(repo, 'init', '-q');
  for (let d = 0; d < 100; d++) {
    const dir = path.join(repo, 'src', `module${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES / 100; f++) {
      fs.writeFileSync(
        path.join(dir, `file${f}.ts`),
        `// module ${d}, file ${f}\nexport function f${f}(x: number): number {\n  return x * ${f} + ${d};\n}\n`.repeat(4),
      );
    }
  }
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
  git(repo, 'add', '-A');
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', 'commit', '-q', '-m', 'bench'], { cwd: repo });
  // the user's state: a few edits, a new file, installed dependencies
  for (let i = 0; i < 5; i++) fs.appendFileSync(path.join(repo, 'src', `module${i}`, 'file0.ts'), '// edited\n');
  fs.writeFileSync(path.join(repo, 'src', 'new-feature.ts'), 'export const x = 1;\n');
  for (let i = 0; i < 200; i++) {
    const dir = path.join(repo, 'node_modules', `dep${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = 1;\n');
  }
  fs.writeFileSync(path.join(repo, '.git', 'bench-ready'), '');
  return repo;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<object> {
  const repo = ensureRepo();
  const wtDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-bench-wt-'));
  const raw: number[] = [];
  const ours: number[] = [];
  const dispose: number[] = [];
  try {
    for (let i = -1; i < ROUNDS; i++) {
      // raw git
      const rawPath = path.join(wtDir, `raw-${i}`);
      let t = performance.now();
      git(repo, 'worktree', 'add', '--detach', '--quiet', rawPath, 'HEAD');
      const rawMs = performance.now() - t;
      git(repo, 'worktree', 'remove', '--force', rawPath);

      // ours
      t = performance.now();
      const wt = await createWorktree({ repo, runId: 'bench', index: i + 1, worktreeDir: wtDir });
      const oursMs = performance.now() - t;
      t = performance.now();
      await wt.dispose();
      const disposeMs = performance.now() - t;

      if (i >= 0) {
        // round -1 warms the caches
        raw.push(rawMs);
        ours.push(oursMs);
        dispose.push(disposeMs);
      }
    }
  } finally {
    fs.rmSync(wtDir, { recursive: true, force: true });
    git(repo, 'worktree', 'prune');
  }
  const rawMedian = median(raw);
  const oursMedian = median(ours);
  return {
    files: Number(git(repo, 'ls-files').split('\n').filter(Boolean).length),
    rounds: ROUNDS,
    rawGitWorktreeAddMs: round(rawMedian),
    createWorktreeMs: round(oursMedian),
    ratio: round(oursMedian / rawMedian, 2),
    goalRatio: 1.5,
    disposeMs: round(median(dispose)),
  };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (require.main === module) {
  run().then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'), (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
