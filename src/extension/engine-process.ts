/**
 * The engine process, started on first need: the first command that reads memory or solves, or the
 * memory view becoming visible. Activation never starts it (and never loads vscode-languageclient):
 * `./client` is imported lazily, so the extension host pays for it only when it is used.
 */
import type * as vscode from 'vscode';
import type { ClientRequests, EngineErrorData } from '../server/protocol';
import type { ClientHandlers, EngineClient } from './client';

export class EngineRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

export class Engine implements vscode.Disposable {
  private starting: Promise<EngineClient> | undefined;
  private client: EngineClient | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly handlers: ClientHandlers,
  ) {}

  get running(): boolean {
    return !!this.client;
  }

  private start(): Promise<EngineClient> {
    this.starting ??= (async () => {
      const started = Date.now();
      const { startEngineClient } = await import('./client');
      const client = await startEngineClient(this.context, this.log, this.handlers);
      this.client = client;
      this.log.info(`engine process started in ${Date.now() - started} ms`);
      return client;
    })().catch((err: unknown) => {
      this.starting = undefined;
      throw new EngineRequestError('internal', `the ReasoningBank engine did not start: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.starting;
  }

  async request<K extends keyof ClientRequests>(
    method: K,
    params: ClientRequests[K][0],
    token?: vscode.CancellationToken,
  ): Promise<ClientRequests[K][1]> {
    const client = await this.start();
    try {
      return await client.endpoint.request(method, params, token);
    } catch (err) {
      const data = (err as { data?: EngineErrorData }).data;
      const message = err instanceof Error ? err.message : String(err);
      throw new EngineRequestError(data?.code ?? 'internal', message);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (client) await client.stop().catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
  }
}
