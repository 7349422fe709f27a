/** The language client that runs the engine process (dist/server.js) over IPC and answers its requests. */
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { ApprovalParams, ApprovalResult, ModelCompleteParams, ServerNotifications } from '../server/protocol';
import { extensionEndpoint, type ExtensionEndpoint } from '../server/protocol';
import type { AssistantReply } from '../engine/llm/model';

export interface ClientHandlers {
  runEvent(params: ServerNotifications['run/event']): void;
  memoryChanged(params: ServerNotifications['memory/changed']): void;
  serverLog(params: ServerNotifications['server/log']): void;
  approval(params: ApprovalParams, token: vscode.CancellationToken): Promise<ApprovalResult>;
  complete(params: ModelCompleteParams, token: vscode.CancellationToken): Promise<AssistantReply>;
}

export interface EngineClient {
  endpoint: ExtensionEndpoint;
  stop(): Promise<void>;
}

export async function startEngineClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  handlers: ClientHandlers,
): Promise<EngineClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [],
    outputChannel: log,
    initializationFailedHandler: (err) => {
      log.error(`engine failed to initialize: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    },
  };
  const client = new LanguageClient('reasoningBank', 'ReasoningBank engine', serverOptions, clientOptions);
  const endpoint = extensionEndpoint(client);
  endpoint.onNotification('run/event', handlers.runEvent);
  endpoint.onNotification('memory/changed', handlers.memoryChanged);
  endpoint.onNotification('server/log', handlers.serverLog);
  endpoint.onRequest('approval/request', (p, token) => handlers.approval(p, token as vscode.CancellationToken));
  endpoint.onRequest('model/complete', (p, token) => handlers.complete(p, token as vscode.CancellationToken));
  await client.start();
  return { endpoint, stop: () => client.stop() };
}
