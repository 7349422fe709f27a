import * as vscode from 'vscode';
import type { CommandDef } from '../services';
import { SECTION } from '../settings';

type ModelItem = vscode.QuickPickItem & { value: string };

/** Writes where a value is set today (the workspace), else to the user settings. */
function targetOf(config: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  return config.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/**
 * reasoningBank.selectModel — lists the chat models vscode.lm offers (GitHub Copilot's, or any other
 * provider's) by name, vendor and family, and writes the pick to reasoningBank.model (the family when
 * no other offered model shares it, else the id) with reasoningBank.provider "vscode-lm". Resolves to the
 * value written, or undefined when nothing was picked.
 */
export default {
  id: 'reasoningBank.selectModel',
  async run() {
    const lm = await import('../lm-bridge');
    const models = await vscode.lm.selectChatModels({});
    if (!models.length) {
      const message = await lm.noChatModelMessage(undefined);
      const pick = await vscode.window.showErrorMessage(`ReasoningBank: ${message}`, 'Open settings');
      if (pick === 'Open settings') void vscode.commands.executeCommand('reasoningBank.openSettings');
      return undefined;
    }
    const config = vscode.workspace.getConfiguration(SECTION);
    const current = config.get<string>('provider') === 'vscode-lm' ? await lm.findChatModel(config.get<string>('model', '')) : undefined;
    const perFamily = new Map<string, number>();
    for (const m of models) perFamily.set(m.family, (perFamily.get(m.family) ?? 0) + 1);
    const items: ModelItem[] = models.map((m) => ({
      label: m.name || m.id,
      description: `${m.vendor} · family ${m.family}${m.id === current?.id ? ' · current' : ''}`,
      detail: `id ${m.id}${m.maxInputTokens ? ` · ${m.maxInputTokens.toLocaleString('en')} input tokens` : ''}`,
      value: perFamily.get(m.family) === 1 ? m.family : m.id,
    }));
    const box = vscode.window.createQuickPick<ModelItem>();
    box.title = 'ReasoningBank: language model (vscode.lm)';
    box.placeholder = 'The model the agent, the judge and the distiller use (it needs tool calling)';
    box.matchOnDescription = true;
    box.matchOnDetail = true;
    box.items = items;
    const active = items[models.findIndex((m) => m.id === current?.id)];
    if (active) box.activeItems = [active];
    const chosen = await new Promise<ModelItem | undefined>((resolve) => {
      box.onDidAccept(() => {
        resolve(box.selectedItems[0] ?? box.activeItems[0]);
        box.hide();
      });
      box.onDidHide(() => resolve(undefined));
      box.show();
    });
    box.dispose();
    if (!chosen) return undefined;
    await config.update('model', chosen.value, targetOf(config, 'model'));
    if (config.get<string>('provider') !== 'vscode-lm') await config.update('provider', 'vscode-lm', targetOf(config, 'provider'));
    void vscode.window.showInformationMessage(`ReasoningBank: using ${chosen.label} (${chosen.description?.replace(' · current', '')}) through vscode.lm.`);
    return chosen.value;
  },
} satisfies CommandDef;
