import * as crypto from 'crypto';
import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { currentMemoryFile } from '../memory-ref';
import { draftUri } from '../memory-docs';

/**
 * reasoningBank.addMemory — a lesson written by hand. Interactively: a Markdown editor (title and
 * description in its header, the content below, as many lines as it takes); saving it adds the lesson.
 * `{title, description, content}` asks nothing and resolves to the new item.
 */
export default {
  id: 'reasoningBank.addMemory',
  async run(s, arg?: unknown) {
    const memoryFile = currentMemoryFile();
    if (!isProgrammaticArg(arg)) {
      const uri = draftUri(memoryFile, crypto.randomUUID());
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(1, 7, 1, 7);
      void vscode.window.showInformationMessage('ReasoningBank: fill in the title, the description (when to use it) and the lesson below the header, then Save to add it to the memory bank.');
      return uri;
    }
    const { title, description, content } = arg;
    if (typeof title !== 'string' || typeof description !== 'string' || typeof content !== 'string') {
      throw new Error('ReasoningBank: addMemory needs {title, description, content} strings');
    }
    const item = await s.engine.request('memory/add', { memoryFile, draft: { title, description, content } });
    s.tree.refresh();
    return item;
  },
} satisfies CommandDef;
