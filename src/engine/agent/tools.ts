/**
 * The agent's eight tools (names and arguments are public: docs/CLI.md, "Agent tools"): their schemas as sent to the
 * model, and one entry point that runs a tool call. Whatever goes wrong with a call — bad JSON, an
 * unknown tool, a missing argument, a refused path, a failing file operation — comes back as an
 * observation starting with "Error:", never as an exception, so the model can correct itself.
 */
import type { ToolCall, ToolSpec } from '../llm/model';
import { errorMessage } from '../errors';
import type { Workspace } from './confined-worktree';
import { ToolError } from './confined-worktree';
import { listFiles, readFile, writeFile } from './tools/files';
import { editFile } from './tools/edit';
import { search } from './tools/search';
import { runCommandTool } from './tools/command';
import type { RecallTool } from './types';

type Param = { type: 'string' | 'integer'; description?: string } | { type: 'array'; items: { type: 'string' }; description?: string };

function tool(name: string, description: string, params: Record<string, Param>, required: string[]): ToolSpec {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties: params, required } } };
}

// Lean on purpose: these schemas are re-sent with every step (docs/ARCHITECTURE.md, "Rules of the house": lean prompts).
export const TOOL_SPECS: ToolSpec[] = [
  tool(
    'list_files',
    'List files (respects .gitignore). Folders past depth show a file count.',
    { path: { type: 'string', description: 'folder (default: repo root)' }, depth: { type: 'integer', description: 'levels, default 3' } },
    [],
  ),
  tool(
    'read_file',
    'Read a file with line numbers, up to 250 lines a call.',
    { path: { type: 'string' }, start_line: { type: 'integer' }, end_line: { type: 'integer' } },
    ['path'],
  ),
  tool(
    'search',
    'Search file contents with an RE2 regex (no lookaround or backreferences; respects .gitignore). Returns path:line: text.',
    { pattern: { type: 'string' }, path: { type: 'string', description: 'file or folder' }, glob: { type: 'string', description: 'file filter, e.g. *.ts' } },
    ['pattern'],
  ),
  tool(
    'edit_file',
    'Replace old_text with new_text. old_text must match the file exactly once: copy it without line numbers, with enough context to be unique.',
    { path: { type: 'string' }, old_text: { type: 'string' }, new_text: { type: 'string' } },
    ['path', 'old_text', 'new_text'],
  ),
  tool('write_file', 'Create or overwrite a file.', { path: { type: 'string' }, content: { type: 'string' } }, ['path', 'content']),
  tool(
    'run_command',
    'Run a non-interactive bash command in the repo root. Long output keeps head and tail.',
    { command: { type: 'string' }, timeout_s: { type: 'integer', description: 'default 120, max 600' } },
    ['command'],
  ),
  tool(
    'recall',
    'Lessons from earlier tasks in full: by id from the lessons index, or by a query in your own words.',
    { ids: { type: 'array', items: { type: 'string' } }, query: { type: 'string' } },
    [],
  ),
  tool(
    'finish',
    'End the task: what you changed and why, or why it cannot be done.',
    { summary: { type: 'string' }, lessons: { type: 'array', items: { type: 'string' }, description: 'ids of lessons you applied' } },
    ['summary'],
  ),
];

export const TOOL_NAMES = TOOL_SPECS.map((t) => (t.type === 'function' ? t.function.name : ''));

export interface ToolOutcome {
  output: string;
  isError: boolean;
  /** set by `finish`: the attempt ends after this reply's other calls; `lessons`: the ids the agent cited */
  finish?: { summary: string; lessons: string[] };
  /** set by `recall`: full ids of the lessons it returned */
  recalled?: string[];
}

/** What the tools reach beyond the worktree: the memory layer's recall, when there is one. */
export interface ToolContext {
  recall?: RecallTool;
}

