/** patch/apply and patch/parts: put a reviewed patch, or the parts of it the person chose, into the user's working tree (only when asked: Apply). */
import { applyPatch } from '../../engine/git/apply';
import { patchPartFiles, patchParts, selectPatchParts, type PatchPart } from '../../engine/git/patch-parts';
import { badInput, errorMessage } from '../../engine/errors';
import type { ApplyPatchParams, ApplyPatchResult } from '../protocol';

export function patchPartsHandler(p: { patch: string }): { parts: PatchPart[] } {
  return { parts: patchParts(p.patch ?? '') };
}

export async function applyPatchHandler(p: ApplyPatchParams): Promise<ApplyPatchResult> {
  if (!p.patch?.trim()) throw badInput('the patch is empty: nothing to apply');
  if (p.parts !== undefined && (!Array.isArray(p.parts) || p.parts.some((id) => typeof id !== 'string'))) throw badInput('parts must be a list of part ids from patch/parts');
  if (p.parts !== undefined && !p.parts.length) throw badInput('no part of the patch was chosen: nothing to apply');
  const patch = p.parts ? selectPatchParts(p.patch, p.parts) : p.patch;
  const partial = p.parts ? new Set(p.parts).size < patchParts(p.patch).length : false;
  const files = patchPartFiles(patch);
  try {
    // all or nothing; a three-way merge when the files changed since the run started
    await applyPatch(p.repo, patch);
  } catch (err) {
    return { applied: false, files, ...(partial ? { partial } : {}), error: errorMessage(err) };
  }
  return { applied: true, files, ...(partial ? { partial } : {}) };
}
