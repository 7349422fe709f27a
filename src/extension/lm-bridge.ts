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

async function pickModel(name: string | undefined): Promise<vscode.LanguageModelChat> {
  const all = await vscode.lm.selectChatModels(name ? { family: name } : {});
  const byId = name && !all.length ? (await vscode.lm.selectChatModels({})).filter((m) => m.id === name || m.name === name) : all;
  const model = byId[0];
  if (!model) {
    throw new Error(
      name
        ? `no VS Code language model with family or id "${name}" is available: check reasoningBank.model, or sign in to the extension that provides it`
        : 'no VS Code language model is available (e.g. GitHub Copilot Chat): install and sign in to one, or set reasoningBank.provider to "openai-compatible"',
    );
  }
  return model;
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
  const response = await model.sendRequest(
    messages,
    {
      justification: 'ReasoningBank runs a coding agent on the issue you gave it.',
      ...(tools.length ? { tools, toolMode: vscode.LanguageModelChatToolMode.Auto } : {}),
    },
    token,
  );
  let content = '';
  const toolCalls: AssistantReply['toolCalls'] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) content += part.value;
    else if (part instanceof vscode.LanguageModelToolCallPart) {
      toolCalls.push({ id: part.callId || `call_${toolCalls.length}`, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
    }
  }
  // vscode.lm reports no usage: count with the model's own tokenizer where it offers one
  let prompt = 0;
  let completion = 0;
  try {
    for (const m of messages) prompt += await model.countTokens(m, token);
    completion = await model.countTokens(content || ' ', token);
  } catch {
    prompt = Math.ceil(JSON.stringify(p.messages).length / 4);
    completion = Math.ceil(content.length / 4);
  }
  return { content: content || null, toolCalls, finishReason: toolCalls.length ? 'tool_calls' : 'stop', usage: { prompt, completion } };
}
