import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { storeApiKey } from '../secrets';

/** reasoningBank.setApiKey — stores the key in SecretStorage (never in settings); empty removes it. */
export default {
  id: 'reasoningBank.setApiKey',
  async run(s) {
    const key = await vscode.window.showInputBox({
      title: 'ReasoningBank: API key',
      prompt: 'Stored in VS Code\'s secret storage. Leave empty to remove it (then OPENAI_API_KEY from the environment is used).',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return false;
    await storeApiKey(s.context.secrets, key);
    void vscode.window.showInformationMessage(key.trim() ? 'ReasoningBank: API key saved.' : 'ReasoningBank: API key removed.');
    return true;
  },
} satisfies CommandDef;
