/**
 * A bench suite is a folder with one sub-folder per task, run in name order as a stream. Each task holds
 * the repository (`repo/` or `repo.bundle`), the issue (`issue.md`), its settings (`task.json`) and,
 * optionally, hidden tests (`hidden/`, copied over the repository only when judging, as SWE-bench does).
 * Anything else in the task folder (a reference `solution.patch`, notes) is never shown to the agent.
 * The whole suite is validated before anything runs, so a typo in task 9 does not surface after an hour.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { badInput } from '../engine/errors';
import { describeZodError } from '../engine/llm/structured';

const TaskJson = z
  .object({
    /** the test command the agent may run and its own judge uses; absent = detect; null = none (the LLM judge decides) */
    test: z.string().min(1).nullable().optional(),
    /** folder (relative to the task) whose files are copied over the repository when judging */
    hidden: z.string().min(1).optional(),
    /** command that decides the verdict once hidden files are in place; default: `test` */
    hiddenTest: z.string().min(1).optional(),
    /** time limit of the judging command, seconds */
    timeoutSec: z.number().int().positive().max(3600).optional(),
    /** optional one-line description for reports */
    title: z.string().optional(),
    /** optional kind of bug ("off-by-one", "async ordering"), to check that a suite is varied */
    family: z.string().min(1).optional(),
  })
  .strict();

export type TaskSettings = z.infer<typeof TaskJson>;

export interface BenchTask {
  /** the task folder's name; also its id in reports */
  name: string;
  dir: string;
  /** exactly one of the two */
  repoDir: string | null;
  repoBundle: string | null;
  /** issue.md, trimmed */
  issue: string;
  /** as solve takes it: undefined = detect, null = no tests */
  testCommand: string | null | undefined;
  hiddenDir: string | null;
  /** the command that decides the verdict: hiddenTest, else test; null = no tests at all */
  judgeCommand: string | null;
  judgeTimeoutMs: number;
  title: string;
  family: string | null;
}

export interface BenchSuite {
  dir: string;
  name: string;
  tasks: BenchTask[];
}

const DEFAULT_JUDGE_TIMEOUT_SEC = 300;

export function loadSuite(dir: string): BenchSuite {
  const abs = path.resolve(dir);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) {
    throw badInput(`--suite ${dir}: no such folder (a suite is a folder with one sub-folder per task)`);
  }
  const names = fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en'));
  if (names.length === 0) throw badInput(`suite ${abs} has no task folders (see docs/BENCH.md, "Suite format", for the layout)`);
  const problems: string[] = [];
  const tasks: BenchTask[] = [];
  for (const name of names) {
    try {
      tasks.push(loadTask(path.join(abs, name)));
    } catch (err) {
      problems.push(`  ${name}: ${(err as Error).message}`);
    }
  }
  if (problems.length) {
    throw badInput(`suite ${abs} has ${problems.length} invalid task(s); nothing was run:\n${problems.join('\n')}`);
  }
  return { dir: abs, name: path.basename(abs), tasks };
}

export function loadTask(dir: string): BenchTask {
  const name = path.basename(dir);
  const repoDir = path.join(dir, 'repo');
  const repoBundle = path.join(dir, 'repo.bundle');
  const hasDir = fs.existsSync(repoDir) && fs.statSync(repoDir).isDirectory();
  const hasBundle = fs.existsSync(repoBundle) && fs.statSync(repoBundle).isFile();
  if (hasDir && hasBundle) throw new Error('has both repo/ and repo.bundle; keep one');
  if (!hasDir && !hasBundle) throw new Error('has neither repo/ (a folder) nor repo.bundle (a git bundle)');
  if (hasDir && fs.readdirSync(repoDir).length === 0) throw new Error('repo/ is empty');

  const issueFile = path.join(dir, 'issue.md');
  if (!fs.existsSync(issueFile)) throw new Error('issue.md is missing (the issue text the agent gets)');
  const issue = fs.readFileSync(issueFile, 'utf8').trim();
  if (!issue) throw new Error('issue.md is empty');

  const settingsFile = path.join(dir, 'task.json');
  let settings: TaskSettings = {};
  if (fs.existsSync(settingsFile)) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
    } catch (err) {
      throw new Error(`task.json is not valid JSON (${(err as Error).message})`);
    }
    const parsed = TaskJson.safeParse(raw);
    if (!parsed.success) throw new Error(`task.json: ${describeZodError(parsed.error)}`);
    settings = parsed.data;
  }

  let hiddenDir: string | null = null;
  const hiddenName = settings.hidden ?? (fs.existsSync(path.join(dir, 'hidden')) ? 'hidden' : undefined);
  if (hiddenName) {
    hiddenDir = path.resolve(dir, hiddenName);
    if (!hiddenDir.startsWith(path.resolve(dir) + path.sep)) throw new Error(`task.json "hidden": ${hiddenName} is outside the task folder`);
    if (!fs.existsSync(hiddenDir) || !fs.statSync(hiddenDir).isDirectory()) {
      throw new Error(`task.json names hidden tests in "${hiddenName}/", but there is no such folder`);
    }
  }
  const testCommand = settings.test;
  const judgeCommand = settings.hiddenTest ?? testCommand ?? null;
  if (hiddenDir && !judgeCommand) throw new Error('has hidden tests but no command to run them: set "test" or "hiddenTest" in task.json');

  return {
    name,
    dir,
    repoDir: hasDir ? repoDir : null,
    repoBundle: hasBundle ? repoBundle : null,
    issue,
    testCommand,
    hiddenDir,
    judgeCommand,
    judgeTimeoutMs: (settings.timeoutSec ?? DEFAULT_JUDGE_TIMEOUT_SEC) * 1000,
    title: settings.title ?? firstHeading(issue) ?? name,
    family: settings.family ?? null,
  };
}

/**
 * A digest of every file of the given tasks (names and bytes), so that partial reports of a suite that was
 * edited in between are not merged, even when its task names are the same.
 */
export function suiteDigest(tasks: readonly BenchTask[]): string {
  const hash = createHash('sha256');
  for (const task of tasks) {
    for (const file of filesUnder(task.dir)) {
      hash.update(`${task.name}/${file}\u0000`);
      hash.update(fs.readFileSync(path.join(task.dir, file)));
      hash.update('\u0000');
    }
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Every file under `dir`, as sorted '/'-separated paths relative to it. */
export function filesUnder(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name), base) : e.isFile() ? [path.relative(base, path.join(dir, e.name)).split(path.sep).join('/')] : []));
}

function firstHeading(markdown: string): string | null {
  const line = markdown.split('\n').find((l) => l.trim());
  return line ? line.replace(/^#+\s*/, '').trim() : null;
}
