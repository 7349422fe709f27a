/**
 * Applies a patch to the user's working tree, all or nothing, without touching their index.
 *
 * 1. `git apply --check`, then `git apply`: the common case, since the patch was made against the user's
 *    current state.
 * 2. If the user changed the files meanwhile: a three-way merge done off to the side, in a scratch copy
 *    of their index (`git apply --3way --cached`). `git apply --3way` on the real tree would stage the
 *    result in their index, fail on files with unstaged changes, and leave conflict markers behind on a
 *    conflict; `--3way --check` does not detect conflicts at all. Only a clean merge is written to the
 *    working tree (`git checkout-index`); on a conflict nothing is written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EngineError, errorMessage } from '../errors';
import { fnv1a } from '../text';
import { gitRaw } from './git';
import { copyIndex } from './snapshot';

export interface ApplyOptions {
  /** where the patch is saved (named in error messages); written there if missing. Default: a temp file. */
  patchFile?: string;
}

export async function applyPatch(repo: string, patch: string, opts: ApplyOptions = {}): Promise<void> {
  if (!patch.trim()) return;
  const cwd = path.resolve(repo);
  const [topRaw, gitDir] = (await gitRaw(cwd, ['rev-parse', '--show-toplevel', '--absolute-git-dir'])).trim().split('\n');
  const top = topRaw!;
  const patchFile = savePatch(patch, opts.patchFile);
  // a temp copy is kept only when something went wrong: then the message points at it
  const dropTemp = () => {
    if (!opts.patchFile) fs.rmSync(patchFile, { force: true });
  };
  const apply = ['apply', '--whitespace=nowarn'];

  let plainError: string;
  try {
    await gitRaw(top, [...apply, '--check', patchFile]);
    await gitRaw(top, [...apply, patchFile]);
    dropTemp();
    return;
  } catch (err) {
    plainError = errorMessage(err);
  }
  if (/corrupt patch|No valid patches|unrecognized input|patch fragment without header/i.test(plainError)) {
    throw new EngineError('bad-input', `the patch at ${patchFile} is malformed and was not applied: ${lastLines(plainError)}`);
  }

  const paths = await patchPaths(top, patchFile);
  const scratch = path.join(os.tmpdir(), `reasoningbank-apply-${process.pid}-${Date.now()}.index`);
  const env = { GIT_INDEX_FILE: scratch };
  try {
    // no index: update-index below builds what the merge needs
    copyIndex(path.join(gitDir!, 'index'), scratch);
    // the scratch index holds the working-tree versions of the touched files: those are "ours" in the merge.
    // Their entries are dropped first so the files are hashed afresh: the copied stat cache would take a
    // same-size edit made in the same second as clean and merge against the old text, then overwrite the edit.
    await gitRaw(top, ['update-index', '--force-remove', '--', ...paths], { env });
    const onDisk = paths.filter((p) => {
      try {
        fs.lstatSync(path.join(top, p));
        return true;
      } catch {
        return false;
      }
    });
    if (onDisk.length) await gitRaw(top, ['update-index', '--add', '--', ...onDisk], { env });
    let mergeError: string | null = null;
    try {
      await gitRaw(top, [...apply, '--3way', '--cached', patchFile], { env });
    } catch (err) {
      mergeError = errorMessage(err);
    }
    if (mergeError !== null) {
      const unmerged = (await gitRaw(top, ['ls-files', '-u', '-z'], { env }).catch(() => ''))
        .split('\0')
        .filter(Boolean)
        .map((line) => line.slice(line.indexOf('\t') + 1));
      const files = [...new Set(unmerged.length ? unmerged : failedFiles(plainError))];
      const what = files.length ? `conflicts in ${files.join(', ')}` : lastLines(plainError);
      throw new EngineError(
        'bad-input',
        `the patch does not apply to the working tree at ${top}: ${what} (changed since the attempt started). ` +
          `Nothing was changed. The patch is saved at ${patchFile}; apply it yourself with ` +
          `\`git apply --3way ${patchFile}\` and resolve the conflicts.`,
      );
    }
    const present = new Set(
      (await gitRaw(top, ['ls-files', '--cached', '-z', '--', ...paths], { env })).split('\0').filter(Boolean),
    );
    const write = paths.filter((p) => present.has(p));
    if (write.length) await gitRaw(top, ['checkout-index', '-f', '--', ...write], { env });
    for (const p of paths) if (!present.has(p)) fs.rmSync(path.join(top, p), { force: true });
    dropTemp();
  } finally {
    fs.rmSync(scratch, { force: true });
    fs.rmSync(`${scratch}.lock`, { force: true });
  }
}

function savePatch(patch: string, wanted?: string): string {
  if (wanted && fs.existsSync(wanted) && fs.readFileSync(wanted, 'utf8') === patch) return wanted;
  const file = wanted ?? path.join(os.tmpdir(), `reasoningbank-patch-${fnv1a(patch)}.diff`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, patch);
  return file;
}

/** Every path the patch touches (both sides of a rename), as `git apply --numstat -z` reports them. */
async function patchPaths(top: string, patchFile: string): Promise<string[]> {
  const out = await gitRaw(top, ['apply', '--numstat', '-z', patchFile]);
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (!field) continue;
    const parts = field.split('\t');
    if (parts.length < 3) continue;
    if (parts[2]) paths.push(parts[2]);
    else {
      // a rename or copy: "added\tdeleted\t" then the two names as separate fields
      if (fields[i + 1]) paths.push(fields[i + 1]!);
      if (fields[i + 2]) paths.push(fields[i + 2]!);
      i += 2;
    }
  }
  return [...new Set(paths)];
}

/** File names in `git apply` errors ("error: patch failed: a.js:3", "error: b.js: already exists ..."). */
export function failedFiles(message: string): string[] {
  const files = new Set<string>();
  for (const m of message.matchAll(/error: patch failed: (.+):\d+$/gm)) files.add(m[1]!);
  for (const m of message.matchAll(
    /error: (.+?): (?:patch does not apply|already exists in working directory|No such file or directory|does not exist in index|does not match index|wrong type)$/gm,
  )) {
    files.add(m[1]!);
  }
  return [...files];
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' / ');
}
