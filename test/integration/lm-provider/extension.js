// A language-model provider for the integration tests only: it offers two chat models through vscode.lm
// (proposed API "chatProvider", enabled for this extension with code-server's --enable-proposed-api) and
// answers each request by handing it, as an OpenAI Chat Completions request, to the tests' scripted server
// (RB_SCRIPTED_LLM_URL), so the same script decides the replies on both provider paths. It stands where
// GitHub Copilot Chat stands for a user: ReasoningBank reaches it only through vscode.lm.
//
// Its exports let the in-host tests see what crossed vscode.lm: every request with its conversation, when
// it started and ended, and whether the caller's cancellation token fired while it was in flight.
'use strict';
const vscode = require('vscode');

const VENDOR = 'scripted';
const MODELS = [
  { id: 'scripted-tools', family: 'scripted', name: 'Scripted (tools)' },
  { id: 'scripted-mini', family: 'scripted-mini', name: 'Scripted mini' },
];

// parts cross the extension host's RPC on their way here: recognise them by shape, not by class
function isText(part) {
  return !!part && typeof part.value === 'string';
}
function isToolCall(part) {
  return !!part && typeof part.callId === 'string' && typeof part.name === 'string' && 'input' in part;
}
function isToolResult(part) {
  return !!part && typeof part.callId === 'string' && Array.isArray(part.content);
}

function partsOf(message) {
  return typeof message.content === 'string' ? [new vscode.LanguageModelTextPart(message.content)] : message.content;
}

/** vscode.lm messages → OpenAI chat messages (tool results become "tool" messages, as the server expects). */
function toOpenAi(messages) {
  const out = [];
  for (const m of messages) {
    const parts = partsOf(m);
    const text = parts.filter(isText).map((p) => p.value).join('');
    if (m.role === vscode.LanguageModelChatMessageRole.Assistant) {
      const calls = parts.filter(isToolCall).map((p) => ({ id: p.callId, type: 'function', function: { name: p.name, arguments: JSON.stringify(p.input ?? {}) } }));
      out.push({ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const r of parts.filter(isToolResult)) {
      const content = r.content.map((c) => (isText(c) ? c.value : typeof c === 'string' ? c : '')).join('');
      out.push({ role: 'tool', tool_call_id: r.callId, content });
    }
    if (text || !parts.some(isToolResult)) out.push({ role: 'user', content: text });
  }
  return out;
}

function conversationOf(messages) {
  for (const m of messages) for (const c of m.tool_calls ?? []) {
    const hit = /^call_c(\d+)_/.exec(c.id);
    if (hit) return Number(hit[1]);
  }
  return null;
}

function activate() {
  const url = process.env.RB_SCRIPTED_LLM_URL;
  const stats = { requests: [], inFlight: 0, maxInFlight: 0 };
  let registrations = [];

  const providerFor = (model) => ({
    async provideLanguageModelResponse(messages, options, extensionId, progress, token) {
      if (!url) throw new Error('scripted-lm: RB_SCRIPTED_LLM_URL is not set in the extension host environment');
      const body = {
        model: `vscode-lm/${model.id}`,
        messages: toOpenAi(messages),
        ...(options.tools && options.tools.length
          ? { tools: options.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.inputSchema ?? { type: 'object', properties: {} } } })) }
          : {}),
      };
      const record = {
        model: model.id,
        extensionId,
        conversation: conversationOf(body.messages),
        tools: (body.tools ?? []).length,
        text: body.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'),
        startedAt: Date.now(),
        endedAt: undefined,
        cancelled: false,
      };
      stats.requests.push(record);
      stats.inFlight++;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => {
        record.cancelled = true;
        abort.abort();
      });
      try {
        const res = await fetch(`${url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: abort.signal,
        });
        const reply = await res.json();
        if (!res.ok) throw new Error(`scripted-lm: HTTP ${res.status}: ${reply?.error?.message ?? 'error'}`);
        const message = reply.choices[0].message;
        if (message.content) progress.report({ index: 0, part: new vscode.LanguageModelTextPart(message.content) });
        for (const c of message.tool_calls ?? []) {
          progress.report({ index: 0, part: new vscode.LanguageModelToolCallPart(c.id, c.function.name, JSON.parse(c.function.arguments || '{}')) });
        }
      } finally {
        record.endedAt = Date.now();
        stats.inFlight--;
        sub.dispose();
      }
    },
    async provideTokenCount(text) {
      const s = typeof text === 'string' ? text : partsOf(text).map((p) => (isText(p) ? p.value : JSON.stringify(p))).join('');
      return Math.ceil(s.length / 4);
    },
  });

  const register = () => {
    registrations = MODELS.map((m) =>
      vscode.lm.registerChatModelProvider(m.id, providerFor(m), {
        vendor: VENDOR,
        name: m.name,
        family: m.family,
        version: '1',
        maxInputTokens: 128000,
        maxOutputTokens: 8192,
        isUserSelectable: true,
        capabilities: { toolCalling: true },
      }),
    );
  };
  register();

  return {
    vendor: VENDOR,
    models: MODELS,
    stats,
    /** forget what was recorded so far */
    reset() {
      stats.requests.length = 0;
      stats.maxInFlight = stats.inFlight;
    },
    /** withdraw the models (false) or offer them again (true), as when Copilot is signed out or back in */
    setAvailable(available) {
      for (const r of registrations) r.dispose();
      registrations = [];
      if (available) register();
    },
  };
}

module.exports = { activate, deactivate() {} };