/** Runs one tool call from the model; never throws (a cancelled command comes back as "[cancelled]"). */
export async function executeTool(
  ws: Workspace,
  call: Pick<ToolCall, 'name' | 'arguments'>,
  signal?: AbortSignal,
  context: ToolContext = {},
): Promise<ToolOutcome> {
  try {
    const args = parseArguments(call);
    if (call.name === 'recall') return await recall(context, args, signal);
    const output = await dispatch(ws, call.name, args, signal);
    if (call.name === 'finish') return { output, isError: false, finish: { summary: String(args.summary), lessons: (args.lessons as string[] | undefined) ?? [] } };
    return { output, isError: false };
  } catch (err) {
    const message = err instanceof ToolError ? err.message : `${call.name} failed: ${errorMessage(err)}`;
    return { output: `Error: ${message}`, isError: true };
  }
}

type Args = Record<string, string | number | string[] | undefined>;

async function recall(context: ToolContext, args: Args, signal?: AbortSignal): Promise<ToolOutcome> {
  if (!context.recall) return { output: 'No memory bank is in use for this run: there are no lessons to recall.', isError: false, recalled: [] };
  const ids = args.ids as string[] | undefined;
  const query = args.query as string | undefined;
  if (!ids?.length && !query?.trim()) throw new ToolError('recall needs "ids" (from the lessons index) or a "query".');
  const found = await context.recall({ ids, query }, signal);
  return { output: found.text, isError: false, recalled: found.ids };
}

function dispatch(ws: Workspace, name: string, a: Args, signal?: AbortSignal): Promise<string> | string {
  const s = (k: string) => a[k] as string;
  const o = (k: string) => a[k] as string | undefined;
  const n = (k: string) => a[k] as number | undefined;
  switch (name) {
    case 'list_files':
      return listFiles(ws, { path: o('path'), depth: n('depth') });
    case 'read_file':
      return readFile(ws, { path: s('path'), start_line: n('start_line'), end_line: n('end_line') });
    case 'search':
      return search(ws, { pattern: s('pattern'), path: o('path'), glob: o('glob') });
    case 'edit_file':
      return editFile(ws, { path: s('path'), old_text: s('old_text'), new_text: s('new_text') });
    case 'write_file':
      return writeFile(ws, { path: s('path'), content: s('content') });
    case 'run_command':
      return runCommandTool(ws, { command: s('command'), timeout_s: n('timeout_s') }, signal);
    case 'finish':
      return 'Finished.';
    default:
      throw new ToolError(`unknown tool "${name}".`);
  }
}

/** Checks a call against its schema; numbers sent as strings ("10") are accepted, as models do that. */
function parseArguments(call: Pick<ToolCall, 'name' | 'arguments'>): Args {
  const spec = TOOL_SPECS.find((t) => t.type === 'function' && t.function.name === call.name);
  if (!spec || spec.type !== 'function') {
    throw new ToolError(`unknown tool "${call.name}". The tools are: ${TOOL_NAMES.join(', ')}.`);
  }
  const raw = call.arguments.trim() === '' ? '{}' : call.arguments;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new ToolError(
      `the arguments of ${call.name} are not valid JSON (${errorMessage(err)}): ${raw.slice(0, 200)}. Send one JSON object, e.g. {"path": "src/a.ts"}.`,
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ToolError(`the arguments of ${call.name} must be a JSON object, got ${raw.slice(0, 100)}.`);
  }
  const params = spec.function.parameters as { properties: Record<string, Param>; required: string[] };
  const given = parsed as Record<string, unknown>;
  const args: Args = {};
  for (const [key, param] of Object.entries(params.properties)) {
    const value = given[key];
    if (value === undefined || value === null) {
      if (params.required.includes(key)) {
        throw new ToolError(`${call.name} needs the argument "${key}" (${param.type}). Required: ${params.required.join(', ')}.`);
      }
      continue;
    }
    if (param.type === 'array') {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string')) {
        throw new ToolError(`${call.name}: "${key}" must be a list of strings, got ${JSON.stringify(value).slice(0, 100)}.`);
      }
      args[key] = list.slice(0, 20);
    } else if (param.type === 'integer') {
      const num = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof num !== 'number' || !Number.isFinite(num)) throw new ToolError(`${call.name}: "${key}" must be an integer, got ${JSON.stringify(value)}.`);
      args[key] = Math.trunc(num);
    } else {
      if (typeof value !== 'string') throw new ToolError(`${call.name}: "${key}" must be a string, got ${JSON.stringify(value).slice(0, 100)}.`);
      args[key] = value;
    }
  }
  return args;
}
