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
import { lessonsBlock, recallHint, recalledBlock } from './lesson-data';
import type { AgentOutcome, RecallTool, StopReason, TrajectoryStep } from './types';
import type { Workspace } from './confined-worktree';
import { DEFAULT_CONTEXT_BUDGET_CHARS, elideOldObservations } from './context-budget';

export interface RunAgentOptions {
  model: ChatModel;
  workspace: Workspace;
  task: string;
  /** the memory layer's lessons text, given after the task as delimited data; absent or blank = no lessons block */
  lessons?: string;
  /** no lesson was put before the agent but the bank holds this many: the first message says recall may find one */
  unmatchedLessons?: number;
  /** the `recall` tool's source of lessons; absent: recall says there is no memory bank */
  recall?: RecallTool;
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

/** The fixed system prompt: the same for every task, lessons or not (they go in the first user message). */
export function buildSystemPrompt(): string {
  return renderPrompt('agent', {});
}

export function initialMessages(task: string, lessons?: string, unmatchedLessons = 0): ChatMessage[] {
  const block = lessonsBlock(lessons) || recallHint(unmatchedLessons);
  return [
    { role: 'system', content: buildSystemPrompt() },
    { role: 'user', content: block ? `${task}\n\n${block}` : task },
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
  private readonly recalled = new Set<string>();
  private cited: string[] = [];

  constructor(private readonly opts: RunAgentOptions) {
    this.messages = opts.messages ? [...opts.messages] : initialMessages(opts.task, opts.lessons, opts.recall ? opts.unmatchedLessons : 0);
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
      for (const id of result.recalled ?? []) this.recalled.add(id);
      if (result.finish && finish === undefined) {
        finish = result.finish.summary;
        this.cited = result.finish.lessons;
      }
    }
    throwIfAborted(this.opts.signal);
    if (finish !== undefined) throw new Stop('finish', finish);
  }

  private async execute(call: ToolCall, step: number): Promise<ToolOutcome> {
    // after a cancel, every remaining call still gets an answer, or the conversation could not be continued
    if (this.opts.signal?.aborted) return { output: 'Error: cancelled before this call ran', isError: true };
    this.emit({ type: 'tool-call', step, id: call.id, name: call.name, args: call.arguments });
    const recall = this.opts.recall;
    // recalled lessons are data like those of the first message: the same delimiters and escaping
    const asData: RecallTool | undefined = recall && (async (request, signal) => {
      const found = await recall(request, signal);
      return { ...found, text: recalledBlock(found.text) };
    });
    return executeTool(this.opts.workspace, call, this.opts.signal, { recall: asData });
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
      recalled: [...this.recalled],
      cited: this.cited,
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
