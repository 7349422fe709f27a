import * as vscode from 'vscode';
import type { ApplyPatchResult, PatchPart } from '../../server/protocol';
import type { CommandDef } from '../services';
import { applyAttempt, attemptToApply } from '../apply-attempt';

const KIND: Record<Exclude<PatchPart['kind'], 'hunk'>, string> = {
  new: 'new file',
  deleted: 'deleted file',
  renamed: 'renamed',
  copied: 'copied',
  mode: 'mode change',
  binary: 'binary change',
};

/** File names and changed lines come from the attempt: shown as written, never as `$(icon)` codicons, and one line long. */
function shown(text: string): string {
  const line = text.replace(/\$\(/g, '$\u200b(').replace(/[\r\n\t]/g, ' ');
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/**
 * A mode change travels with any hunk of its file, so each of them says so; a new symbolic link (where it
 * points is the whole change) is shown as one and left unpicked until the person picks it.
 */
export function partItem(p: PatchPart): vscode.QuickPickItem & { id: string } {
  const label = shown(p.file);
  const mode = p.modeChange ? ` · mode ${p.modeChange}` : '';
  if (p.kind === 'hunk') return { id: p.id, label, description: `${p.hunk}${mode}`, detail: p.firstChange ? shown(p.firstChange) : '(blank line)', picked: true };
  const what = p.symlink ? 'new symbolic link' : KIND[p.kind];
  return { id: p.id, label, description: `${what}${p.from !== undefined ? ` from ${shown(p.from)}` : ''}${mode} · taken whole`, picked: !p.symlink };
}

function partsArg(arg: unknown): string[] | undefined {
  const v = arg && typeof arg === 'object' ? (arg as { parts?: unknown }).parts : undefined;
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((id) => typeof id !== 'string')) throw new Error('parts must be a list of part ids (as patch/parts lists them)');
  return v as string[];
}

/**
 * reasoningBank.applyPart — puts the parts of an attempt's patch the person picks (files, hunks; all picked
 * at first) into the working tree. Argument `{attempt?: number, parts: string[]}`: those parts, no questions;
 * resolves to `{applied, files, partial?, error?}`. Nothing picked: nothing applied.
 */
export default {
  id: 'reasoningBank.applyPart',
  async run(s, arg?: unknown): Promise<ApplyPatchResult | undefined> {
    const attempt = await attemptToApply(s, arg, 'Apply part of patch');
    if (!attempt) return undefined;
    let parts = partsArg(arg);
    if (!parts) {
      const { parts: all } = await s.engine.request('patch/parts', { patch: attempt.patch });
      const picked = await vscode.window.showQuickPick(all.map(partItem), {
        canPickMany: true,
        matchOnDescription: true,
        matchOnDetail: true,
        title: `ReasoningBank: apply which parts of attempt #${attempt.index + 1}?`,
        placeHolder: 'Files and hunks to apply (all are picked; untick what to leave out)',
      });
      if (!picked) return undefined;
      parts = picked.map((p) => p.id);
    }
    if (!parts.length) {
      if (!attempt.programmatic) void vscode.window.showInformationMessage('ReasoningBank: nothing picked, nothing applied.');
      return { applied: false, files: [] };
    }
    return applyAttempt(s, attempt, parts);
  },
} satisfies CommandDef;
