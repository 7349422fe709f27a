/**
 * Keeps a long attempt inside the model's context window: when the conversation nears its budget, old
 * tool output is replaced by a short note, so the agent can go on working (and re-run a tool it needs).
 */
import type { ChatMessage } from '../llm/model';

/** characters of conversation an attempt may hold (about 100k tokens) */
export const DEFAULT_CONTEXT_BUDGET_CHARS = 400_000;
/** eliding starts when the conversation passes this share of the budget… */
const START_ELIDING_AT = 0.85;
/** …and goes on, oldest first, until it is under this share: well below, so it happens rarely */
const ELIDE_DOWN_TO = 0.6;
/** the latest steps are never elided: the model is working with them */
const KEEP_RECENT_STEPS = 3;
/** a tool call whose arguments are longer (e.g. a whole file written) has its long strings elided */
const LONG_ARGUMENTS_CHARS = 500;
/** observations and argument strings this short are kept: eliding them would save nothing */
const SHORT_OBSERVATION_CHARS = 200;

function messageChars(m: ChatMessage): number {
  let n = typeof m.content === 'string' ? m.content.length : m.content ? JSON.stringify(m.content).length : 0;
  if (m.role === 'assistant') for (const c of m.tool_calls ?? []) n += c.type === 'function' ? c.function.arguments.length + c.function.name.length : 0;
  return n;
}

const ELIDED = /^\[elided /;

/**
 * When the conversation nears the budget, replaces old tool observations (and long arguments of old
 * tool calls, e.g. whole files written) with a short note, oldest first, until it is well under the
 * budget. The system prompt, the first user message and the latest steps stay as they are. Eliding in
 * one go, rather than a little every step, keeps the prompt prefix stable for the endpoint's cache.
 */
export function elideOldObservations(messages: ChatMessage[], budgetChars: number): number {
  let total = messages.reduce((n, m) => n + messageChars(m), 0);
  if (total <= budgetChars * START_ELIDING_AT) return 0;
  const target = budgetChars * ELIDE_DOWN_TO;
  const firstUser = messages.findIndex((m) => m.role === 'user');
  let assistantsSeen = 0;
  let protectedFrom = messages.length;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'assistant' && ++assistantsSeen === KEEP_RECENT_STEPS) {
      protectedFrom = i;
      break;
    }
  }
  const toolNames = new Map<string, string>();
  let elided = 0;
  for (let i = 0; i < protectedFrom && total > target; i++) {
    const m = messages[i]!;
    if (i === 0 || i === firstUser) continue;
    if (m.role === 'assistant') for (const c of m.tool_calls ?? []) if (c.type === 'function') toolNames.set(c.id, c.function.name);
    if (m.role === 'assistant' && m.tool_calls?.some((c) => c.type === 'function' && c.function.arguments.length > LONG_ARGUMENTS_CHARS)) {
      const before = messageChars(m);
      const calls = m.tool_calls.map((c) =>
        c.type === 'function' && c.function.arguments.length > LONG_ARGUMENTS_CHARS
          ? { ...c, function: { ...c.function, arguments: elideLongStrings(c.function.arguments) } }
          : c,
      );
      messages[i] = { ...m, tool_calls: calls };
      total -= before - messageChars(messages[i]!);
    } else if (m.role === 'tool' && typeof m.content === 'string' && !ELIDED.test(m.content) && m.content.length > SHORT_OBSERVATION_CHARS) {
      const before = m.content.length;
      const content = `[elided old ${toolNames.get(m.tool_call_id) ?? 'tool'} output, ${before} chars; run the tool again if you need it]`;
      messages[i] = { ...m, content };
      total -= before - content.length;
      elided++;
    }
  }
  return elided;
}

function elideLongStrings(args: string): string {
  try {
    const obj = JSON.parse(args) as Record<string, unknown>;
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'string' && v.length > SHORT_OBSERVATION_CHARS) obj[k] = `[elided ${v.length} chars]`;
    }
    return JSON.stringify(obj);
  } catch {
    return '{}';
  }
}
