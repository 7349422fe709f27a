/** Builds the engine's ChatModel from the extension's settings: the openai client, or vscode.lm via the client. */
import type { ChatModel } from '../engine/llm/model';
import { OpenAIChatModel, resolveLlmSettings } from '../engine/llm/openai-model';
import { ForwardingChatModel, type CompleteForwarder } from './forwarding-model';
import type { LlmConfig } from './protocol';

const blankToUndefined = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

export function createChatModel(config: LlmConfig, forward: CompleteForwarder, onWarn: (message: string) => void, k = 1): ChatModel {
  if (config.provider === 'vscode-lm') return new ForwardingChatModel(forward, blankToUndefined(config.model));
  const env = { ...process.env };
  // 0 (the default) means k: every attempt may have one request in flight
  env.REASONINGBANK_CONCURRENCY = String(config.concurrency && config.concurrency > 0 ? config.concurrency : Math.max(1, k));
  const settings = resolveLlmSettings(
    {
      baseUrl: blankToUndefined(config.baseUrl),
      apiKey: blankToUndefined(config.apiKey),
      model: blankToUndefined(config.model),
      embeddingModel: blankToUndefined(config.embeddingModel),
    },
    env,
  );
  return OpenAIChatModel.create(settings, { onWarn });
}
