/**
 * The agent loop, shaped like mini-swe-agent's default agent: run → step → query → observe.
 * Recoverable trouble (a malformed tool call, a tool error, a command timeout) becomes an observation for
 * the model; terminating events (finish, a reply without tool calls, the step limit, cancel, an endpoint
 * failure) end the run as an outcome — nothing is thrown. The trajectory is appended to its file after
 * every step, whatever happens.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EngineError, errorMessage, isCancelled, throwIfAborted } from '../errors';
import type { EventSink } from '../events';
import type { AssistantReply, ChatMessage, ChatModel, ToolCall } from '../llm/model';
import { renderPrompt } from '../prompts';
import { truncateMiddle } from '../text';
import { redact } from '../memory/redact';
import { executeTool, TOOL_SPECS, type ToolOutcome } from './tools';
import type { AgentOutcome, StopReason, TrajectoryStep } from './types';
import type { Workspace } from './confined-worktree';

export interface RunAgentOptions {
  model: ChatModel;
  workspace: Workspace;
  task: string;
  /** the memory layer's lessons text, injected verbatim; absent or blank = no lessons section */
  lessons?: string;
  /** steps of this call */
  maxSteps: number;
  signal?: AbortSignal;
  events?: EventSink;
  runId?: string;
  /** for events; defaults to the workspace's attempt */
  attempt?: number;
  /** JSONL: one TrajectoryStep appended per step */
  trajectoryFile?: string;
  contextBudgetChars?: number;
  /** continue this conversation (sequential refinement: the caller has appended a user message) */
  messages?: ChatMessage[];
  /** steps already taken in `messages`: this call's steps are numbered from startStep + 1 (outcome.steps counts only this call's) */
  startStep?: number;
}

/** a tool observation longer than this keeps its head and tail */
export const MAX_OBSERVATION_CHARS = 10_000;
const EVENT_OUTPUT_CHARS = 2_000;
export const DEFAULT_CONTEXT_BUDGET_CHARS = 400_000;
/** the latest steps are never elided: the model is working with them */
const KEEP_RECENT_STEPS = 3;

export function buildSystemPrompt(lessons?: string): string {
  const section = lessons?.trim() ? renderPrompt('agent-lessons', { lessons: lessons.trim() }) : '';
  return renderPrompt('agent', { lessons: section });
}

export function initialMessages(task: string, lessons?: string): ChatMessage[] {
  return [
    { role: 'system', content: buildSystemPrompt(lessons) },
    { role: 'user', content: task },
  ];
}

export function runAgent(opts: RunAgentOptions): Promise<AgentOutcome> {
  return new Agent(opts).run();
}

/** Ends the run; thrown inside a step, caught in run(). */
class Stop {
  constructor(
    readonly reason: StopReason,
    readonly summary: string,
    readonly error?: string,
  ) {}
}

class Agent {
  private readonly messages: ChatMessage[];
  private readonly trajectory: TrajectoryStep[] = [];
  private readonly startStep: number;
  private readonly attempt: number;
  private readonly budget: number;
  private lastThought = '';
  private saveFailed = false;

  constructor(private readonly opts: RunAgentOptions) {
    this.messages = opts.messages ? [...opts.messages] : initialMessages(opts.task, opts.lessons);
    this.startStep = opts.startStep ?? 0;
    this.attempt = opts.attempt ?? opts.workspace.attempt;
    this.budget = opts.contextBudgetChars ?? DEFAULT_CONTEXT_BUDGET_CHARS;
  }

  async run(): Promise<AgentOutcome> {
    for (;;) {
      try {
        await this.step();
      } catch (err) {
        return this.outcome(this.asStop(err));
      }
    }
  }

  private async step(): Promise<void> {
    if (this.trajectory.length >= this.opts.maxSteps) {
      throw new Stop('max-steps', this.lastThought);
    }
    throwIfAborted(this.opts.signal);
    const step = this.startStep + this.trajectory.length + 1;
    this.emit({ type: 'step', step });
    const reply = await this.query(step);
    const record: TrajectoryStep = {
      step,
      thought: reply.content,
      actions: [],
      tokens: { prompt: reply.usage.prompt, completion: reply.usage.completion },
      at: new Date().toISOString(),
    };
    try {
      await this.observe(reply, record);
    } finally {
      this.trajectory.push(record);
      this.save(record);
    }
  }

  private async query(step: number): Promise<AssistantReply> {
    elideOldObservations(this.messages, this.budget);
    const reply = await this.opts.model.complete({ messages: this.messages, tools: TOOL_SPECS, signal: this.opts.signal });
    this.messages.push({
      role: 'assistant',
      content: reply.content ?? (reply.toolCalls.length ? null : ''),
      ...(reply.toolCalls.length
        ? {
            tool_calls: reply.toolCalls.map((c) => ({
              id: c.id,
              type: 'function' as const,
              // some servers re-parse the history: a malformed call is kept as {} (the error observation quotes it)
              function: { name: c.name, arguments: isJson(c.arguments) ? c.arguments : '{}' },
            })),
          }
        : {}),
    });
    if (reply.content) {
      this.lastThought = reply.content;
      this.emit({ type: 'assistant', step, text: reply.content });
    }
    return reply;
  }

