/**
 * THE boundary between the VS Code extension and the engine process: every request and notification
 * either side may send, with its parameter and result types. Reading this file tells you everything the
 * extension can do with the engine (and what the engine may ask of the editor). Both sides register and
 * send through the typed helpers at the bottom, so a method name or a shape cannot drift between them.
 *
 * Transport: JSON-RPC over the language-server connection (vscode-languageclient ↔ vscode-languageserver);
 * cancelling a request sends `$/cancelRequest`, which the server turns into an AbortSignal.
 */
import type { EngineEvent } from '../engine/events';
import type { CommandPurpose } from '../engine/agent/types';
import type { LogLevel, ScaleMode, SolveResult } from '../engine/types';
import type { AssistantReply, ChatMessage, ToolSpec } from '../engine/llm/model';
import type { LessonDraft, MemoryItem, Outcome } from '../engine/memory/types';
import type { PatchPart } from '../engine/git/patch-parts';

// ---------------------------------------------------------------------------------------------------
// Shared shapes

export type Provider = 'openai-compatible' | 'vscode-lm';
export type CommandApproval = 'ask' | 'allowlist' | 'auto';

/** How to reach the model; the extension reads settings + SecretStorage and sends this with each call. */
export interface LlmConfig {
  provider: Provider;
  /** empty: OPENAI_BASE_URL from the environment, else OpenAI */
  baseUrl?: string;
  /** from SecretStorage; absent: OPENAI_API_KEY from the environment */
  apiKey?: string;
  model?: string;
  embeddingModel?: string;
  /** requests in flight at once (parallel attempts share them) */
  concurrency?: number;
}

/** Which memory bank: an absolute file path (the extension resolves `reasoningBank.memoryPath`). */
export interface MemoryRef {
  memoryFile: string;
  /** for semantic search; without it search is lexical */
  llm?: LlmConfig;
}

/** A memory item as the tree view shows it (the engine's MemoryItem, unchanged). */
export type MemoryItemDto = MemoryItem;

export interface MemoryPatch {
  title?: string;
  description?: string;
  content?: string;
  pinned?: boolean;
  archived?: boolean;
}

export interface SolveParams {
  /** client-chosen id that tags this run's `run/event` notifications */
  ticket: string;
  /** workspace folder (inside a git work tree) */
  repo: string;
  issue: string;
  k?: number;
  mode?: ScaleMode;
  apply?: boolean;
  memoryFile: string;
  /** empty string: detect */
  testCommand?: string;
  maxSteps?: number;
  linkedFolders?: string[];
  worktreeDir?: string;
  llm: LlmConfig;
  approval: { policy: CommandApproval; allowedCommands: string[] };
  /** network inside the sandbox (`reasoningBank.network`); default "off" */
  network?: 'on' | 'off';
  /** the identity of the memory bank the user confirmed (UntrustedMemory.identity); used while the bank keeps it */
  trustedMemory?: string;
}

/** With error code `untrusted-memory`: the bank that needs confirming, as the extension remembers it. */
export interface UntrustedMemory {
  file: string;
  /** completes "the memory bank FILE …": where it came from */
  reason: string;
  /** the version confirmed; a pull or checkout that brings another one changes it, our own writes do not */
  identity: string;
  /** it had been confirmed, as another identity */
  changed: boolean;
}

/** What `solve --json` prints when the run could not happen or was cancelled. */
export interface SolveErrorResult {
  status: 'error';
  error: SolveError;
}

export interface SolveError {
  code: string;
  message: string;
  untrustedMemory?: UntrustedMemory;
}

export type SolveOutcome = SolveResult | SolveErrorResult;

/** The error of a failed or cancelled run, undefined for a run that finished (resolved or not). */
export function solveErrorOf(r: SolveOutcome): SolveError | undefined {
  return r.status === 'error' ? (r.error ?? { code: 'internal', message: 'the run failed' }) : undefined;
}

export interface RunEventParams {
  ticket: string;
  event: EngineEvent;
}

export interface ApplyPatchParams {
  repo: string;
  patch: string;
  /** only these parts of the patch (ids from `patch/parts`); absent: the whole patch. Empty: refused */
  parts?: string[];
}

export interface ApplyPatchResult {
  applied: boolean;
  files: string[];
  /** some parts of the patch were left out (`parts` named fewer than all of them) */
  partial?: boolean;
  /** why it did not apply (git's message) */
  error?: string;
}

export type { PatchPart };

export interface ApprovalParams {
  ticket: string;
  command: string;
  attempt: number;
  /** absent: the agent's own command; tests-*: the unsandboxed test run that judges an attempt */
  purpose?: CommandPurpose;
}

export interface ApprovalResult {
  allowed: boolean;
  /** shown to the model when denied */
  reason?: string;
  /** the user chose "Always allow this command" */
  always?: boolean;
}

export interface ModelCompleteParams {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  /** a model name/family from settings (vscode.lm selector) */
  model?: string;
  /** JSON mode hint for structured replies */
  json?: boolean;
}

