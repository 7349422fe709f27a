/** json_schema response formats from zod schemas, and tolerant parsing of what models send back. */
import { z } from 'zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { EngineError, errorMessage } from '../errors';

/** Strict-mode JSON schema: every object closed, every property required (OpenAI's strict rules). */
export function toStrictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete json.$schema;
  closeObjects(json);
  return json;
}

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (obj.type === 'object' && obj.properties && typeof obj.properties === 'object') {
    obj.additionalProperties = false;
    obj.required = Object.keys(obj.properties as object);
  }
  for (const value of Object.values(obj)) closeObjects(value);
}

/** Models wrap JSON in fences or prose now and then; take the outermost JSON value. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    // fall through to the lenient paths
  }
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fence) {
    try {
      return JSON.parse(fence[1]!.trim());
    } catch {
      // fall through
    }
  }
  const start = trimmed.search(/[[{]/);
  const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
  if (start >= 0 && end > start) return JSON.parse(trimmed.slice(start, end + 1));
  throw new SyntaxError('no JSON value in the reply');
}

export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * The validate-and-repair loop every ChatModel uses for structured replies: ask, parse, validate; on a
 * mismatch show the model its reply and what is wrong, once; then a clear error naming the model.
 * `ask` sends the conversation and returns the reply text (it does its own token accounting).
 */
export async function askValidated<T>(opts: {
  name: string;
  schema: z.ZodType<T>;
  messages: ChatCompletionMessageParam[];
  label: string;
  ask: (messages: ChatCompletionMessageParam[]) => Promise<string>;
}): Promise<T> {
  const messages = [...opts.messages];
  let problem = '';
  for (let round = 0; round < 2; round++) {
    const text = await opts.ask(messages);
    try {
      const parsed = opts.schema.safeParse(extractJson(text));
      if (parsed.success) return parsed.data;
      problem = describeZodError(parsed.error);
    } catch (err) {
      problem = `not valid JSON (${errorMessage(err)})`;
    }
    messages.push({ role: 'assistant', content: text || '(empty reply)' });
    messages.push({
      role: 'user',
      content: `That reply does not match the required JSON schema "${opts.name}": ${problem}. Reply again with only the JSON value, nothing else.`,
    });
  }
  throw new EngineError('model-reply', `${opts.label} gave a "${opts.name}" reply that does not match its schema, also after one repair request: ${problem}`);
}