  private async observe(reply: AssistantReply, record: TrajectoryStep): Promise<void> {
    if (reply.toolCalls.length === 0) throw new Stop('no-tool-call', reply.content ?? '');
    let finish: string | undefined;
    for (const call of reply.toolCalls) {
      const result = await this.execute(call, record.step);
      const output = truncateMiddle(result.output, MAX_OBSERVATION_CHARS);
      this.messages.push({ role: 'tool', tool_call_id: call.id, content: output });
      record.actions.push({ id: call.id, name: call.name, args: call.arguments, output, isError: result.isError });
      this.emit({
        type: 'tool-result',
        step: record.step,
        id: call.id,
        name: call.name,
        output: truncateMiddle(output, EVENT_OUTPUT_CHARS),
        isError: result.isError,
      });
      if (result.finish && finish === undefined) finish = result.finish.summary;
    }
    throwIfAborted(this.opts.signal);
    if (finish !== undefined) throw new Stop('finish', finish);
  }

  private async execute(call: ToolCall, step: number): Promise<ToolOutcome> {
    // after a cancel, every remaining call still gets an answer, or the conversation could not be continued
    if (this.opts.signal?.aborted) return { output: 'Error: cancelled before this call ran', isError: true };
    this.emit({ type: 'tool-call', step, id: call.id, name: call.name, args: call.arguments });
    return executeTool(this.opts.workspace, call, this.opts.signal);
  }

  private asStop(err: unknown): Stop {
    if (err instanceof Stop) return err;
    if (isCancelled(err, this.opts.signal)) return new Stop('cancelled', this.lastThought);
    const message = err instanceof EngineError ? err.message : `agent loop failed: ${errorMessage(err)}`;
    return new Stop('error', this.lastThought, message);
  }

  private outcome(stop: Stop): AgentOutcome {
    return {
      reason: stop.reason,
      summary: stop.summary,
      steps: this.trajectory.length,
      messages: this.messages,
      trajectory: this.trajectory,
      ...(stop.error !== undefined ? { error: stop.error } : {}),
    };
  }

  private save(record: TrajectoryStep): void {
    const file = this.opts.trajectoryFile;
    if (!file || this.saveFailed) return;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.appendFileSync(file, `${JSON.stringify(recordForDisk(record))}\n`);
    } catch (err) {
      this.saveFailed = true; // a full disk must not end the attempt; say so once
      this.opts.events?.({ type: 'log', level: 'warn', message: `cannot write the trajectory to ${file}: ${errorMessage(err)}`, runId: this.opts.runId });
    }
  }

  private emit(
    event:
      | { type: 'step'; step: number }
      | { type: 'assistant'; step: number; text: string }
      | { type: 'tool-call'; step: number; id: string; name: string; args: string }
      | { type: 'tool-result'; step: number; id: string; name: string; output: string; isError: boolean },
  ): void {
    try {
      this.opts.events?.({ ...event, runId: this.opts.runId ?? '', attempt: this.attempt });
    } catch {
      // a broken listener must not stop the agent
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

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
  if (total <= budgetChars * 0.85) return 0;
  const target = budgetChars * 0.6;
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
    if (m.role === 'assistant' && m.tool_calls?.some((c) => c.type === 'function' && c.function.arguments.length > 500)) {
      const before = messageChars(m);
      const calls = m.tool_calls.map((c) =>
        c.type === 'function' && c.function.arguments.length > 500
          ? { ...c, function: { ...c.function, arguments: elideLongStrings(c.function.arguments) } }
          : c,
      );
      messages[i] = { ...m, tool_calls: calls };
      total -= before - messageChars(messages[i]!);
    } else if (m.role === 'tool' && typeof m.content === 'string' && !ELIDED.test(m.content) && m.content.length > 200) {
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
      if (typeof v === 'string' && v.length > 200) obj[k] = `[elided ${v.length} chars]`;
    }
    return JSON.stringify(obj);
  } catch {
    return '{}';
  }
}

/**
 * A step as the run record keeps it: secrets redacted (a read .env file, a token in a command) and each
 * tool argument and observation cut to a size that keeps the record readable; the model saw the whole.
 */
export const MAX_RECORDED_CHARS = 20_000;

function recordForDisk(step: TrajectoryStep): TrajectoryStep {
  const keep = (text: string) => redact(truncateMiddle(text, MAX_RECORDED_CHARS));
  return {
    ...step,
    thought: step.thought === null ? null : keep(step.thought),
    actions: step.actions.map((a) => ({ ...a, args: keep(a.args), output: keep(a.output) })),
  };
}
