/** `reasoningBank.*` settings (names are a public contract: docs/VSCODE.md, "Settings") and what the engine needs from them. */
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandApproval, LlmConfig, Provider } from '../server/protocol';
import { readApiKey } from './secrets';

export const SECTION = 'reasoningBank';

export interface Settings {
  provider: Provider;
  baseUrl: string;
  model: string;
  embeddingModel: string;
  memoryPath: string;
  testCommand: string;
  maxSteps: number;
  k: number;
  concurrency: number;
  commandApproval: CommandApproval;
  allowedCommands: string[];
  linkedFolders: string[];
  worktreeDir: string;
  network: 'on' | 'off';
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  return {
    provider: c.get<Provider>('provider', 'openai-compatible'),
    baseUrl: c.get<string>('baseUrl', ''),
    model: c.get<string>('model', ''),
    embeddingModel: c.get<string>('embeddingModel', ''),
    memoryPath: c.get<string>('memoryPath', '.reasoningbank/memory.sqlite'),
    testCommand: c.get<string>('testCommand', ''),
    maxSteps: c.get<number>('maxSteps', 50),
    k: c.get<number>('k', 3),
    concurrency: c.get<number>('concurrency', 0),
    commandApproval: c.get<CommandApproval>('commandApproval', 'ask'),
    allowedCommands: c.get<string[]>('allowedCommands', []),
    linkedFolders: c.get<string[]>('linkedFolders', ['node_modules', '.venv']),
    worktreeDir: c.get<string>('worktreeDir', ''),
    network: c.get<string>('network', 'off') === 'on' ? 'on' : 'off',
  };
}

/** The numeric settings and their accepted ranges (the same as package.json declares). */
const NUMERIC: { key: 'maxSteps' | 'k' | 'concurrency'; min: number; max: number }[] = [
  { key: 'maxSteps', min: 1, max: 500 },
  { key: 'k', min: 2, max: 8 },
  { key: 'concurrency', min: 0, max: 32 },
];

/**
 * What is wrong with the numeric settings, one message per setting naming it and its range. VS Code only
 * warns in the settings editor; a hand-edited settings.json can still hold 0, -3, 2.5 or "ten".
 */
export function settingsProblems(settings: Settings): string[] {
  return NUMERIC.filter(({ key, min, max }) => {
    const v: unknown = settings[key];
    return typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max;
  }).map(({ key, min, max }) => `${SECTION}.${key} must be a whole number from ${min} to ${max} (it is ${JSON.stringify(settings[key])})`);
}

/** `memoryPath` is relative to the workspace folder unless absolute; `~` means the home folder. */
export function memoryFileFor(folder: vscode.WorkspaceFolder, settings = readSettings(folder.uri)): string {
  let p = settings.memoryPath.trim() || '.reasoningbank/memory.sqlite';
  if (p.startsWith('~/')) p = path.join(require('os').homedir(), p.slice(2));
  return path.isAbsolute(p) ? p : path.join(folder.uri.fsPath, p);
}

export function worktreeDirFor(folder: vscode.WorkspaceFolder, settings: Settings): string | undefined {
  const p = settings.worktreeDir.trim();
  if (!p) return undefined;
  return path.isAbsolute(p) ? p : path.join(folder.uri.fsPath, p);
}

export async function llmConfig(settings: Settings, secrets: vscode.SecretStorage): Promise<LlmConfig> {
  const apiKey = settings.provider === 'openai-compatible' ? await readApiKey(secrets) : undefined;
  return {
    provider: settings.provider,
    baseUrl: settings.baseUrl,
    apiKey,
    model: settings.model,
    embeddingModel: settings.embeddingModel,
    concurrency: settings.concurrency,
  };
}
