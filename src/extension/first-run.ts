/**
 * The "Get started with ReasoningBank" walkthrough opens once, on the first activation after install —
 * unless the user turned that off for all extensions (`workbench.welcomePage.walkthroughs.openOnInstall`).
 */
import * as vscode from 'vscode';

const SHOWN_KEY = 'reasoningBank.walkthroughShown';

export async function openWalkthroughOnce(context: vscode.ExtensionContext): Promise<boolean> {
  if (context.globalState.get<boolean>(SHOWN_KEY)) return false;
  await context.globalState.update(SHOWN_KEY, true);
  if (!vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true)) return false;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#gettingStarted`, false);
  return true;
}
