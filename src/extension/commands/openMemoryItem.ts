import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { resolveItem } from '../memory-ref';
import { viewUri } from '../memory-docs';

/** reasoningBank.openMemoryItem — a read-only Markdown view of a lesson with its provenance and lineage. */
export default {
  id: 'reasoningBank.openMemoryItem',
  async run(s, arg?: unknown) {
    const ref = await resolveItem(s, arg);
    if (!ref) return undefined;
    const doc = await vscode.workspace.openTextDocument(viewUri(ref.memoryFile, ref.item));
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return ref.item.id;
  },
} satisfies CommandDef;
