/**
 * ChatModel over any OpenAI-compatible Chat Completions endpoint (OpenAI, Ollama, vLLM, LM Studio,
 * llama.cpp server) through the official `openai` package. Retries are ours, not the client's, so that
 * parallel attempts share one limiter and back off together.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import { CancelledError, EngineError, errorMessage } from '../errors';
import type { AssistantReply, ChatModel, CompleteRequest, StructuredRequest, ToolCall } from './model';
import { UsageMeter } from './model';
import { RequestLimiter, backoffDelay, parseRetryAfter, sleep } from './limiter';
import { askValidated, toStrictJsonSchema } from './structured';
import { envInt } from '../env';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_MODEL = 'gpt-4.1-mini';
/**
 * A request that has not been answered in 3 minutes is given one more try; if that also times out the
 * endpoint is taken as unresponsive and every later request of the run fails at once. So a server that
 * accepts connections and never answers ends a run in about 6 minutes (agent, judge and distillation
 * together), not 600 s × 5 tries for each of them.
 */
export const DEFAULT_REQUEST_TIMEOUT_MS = 180_000;
const TIMEOUT_RETRIES = 1;

export interface LlmSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  embeddingModel: string | null;
  /** per request */
  timeoutMs: number;
  maxRetries: number;
  /** stream agent steps (text arrives as it is produced) */
  stream: boolean;
  maxConcurrent: number;
}

export interface LlmFlags {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  embeddingModel?: string;
}

/**
 * Flags win over the environment. An API key is required only for the default OpenAI endpoint: local
 * servers (any --base-url) usually need none.
 */
