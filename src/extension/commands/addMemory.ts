import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { isProgrammaticArg } from '../services';
import { currentMemoryFile } from '../memory-ref';

const ask = (title: string, prompt: string) =>
  vscode.window.showInputBox({
    title: `ReasoningBank: new lesson — ${title}`,
    prompt,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : `The ${title.toLowerCase()} cannot be empty`),
  });

/** reasoningBank.addMemory — a lesson written by hand (title, description, content). `{title, description, content}` asks nothing. */
export default {
  id: 'reasoningBank.addMemory',
  async run(s, arg?: unknown) {
    const memoryFile = currentMemoryFile();
    let draft: { title: string; description: string; content: string };
    if (isProgrammaticArg(arg)) {
      const { title, description, content } = arg;
      if (typeof title !== 'string' || typeof description !== 'string' || typeof content !== 'string') {
        throw new Error('ReasoningBank: addMemory needs {title, description, content} strings');
      }
      draft = { title, description, content };
    } else {
      const title = await ask('Title', 'A concise name of the strategy');
      if (!title) return undefined;
      const description = await ask('Description', 'One sentence: when to use it (or when not)');
      if (!description) return undefined;
      const content = await ask('Content', '1–5 sentences of distilled reasoning, decision rationale or pitfall');
      if (!content) return undefined;
      draft = { title, description, content };
    }
    const item = await s.engine.request('memory/add', { memoryFile, draft });
    s.tree.refresh();
    return item;
  },
} satisfies CommandDef;
