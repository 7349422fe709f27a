import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { resolveItem } from '../memory-ref';

/** reasoningBank.deleteMemory — deletes a lesson after confirmation (`{id, confirm: false}` skips it). */
export default {
  id: 'reasoningBank.deleteMemory',
  async run(s, arg?: unknown) {
    const ref = await resolveItem(s, arg);
    if (!ref) return false;
    const skipConfirm = isProgrammaticArg(arg) && arg.confirm === false;
    if (!skipConfirm) {
      const ok = await vscode.window.showWarningMessage(
        `Delete the lesson "${ref.item.title}"?`,
        { modal: true, detail: 'It is removed from the memory bank file. Archive it instead to keep it without retrieving it.' },
        'Delete',
      );
      if (ok !== 'Delete') return false;
    }
    const { deleted } = await s.engine.request('memory/delete', { memoryFile: ref.memoryFile, id: ref.item.id });
    s.tree.refresh();
    return deleted;
  },
} satisfies CommandDef;