export function resolveLlmSettings(flags: LlmFlags, env: NodeJS.ProcessEnv = process.env): LlmSettings {
  const baseURL = (flags.baseUrl ?? env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const apiKey = flags.apiKey ?? env.OPENAI_API_KEY ?? '';
  if (!apiKey && baseURL === DEFAULT_BASE_URL) {
    throw new EngineError(
      'usage',
      'no API key: set OPENAI_API_KEY, or point --base-url (OPENAI_BASE_URL) at a local OpenAI-compatible server',
    );
  }
  try {
    new URL(baseURL);
  } catch {
    throw new EngineError('usage', `--base-url is not a URL: ${baseURL}`);
  }
  return {
    baseURL,
    apiKey: apiKey || 'not-needed',
    model: flags.model ?? env.REASONINGBANK_MODEL ?? DEFAULT_MODEL,
    embeddingModel: flags.embeddingModel ?? env.REASONINGBANK_EMBEDDING_MODEL ?? null,
    timeoutMs: envInt(env, 'REASONINGBANK_REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS, 1000, 3_600_000),
    maxRetries: envInt(env, 'REASONINGBANK_MAX_RETRIES', 4, 0, 10),
    stream: env.REASONINGBANK_STREAM === '1',
    maxConcurrent: envInt(env, 'REASONINGBANK_CONCURRENCY', 4, 1, 64),
  };
}

interface Shared {
  client: OpenAI;
  settings: LlmSettings;
  limiter: RequestLimiter;
  embeddingsBroken: boolean;
  onWarn: (message: string) => void;
}

/** One run's view of the endpoint's health, shared by the run's attempts, judge and distillation. */
interface RunHealth {
  /** set once a request timed out on every try: the endpoint is not answering, later requests fail at once */
  unresponsive: EngineError | null;
}

export class OpenAIChatModel implements ChatModel {
  private readonly meter: UsageMeter;

  static create(settings: LlmSettings, opts: { limiter?: RequestLimiter; onWarn?: (m: string) => void } = {}): OpenAIChatModel {
    const client = new OpenAI({
      baseURL: settings.baseURL,
      apiKey: settings.apiKey,
      timeout: settings.timeoutMs,
      maxRetries: 0,
    });
    return new OpenAIChatModel(
      {
        client,
        settings,
        limiter: opts.limiter ?? new RequestLimiter(settings.maxConcurrent),
        embeddingsBroken: false,
        onWarn: opts.onWarn ?? (() => {}),
      },
      new UsageMeter(),
      { unresponsive: null },
    );
  }

  private constructor(
    private readonly shared: Shared,
    meter: UsageMeter,
    private readonly health: RunHealth,
  ) {
    this.meter = meter;
  }

  get label(): string {
    return `model "${this.shared.settings.model}" at ${this.shared.settings.baseURL}`;
  }

  get usage() {
    return this.meter.snapshot();
  }

  get embeddingModel(): string | null {
    return this.shared.embeddingsBroken ? null : this.shared.settings.embeddingModel;
  }

  get limiter(): RequestLimiter {
    return this.shared.limiter;
  }

  child(opts: { newRun?: boolean } = {}): ChatModel {
    return new OpenAIChatModel(this.shared, new UsageMeter(this.meter), opts.newRun ? { unresponsive: null } : this.health);
  }

  async complete(req: CompleteRequest): Promise<AssistantReply> {
    const { settings, client } = this.shared;
    const body = {
      model: settings.model,
      messages: req.messages,
      ...(req.tools && req.tools.length ? { tools: req.tools, tool_choice: 'auto' as const } : {}),
    };
    if (settings.stream) {
      return this.withRetries('chat', req.signal, async (signal) => {
        const stream = await client.chat.completions.create(
          { ...body, stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        let content = '';
        let finishReason: string | null = null;
        const calls: { id: string; name: string; arguments: string }[] = [];
        let usage = { prompt: 0, completion: 0 };
        for await (const chunk of stream) {
          if (chunk.usage) usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
          const choice = chunk.choices?.[0];
          if (!choice) continue;
          if (choice.finish_reason) finishReason = choice.finish_reason;
          const delta = choice.delta;
          if (delta?.content) {
            content += delta.content;
            req.onText?.(delta.content);
          }
          for (const tc of delta?.tool_calls ?? []) {
            const slot = (calls[tc.index] ??= { id: '', name: '', arguments: '' });
            if (tc.id) slot.id = tc.id;
            if (tc.function?.name) slot.name += tc.function.name;
            if (tc.function?.arguments) slot.arguments += tc.function.arguments;
          }
        }
        this.meter.add(usage);
        return {
          content: content || null,
          toolCalls: calls.filter(Boolean).map((c, i) => ({ ...c, id: c.id || `call_${i}` })),
          finishReason,
          usage,
        };
      });
    }
    return this.withRetries('chat', req.signal, async (signal) => {
      const res = await client.chat.completions.create(body, { signal });
      const choice = res.choices?.[0];
      if (!choice) throw new EngineError('model-reply', `${this.label} returned no choices`);
      const usage = { prompt: res.usage?.prompt_tokens ?? 0, completion: res.usage?.completion_tokens ?? 0 };
      this.meter.add(usage);
      if (choice.message.content) req.onText?.(choice.message.content);
      return {
        content: choice.message.content ?? null,
        toolCalls: (choice.message.tool_calls ?? [])
          .filter((tc): tc is ChatCompletionMessageToolCall & { type: 'function' } => tc.type === 'function')
          .map((tc, i): ToolCall => ({ id: tc.id || `call_${i}`, name: tc.function.name, arguments: tc.function.arguments ?? '' })),
        finishReason: choice.finish_reason ?? null,
        usage,
      };
    });
  }

  async structured<T>(req: StructuredRequest<T>): Promise<T> {
    const { settings, client } = this.shared;
    const response_format = {
      type: 'json_schema' as const,
      json_schema: { name: req.name, schema: toStrictJsonSchema(req.schema), strict: true },
    };
    return askValidated({
      name: req.name,
      schema: req.schema,
      messages: req.messages,
      label: this.label,
      ask: async (messages) => {
        const res = await this.withRetries('structured', req.signal, (signal) =>
          client.chat.completions.create({ model: settings.model, messages, response_format }, { signal }),
        );
        this.meter.add({ prompt: res.usage?.prompt_tokens ?? 0, completion: res.usage?.completion_tokens ?? 0 });
        return res.choices?.[0]?.message?.content ?? '';
      },
    });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][] | null> {
    const model = this.embeddingModel;
    if (!model || texts.length === 0) return model ? [] : null;
    try {
      // 'float' explicitly: the SDK otherwise asks for base64 and decodes the reply as such, which garbles
      // the float arrays that servers ignoring encoding_format (several local ones) send back
      const res = await this.withRetries('embeddings', signal, (requestSignal) =>
        this.shared.client.embeddings.create({ model, input: texts, encoding_format: 'float' }, { signal: requestSignal }),
      );
      this.meter.add({ prompt: res.usage?.prompt_tokens ?? 0, completion: 0 });
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== texts.length) throw new Error(`expected ${texts.length} vectors, got ${sorted.length}`);
      return sorted.map((d) => d.embedding as number[]);
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      this.shared.embeddingsBroken = true;
      this.shared.onWarn(
        `embeddings from "${model}" at ${this.shared.settings.baseURL} failed (${errorMessage(err)}); memory retrieval falls back to lexical ranking`,
      );
      return null;
    }
  }

  private async withRetries<T>(what: string, signal: AbortSignal | undefined, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { settings, limiter } = this.shared;
    let timeouts = 0;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new CancelledError();
      if (this.health.unresponsive) throw this.health.unresponsive;
      // a signal of its own for each request: the client leaves a listener on the signal it is given, and
      // one run-wide signal would collect one per request (MaxListenersExceededWarning after ten)
      const request = new AbortController();
      const forward = () => request.abort(signal?.reason);
      signal?.addEventListener('abort', forward, { once: true });
      try {
        return await limiter.run(() => fn(request.signal), signal);
      } catch (err) {
        if (signal?.aborted || err instanceof APIUserAbortError) throw new CancelledError();
        if (err instanceof EngineError) throw err;
        if (err instanceof APIConnectionTimeoutError && ++timeouts > TIMEOUT_RETRIES) {
          this.health.unresponsive ??= new EngineError(
            'endpoint',
            `${this.label} did not answer: no reply within ${Math.round(settings.timeoutMs / 1000)} s, ${timeouts} times. ` +
              'Is the server overloaded or stuck? (REASONINGBANK_REQUEST_TIMEOUT_MS sets the wait per request.)',
            { cause: err },
          );
          throw this.health.unresponsive;
        }
        const retryable = isRetryable(err);
        if (!retryable || attempt >= settings.maxRetries) throw this.describe(err, what, attempt);
        const retryAfter = err instanceof APIError ? parseRetryAfter(err.headers as Headers | undefined) : undefined;
        const delay = backoffDelay(attempt, retryAfter);
        if (err instanceof APIError && err.status === 429) limiter.pause(delay);
        this.shared.onWarn(`${what} request to ${this.label} failed (${shortError(err)}); retrying in ${Math.round(delay)} ms`);
        await sleep(delay, signal).catch(() => {
          throw new CancelledError();
        });
      } finally {
        signal?.removeEventListener('abort', forward);
      }
    }
  }

  private describe(err: unknown, what: string, retries: number): EngineError {
    const where = this.label;
    const tried = retries ? ` (after ${retries + 1} tries)` : '';
    if (err instanceof APIError && err.status === 404) {
      return new EngineError('endpoint', `${where}: not found (404) — is the model name right, and does the base URL end in /v1? ${shortError(err)}`, { cause: err });
    }
    if (err instanceof APIError && (err.status === 401 || err.status === 403)) {
      return new EngineError('endpoint', `${where}: the API key was refused (${err.status}). Set OPENAI_API_KEY or the ReasoningBank API key.`, { cause: err });
    }
    if (err instanceof APIConnectionError) {
      return new EngineError('endpoint', `cannot reach ${where}${tried}: ${shortError(err)}. Is the server running?`, { cause: err });
    }
    return new EngineError('endpoint', `${what} request to ${where} failed${tried}: ${shortError(err)}`, { cause: err });
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof APIConnectionTimeoutError || err instanceof APIConnectionError) return true;
  if (err instanceof APIError) return err.status === 429 || err.status === 408 || err.status === 409 || (err.status ?? 0) >= 500;
  return false;
}

function shortError(err: unknown): string {
  if (err instanceof APIConnectionError) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return errorMessage(err).slice(0, 300);
}
