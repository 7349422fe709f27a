import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { resolveItem } from '../memory-ref';

/** reasoningBank.copyMemory — copies a lesson as Markdown. */
export default {
  id: 'reasoningBank.copyMemory',
  async run(s, arg?: unknown) {
    const ref = await resolveItem(s, arg);
    if (!ref) return undefined;
    const text = `**${ref.item.title}** — ${ref.item.description}\n\n${ref.item.content}\n`;
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage('ReasoningBank: lesson copied', 2500);
    return text;
  },
} satisfies CommandDef;
