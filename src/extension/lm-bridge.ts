/**
 * The extension's half of provider "vscode-lm": the engine sends `model/complete` with OpenAI-style
 * messages and tools; this turns them into LanguageModelChatMessages and LanguageModelChatTools, calls the
 * model the user picked (`reasoningBank.model` names its id or family; empty: the first one offered), and
 * turns the streamed text and tool calls back. vscode.lm has no system role: the system prompt goes first
 * as a user message. Structured replies are validated by the engine (forwarding-model.ts).
 */
import * as vscode from 'vscode';
import type { AssistantReply, ChatMessage } from '../engine/llm/model';
import type { ModelCompleteParams } from '../server/protocol';

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p: { text?: string }) => (typeof p === 'string' ? p : (p?.text ?? ''))).join('');
  return '';
}

function parseArgs(text: string): object {
  try {
    const v = JSON.parse(text || '{}');
    return v && typeof v === 'object' ? v : { value: v };
  } catch {
    return { _raw: text };
  }
}

/** what the tokenizer should count for a prompt: every message's text and the tool calls' arguments */
function tokenizerText(messages: ChatMessage[]): string {
  return messages
    .flatMap((m) => [
      textOf(m.content),
      ...(m.role === 'assistant' ? (m.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [`${c.function.name} ${c.function.arguments}`] : [])) : []),
    ])
    .join('\n');
}

export function toLmMessages(messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer' || m.role === 'user') {
      out.push(vscode.LanguageModelChatMessage.User(textOf(m.content)));
    } else if (m.role === 'assistant') {
      const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
      const text = textOf(m.content);
      if (text) parts.push(new vscode.LanguageModelTextPart(text));
      for (const tc of m.tool_calls ?? []) {
        if (tc.type === 'function') parts.push(new vscode.LanguageModelToolCallPart(tc.id, tc.function.name, parseArgs(tc.function.arguments)));
      }
      out.push(vscode.LanguageModelChatMessage.Assistant(parts.length ? parts : ''));
    } else if (m.role === 'tool') {
      out.push(vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(m.tool_call_id, [new vscode.LanguageModelTextPart(textOf(m.content))])]));
    }
  }
  return out;
}

/** The model `reasoningBank.model` names (family first, then id or name); empty: the first one offered. */
export async function findChatModel(name: string | undefined): Promise<vscode.LanguageModelChat | undefined> {
  const wanted = name?.trim();
  const byFamily = await vscode.lm.selectChatModels(wanted ? { family: wanted } : {});
  if (byFamily.length || !wanted) return byFamily[0];
  return (await vscode.lm.selectChatModels({})).find((m) => m.id === wanted || m.name === wanted);
}

/** Why no model could be used, and the way out. */
export async function noChatModelMessage(name: string | undefined): Promise<string> {
  const wanted = name?.trim();
  const offered = wanted ? await vscode.lm.selectChatModels({}) : [];
  if (wanted && offered.length) {
    const list = offered.map((m) => `${m.family} (${m.vendor})`).join(', ');
    return `no VS Code language model with family or id "${wanted}" is available (offered: ${list}): run "ReasoningBank: Select language model…" or change reasoningBank.model`;
  }
  return `no VS Code language model is available${wanted ? ` (reasoningBank.model is "${wanted}")` : ''}: install and sign in to an extension that provides one (e.g. GitHub Copilot Chat), or set reasoningBank.provider to "openai-compatible"`;
}

async function pickModel(name: string | undefined): Promise<vscode.LanguageModelChat> {
  const model = await findChatModel(name);
  if (!model) throw new Error(await noChatModelMessage(name));
  return model;
}

/**
 * VS Code (1.100) honours the token given to sendRequest only until the provider is called; a Cancel
 * after that would wait for the whole reply. So the run stops waiting as soon as it is cancelled and
 * leaves the rest of the reply unread.
 */
function untilCancelled<T>(work: Thenable<T>, token: vscode.CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new vscode.CancellationError());
  let sub: vscode.Disposable | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    sub = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
  });
  return Promise.race([Promise.resolve(work), cancelled]).finally(() => sub?.dispose());
}

export async function completeWithVscodeLm(p: ModelCompleteParams, token: vscode.CancellationToken): Promise<AssistantReply> {
  const model = await pickModel(p.model);
  const messages = toLmMessages(p.messages);
  const tools: vscode.LanguageModelChatTool[] = (p.tools ?? [])
    .filter((t) => t.type === 'function')
    .map((t) => {
      const fn = (t as { function: { name: string; description?: string; parameters?: object } }).function;
      return { name: fn.name, description: fn.description ?? fn.name, inputSchema: fn.parameters };
    });
  const response = await untilCancelled(
    model.sendRequest(
      messages,
      {
        justification: 'ReasoningBank runs a coding agent on the issue you gave it.',
        ...(tools.length ? { tools, toolMode: vscode.LanguageModelChatToolMode.Auto } : {}),
      },
      token,
    ),
    token,
  );
  let content = '';
  const toolCalls: AssistantReply['toolCalls'] = [];
  await untilCancelled(
    (async () => {
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) content += part.value;
        else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls.push({ id: part.callId || `call_${toolCalls.length}`, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
        }
      }
    })(),
    token,
  );
  // vscode.lm reports no usage: count with the model's own tokenizer, the whole prompt in one call (each
  // call is a round trip through the workbench: ~8 ms in code-server, 0.8 s for a 100-message prompt
  // counted message by message)
  const promptText = tokenizerText(p.messages);
  const completionText = [content, ...toolCalls.map((c) => `${c.name} ${c.arguments}`)].join('\n');
  let prompt: number;
  let completion: number;
  try {
    [prompt, completion] = await Promise.all([model.countTokens(promptText, token), model.countTokens(completionText || ' ', token)]);
  } catch {
    prompt = Math.ceil(promptText.length / 4);
    completion = Math.ceil(completionText.length / 4);
  }
  return { content: content || null, toolCalls, finishReason: toolCalls.length ? 'tool_calls' : 'stop', usage: { prompt, completion } };
}
