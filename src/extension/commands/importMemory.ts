import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { currentMemoryFile } from '../memory-ref';

/** "imported 1 lesson, skipped 2 already in the bank and 1 deleted earlier" */
export function importSummary(r: { added: number; skipped: number; deleted: number }): string {
  const present = r.skipped - r.deleted;
  const skipped = [present ? `${present} already in the bank` : '', r.deleted ? `${r.deleted} deleted earlier` : ''].filter(Boolean).join(' and ');
  return `imported ${r.added} lesson${r.added === 1 ? '' : 's'}${skipped ? `, skipped ${skipped}` : ''}`;
}

/**
 * reasoningBank.importMemory — adds the items of a JSONL export; exact duplicates are skipped. Lessons from
 * elsewhere arrive as imported, unpinned and without evidence; the user's own export can be restored whole.
 * `{file, restore?}` asks nothing.
 */
export default {
  id: 'reasoningBank.importMemory',
  async run(s, arg?: unknown) {
    const memoryFile = currentMemoryFile();
    let source: vscode.Uri | undefined;
    let restore = false;
    if (isProgrammaticArg(arg) && typeof arg.file === 'string') {
      source = vscode.Uri.file(arg.file);
      restore = arg.restore === true;
    } else {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON Lines': ['jsonl', 'json'] }, openLabel: 'Import memory' });
      source = picked?.[0];
      if (!source) return undefined;
      const how = await vscode.window.showQuickPick(
        [
          { label: 'Lessons from elsewhere', detail: 'Imported, unpinned, with no uses, wins or losses: they earn their rank here.', restore: false },
          { label: 'My own export (restore)', detail: 'Keep each lesson\'s source, pin and evidence as the export says.', restore: true },
        ],
        { title: 'ReasoningBank: import these lessons as…' },
      );
      if (!how) return undefined;
      restore = how.restore;
    }
    if (!source) return undefined;
    const jsonl = Buffer.from(await vscode.workspace.fs.readFile(source)).toString('utf8');
    const result = await s.engine.request('memory/import', { memoryFile, jsonl, restore });
    s.tree.refresh();
    if (!isProgrammaticArg(arg)) {
      void vscode.window.showInformationMessage(`ReasoningBank: ${importSummary(result)}.`);
    }
    return result;
  },
} satisfies CommandDef;
