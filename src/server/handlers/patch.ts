/** patch/apply: puts a reviewed patch into the user's working tree (only when asked: Apply). */
import { parsePatch } from 'diff';
import { applyPatch } from '../../engine/git/apply';
import { badInput, errorMessage } from '../../engine/errors';
import type { ApplyPatchParams, ApplyPatchResult } from '../protocol';

export function patchFiles(patch: string): string[] {
  return parsePatch(patch)
    .map((p) => (p.newFileName && p.newFileName !== '/dev/null' ? p.newFileName : p.oldFileName) ?? '')
    .map((name) => name.replace(/^[ab]\//, ''))
    .filter(Boolean);
}

export async function applyPatchHandler(p: ApplyPatchParams): Promise<ApplyPatchResult> {
  if (!p.patch?.trim()) throw badInput('the patch is empty: nothing to apply');
  const files = patchFiles(p.patch);
  try {
    // all or nothing; a three-way merge when the files changed since the run started
    await applyPatch(p.repo, p.patch);
  } catch (err) {
    return { applied: false, files, error: errorMessage(err) };
  }
  return { applied: true, files };
}
