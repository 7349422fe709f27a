/**
 * What the engine needs of a language model. The agent loop, the judge, distillation and scaling take a
 * ChatModel, so tests hand in the real OpenAI client pointed at a scripted server, and the VS Code side can
 * hand in a model that forwards to `vscode.lm`.
 */
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { TokenUsage } from '../types';

export type ChatMessage = ChatCompletionMessageParam;
export type ToolSpec = ChatCompletionTool;

export interface ToolCall {
  id: string;
  name: string;
  /** raw JSON text as the model produced it: it may be malformed, the caller decides */
  arguments: string;
}

export interface AssistantReply {
  content: string | null;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage: TokenUsage;
}

export interface CompleteRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  signal?: AbortSignal;
  /** called with text as it streams in (where the model streams) */
  onText?: (delta: string) => void;
}

export interface StructuredRequest<T> {
  /** schema name sent in response_format.json_schema.name */
  name: string;
  schema: z.ZodType<T>;
  messages: ChatMessage[];
  signal?: AbortSignal;
}

export interface ChatModel {
  /** "model @ endpoint", for messages */
  readonly label: string;
  /** tokens used through this model object and its children */
  readonly usage: TokenUsage;
  /**
   * A view with its own token meter that also counts into this one. `newRun`: the view starts a run of its
   * own (the bench's next task), so an endpoint an earlier run found unresponsive is tried again.
   */
  child(opts?: { newRun?: boolean }): ChatModel;
  complete(req: CompleteRequest): Promise<AssistantReply>;
  /** a reply validated against `schema`; one repair retry, then an EngineError('model-reply') */
  structured<T>(req: StructuredRequest<T>): Promise<T>;
  /** embeddings, or null when no embedding model is configured or the endpoint does not serve them */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][] | null>;
  /** the embedding model's name (part of the cache key of stored vectors), or null */
  readonly embeddingModel: string | null;
}

export class UsageMeter implements TokenUsage {
  prompt = 0;
  completion = 0;
  constructor(private readonly parent?: UsageMeter) {}
  add(u: TokenUsage): void {
    this.prompt += u.prompt;
    this.completion += u.completion;
    this.parent?.add(u);
  }
  snapshot(): TokenUsage {
    return { prompt: this.prompt, completion: this.completion };
  }
}
