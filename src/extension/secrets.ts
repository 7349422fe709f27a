/** The API key lives in SecretStorage, never in settings; without one the engine uses OPENAI_API_KEY. */
import type * as vscode from 'vscode';

const KEY = 'reasoningBank.apiKey';

export async function readApiKey(secrets: vscode.SecretStorage): Promise<string | undefined> {
  const stored = await secrets.get(KEY);
  return stored && stored.trim() ? stored.trim() : undefined;
}

export async function storeApiKey(secrets: vscode.SecretStorage, key: string | undefined): Promise<void> {
  if (key && key.trim()) await secrets.store(KEY, key.trim());
  else await secrets.delete(KEY);
}
