import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { resolveItem } from '../memory-ref';
import { viewUri } from '../memory-docs';

/** reasoningBank.openMemoryItem — a lesson rendered (Markdown preview) with its provenance and lineage; "Edit lesson" opens its source. */
export default {
  id: 'reasoningBank.openMemoryItem',
  async run(s, arg?: unknown) {
    const ref = await resolveItem(s, arg);
    if (!ref) return undefined;
    const uri = viewUri(ref.memoryFile, ref.item);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    // the built-in Markdown preview renders any document; without the Markdown extension, show the source
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(doc, { preview: true });
    }
    return ref.item.id;
  },
} satisfies CommandDef;
