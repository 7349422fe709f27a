/**
 * A ChatModel for provider "vscode-lm". `vscode.lm` lives in the extension host and the engine runs in
 * this process, so every completion is a `model/complete` request to the extension, which calls
 * `vscode.lm` with the tools. Structured replies are validated here exactly like OpenAIChatModel does
 * (schema in the prompt → parse → zod → one repair round), because the LanguageModel API has no
 * response_format. There are no embeddings: retrieval falls back to lexical ranking.
 */
import { CancelledError, EngineError, errorMessage } from '../engine/errors';
import type { AssistantReply, ChatModel, CompleteRequest, StructuredRequest } from '../engine/llm/model';
import { UsageMeter } from '../engine/llm/model';
import { askValidated, toStrictJsonSchema } from '../engine/llm/structured';
import type { ModelCompleteParams } from './protocol';

export type CompleteForwarder = (params: ModelCompleteParams, signal?: AbortSignal) => Promise<AssistantReply>;

export class ForwardingChatModel implements ChatModel {
  readonly embeddingModel = null;

  constructor(
    private readonly forward: CompleteForwarder,
    private readonly modelName: string | undefined,
    private readonly meter: UsageMeter = new UsageMeter(),
  ) {}

  get label(): string {
    return `VS Code language model${this.modelName ? ` "${this.modelName}"` : ''}`;
  }

  get usage() {
    return this.meter.snapshot();
  }

  child(): ChatModel {
    return new ForwardingChatModel(this.forward, this.modelName, new UsageMeter(this.meter));
  }

  async complete(req: CompleteRequest): Promise<AssistantReply> {
    const reply = await this.send({ messages: req.messages, tools: req.tools, model: this.modelName }, req.signal);
    this.meter.add(reply.usage);
    if (reply.content) req.onText?.(reply.content);
    return reply;
  }

  async structured<T>(req: StructuredRequest<T>): Promise<T> {
    const schema = JSON.stringify(toStrictJsonSchema(req.schema));
    const messages = [
      ...req.messages,
      {
        role: 'user' as const,
        content: `Reply with only one JSON value named "${req.name}" that matches this JSON schema, with no prose and no code fence:\n${schema}`,
      },
    ];
    return askValidated({
      name: req.name,
      schema: req.schema,
      messages,
      label: this.label,
      ask: async (conversation) => {
        const reply = await this.send({ messages: conversation, model: this.modelName, json: true }, req.signal);
        this.meter.add(reply.usage);
        return reply.content ?? '';
      },
    });
  }

  async embed(): Promise<number[][] | null> {
    return null;
  }

  private async send(params: ModelCompleteParams, signal?: AbortSignal): Promise<AssistantReply> {
    if (signal?.aborted) throw new CancelledError();
    try {
      return await this.forward(params, signal);
    } catch (err) {
      if (signal?.aborted) throw new CancelledError();
      if (err instanceof EngineError) throw err;
      throw new EngineError('endpoint', `${this.label}: ${errorMessage(err)}`, { cause: err });
    }
  }
}