export interface ServerInfo {
  version: string;
  pid: number;
  node: string;
}

// ---------------------------------------------------------------------------------------------------
// The map: method → [params, result]

/** Requests the extension sends to the engine. */
export interface ClientRequests {
  'server/info': [Record<string, never>, ServerInfo];
  'memory/list': [MemoryRef & { includeArchived?: boolean }, MemoryItemDto[]];
  'memory/get': [MemoryRef & { id: string }, MemoryItemDto | null];
  'memory/search': [MemoryRef & { query: string; k?: number }, (MemoryItemDto & { score?: number })[]];
  'memory/update': [MemoryRef & { id: string; patch: MemoryPatch }, MemoryItemDto];
  'memory/delete': [MemoryRef & { id: string }, { deleted: boolean }];
  'memory/add': [MemoryRef & { draft: LessonDraft }, MemoryItemDto];
  'memory/export': [MemoryRef, { jsonl: string; count: number }];
  /** skipped: already in the bank or deleted from it earlier (`deleted` of them) */
  /** restore: the user's own export coming back (source, pin and evidence kept); otherwise lessons from elsewhere */
  'memory/import': [MemoryRef & { jsonl: string; restore?: boolean }, { added: number; skipped: number; deleted: number }];
  /** one task end to end; resolves to the `solve --json` object (also for errors and cancellation) */
  'solve/start': [SolveParams, SolveOutcome];
  'patch/apply': [ApplyPatchParams, ApplyPatchResult];
  /** the parts of a patch a person can choose to apply: each hunk of a text file, other file changes whole */
  'patch/parts': [{ patch: string }, { parts: PatchPart[] }];
}

/** Requests the engine sends to the extension. */
export interface ServerRequests {
  /** command approval ("ask" policy): the user answers in a modal */
  'approval/request': [ApprovalParams, ApprovalResult];
  /** one chat completion through vscode.lm (provider "vscode-lm") */
  'model/complete': [ModelCompleteParams, AssistantReply];
}

/** Notifications the engine sends to the extension. */
export interface ServerNotifications {
  /** live progress of a run (the run view, the status bar, the log) */
  'run/event': RunEventParams;
  /** a memory file was written by this server */
  'memory/changed': { memoryFile: string };
  /** engine log lines outside any run */
  'server/log': { level: LogLevel; message: string };
}

export type OutcomeGroup = Outcome | 'archived';

// ---------------------------------------------------------------------------------------------------
// One typed endpoint per direction: each side may send only its own requests and notifications, and
// must answer the other side's (the shape of Continue's IMessenger<To, From>).

/** The part of CancellationToken both libraries agree on. */
export interface TokenLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** The structural part of a vscode-jsonrpc connection that both ends share. */
export interface Connection {
  sendRequest(method: string, params: unknown, token?: any): Promise<unknown>;
  onRequest(method: string, handler: (params: any, token: any) => unknown): unknown;
  sendNotification(method: string, params: unknown): unknown;
  onNotification(method: string, handler: (params: any) => void): unknown;
}

type NoNotifications = Record<never, never>;
/** method → [params, result] */
type RequestMap<M> = { [K in keyof M]: [unknown, unknown] };

export interface Endpoint<Sends extends RequestMap<Sends>, Answers extends RequestMap<Answers>, Emits, Hears> {
  request<K extends keyof Sends & string>(method: K, params: Sends[K][0], token?: TokenLike): Promise<Sends[K][1]>;
  onRequest<K extends keyof Answers & string>(method: K, handler: (params: Answers[K][0], token: TokenLike) => Promise<Answers[K][1]>): void;
  notify<K extends keyof Emits & string>(method: K, params: Emits[K]): void;
  onNotification<K extends keyof Hears & string>(method: K, handler: (params: Hears[K]) => void): void;
}

/** The extension's end: sends ClientRequests, answers ServerRequests, hears ServerNotifications. */
export type ExtensionEndpoint = Endpoint<ClientRequests, ServerRequests, NoNotifications, ServerNotifications>;
/** The engine's end: answers ClientRequests, sends ServerRequests and ServerNotifications. */
export type EngineEndpoint = Endpoint<ServerRequests, ClientRequests, ServerNotifications, NoNotifications>;

function endpoint(connection: Connection): Endpoint<any, any, any, any> {
  return {
    request: (method, params, token) => connection.sendRequest(method, params, token) as Promise<never>,
    onRequest: (method, handler) => void connection.onRequest(method, handler),
    notify: (method, params) => void connection.sendNotification(method, params),
    onNotification: (method, handler) => void connection.onNotification(method, handler),
  };
}

export const extensionEndpoint = (connection: Connection): ExtensionEndpoint => endpoint(connection);
export const engineEndpoint = (connection: Connection): EngineEndpoint => endpoint(connection);

/** Error data carried by a JSON-RPC error from the engine: the EngineError code. */
export interface EngineErrorData {
  code: string;
}

/** JSON-RPC error code the server uses for EngineErrors (application range). */
export const ENGINE_ERROR = -32001;
