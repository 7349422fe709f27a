import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { resolveItem } from '../memory-ref';
import { editUri } from '../memory-docs';

/** reasoningBank.editMemory — an editable document; Save writes title/description/content back. */
export default {
  id: 'reasoningBank.editMemory',
  async run(s, arg?: unknown) {
    const ref = await resolveItem(s, arg);
    if (!ref) return undefined;
    const doc = await vscode.workspace.openTextDocument(editUri(ref.memoryFile, ref.item));
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc.uri.toString();
  },
} satisfies CommandDef;
