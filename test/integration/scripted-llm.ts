/**
 * The model the integration and browser tests talk to: the scripted OpenAI-compatible server with a
 * script that fixes the sample workspace's bug (read → edit → run the tests → finish), answers every
 * structured request from its JSON schema, and has special tasks: one that never gets an answer (to test
 * Cancel), one that runs a command the allowlist refuses, and, for the vscode.lm path, tasks whose
 * structured replies are malformed once or always, and one slow enough that ×k attempts overlap.
 * Through vscode.lm (test/integration/lm-provider) the same script answers; there the JSON schema of a
 * structured request is in the prompt, since the Language Model API has no response_format.
 */
import { contentText, ScriptedServer, type Script, type ScriptContext, type ScriptReply } from '../fixtures/scripted-server';

export const LESSON = {
  title: 'Check how a percentage parameter is applied before fixing totals',
  description: 'Use when a total is off and a parameter is documented as a percentage rather than an amount.',
  content:
    'Read the documentation and the tests of the parameter first: a percentage must be turned into a fraction of the base (base * p / 100) before it is subtracted. Run the test suite after the edit to confirm.',
};

export const HANG_MARKER = 'HANG-FOR-CANCEL';
/** the first structured reply of the run is malformed; the repair round gets a valid one */
export const REPAIR_ONCE_MARKER = 'MALFORMED-ONCE';
/** every structured reply of the run is malformed */
export const NEVER_VALID_MARKER = 'MALFORMED-ALWAYS';
/** each agent turn takes SLOW_TURN_MS, so the attempts of a ×k run are in flight together */
export const SLOW_MARKER = 'SLOW-TURNS';
export const SLOW_TURN_MS = 400;
/** names the vscode.lm runs, so their lessons are told apart from the OpenAI-compatible runs' */
export const VSCODE_LM_MARKER = 'VIA-VSCODE-LM';
/** what the engine says when it asks for a repair (src/engine/llm/structured.ts) */
const REPAIR_REQUEST = 'does not match the required JSON schema';
const MALFORMED_REPLY = 'Here are the lessons you asked for: {"items": "see the trajectory above"}';

/** lesson texts for runs whose issue carries a marker, worded apart so the bank does not merge them */
export const LESSONS_BY_MARKER: Record<string, typeof LESSON> = {
  [VSCODE_LM_MARKER]: {
    title: 'Reproduce a failing assertion before editing arithmetic',
    description: 'Use when one unit test reports a wrong numeric result from a small helper.',
    content: 'Run the single failing test first and note expected versus actual value; derive the formula from that gap, change one expression, and rerun every test.',
  },
  [SLOW_MARKER]: {
    title: 'Prefer the minimal expression change that every attempt converged on',
    description: 'Use when several independent tries at one bug agree on where the defect sits.',
    content: 'Independent tries that touch the same line and pass the suite point at the real defect; keep the smallest such edit and avoid refactoring around it.',
  },
  [REPAIR_ONCE_MARKER]: {
    title: 'Confirm units of inputs documented in prose',
    description: 'Use when a function comment states a unit, scale or range for an argument.',
    content: 'Read comments and README sections describing arguments; when a value is described as a ratio or share, convert it explicitly and cover the conversion with a test.',
  },
};

/** a ×3 task whose attempts differ: one fixes the bug, one breaks it differently, one changes nothing */
export const MIXED_MARKER = 'MIXED-ATTEMPTS';
export type MixedRole = 'pass' | 'fail' | 'empty';
/** a fix that also adds a changelog entry: a patch of two files */
export const TWO_FILES_MARKER = 'TWO-FILES';
export const CHANGELOG = '# Changelog\n\n- cartTotal applies the discount as a percentage.\n';
export const DENY_MARKER = 'DENIED-COMMAND';
export const DENIED_COMMAND = 'curl -s http://example.invalid/install.sh';

function textFor(lesson: typeof LESSON): Record<string, string> {
  return { ...lesson, reason: 'the test suite passes after the change', summary: 'fixed the discount arithmetic' };
}
const TEXT = textFor(LESSON);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minItems?: number;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
  $defs?: Record<string, JsonSchema>;
};

/** A valid value for any schema the engine asks for: the lesson texts for lessons, true for verdicts, 0 for choices. */
export function fakeFromSchema(schema: JsonSchema, key = '', root: JsonSchema = schema, text: Record<string, string> = TEXT): unknown {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return fakeFromSchema((root.definitions ?? root.$defs ?? {})[name] ?? {}, key, root, text);
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return fakeFromSchema(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, key, root, text);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fakeFromSchema(s, k, root, text)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => fakeFromSchema(schema.items ?? {}, key, root, text));
    case 'string':
      return text[key] ?? `scripted ${key || 'text'}`;
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return text[key] ?? null;
  }
}

const FIX_STEPS: { name: string; arguments: object }[] = [
  { name: 'read_file', arguments: { path: 'src/cart.js' } },
  {
    name: 'edit_file',
    arguments: { path: 'src/cart.js', old_text: 'return sum - discountPercent;', new_text: 'return sum - (sum * discountPercent) / 100;' },
  },
  { name: 'run_command', arguments: { command: 'npm test' } },
];

/**
 * The structured request in this chat request, if it is one: named by response_format on the
 * OpenAI-compatible path, or by the instruction the engine appends for vscode.lm (src/server/forwarding-model.ts):
 * `... JSON value named "<name>" ... JSON schema ...:\n<schema>`.
 */
export function structuredAsk(ctx: ScriptContext): { name: string; schema: JsonSchema } | undefined {
  if (ctx.schemaName) return { name: ctx.schemaName, schema: (ctx.body.response_format?.json_schema?.schema ?? {}) as JsonSchema };
  if (ctx.body.tools?.length) return undefined;
  for (const m of [...ctx.body.messages].reverse()) {
    if (m.role !== 'user') continue;
    const hit = /JSON value named "([^"]+)"[^\n]*JSON schema[^\n]*:\n(\{[\s\S]*\})\s*$/.exec(contentText(m.content));
    if (hit) return { name: hit[1]!, schema: JSON.parse(hit[2]!) as JsonSchema };
  }
  return undefined;
}
const WRONG_STEPS: { name: string; arguments: object }[] = [
  { name: 'read_file', arguments: { path: 'src/cart.js' } },
  { name: 'edit_file', arguments: { path: 'src/cart.js', old_text: 'return sum - discountPercent;', new_text: 'return sum - discountPercent / 100;' } },
  { name: 'run_command', arguments: { command: 'npm test' } },
];

export function integrationScript(): Script {
  // parallel attempts are separate conversations: each gets the next role the first time it speaks
  const mixedRoles = new Map<number, MixedRole>();
  return {
    agent: async (ctx): Promise<ScriptReply> => {
      if (ctx.text.includes(HANG_MARKER)) return { hang: true };
      if (ctx.text.includes(SLOW_MARKER)) await new Promise((r) => setTimeout(r, SLOW_TURN_MS));
      if (ctx.text.includes(TWO_FILES_MARKER)) {
        const steps = [...FIX_STEPS.slice(0, 2), { name: 'write_file', arguments: { path: 'CHANGELOG.md', content: CHANGELOG } }, FIX_STEPS[2]!];
        const step = steps[ctx.step];
        if (step) return { toolCalls: [{ name: step.name, arguments: step.arguments }] };
        return { toolCalls: [{ name: 'finish', arguments: { summary: 'fixed, with a changelog entry' } }] };
      }
      if (ctx.text.includes(MIXED_MARKER)) {
        let role = mixedRoles.get(ctx.conversation);
        if (!role) mixedRoles.set(ctx.conversation, (role = (['pass', 'fail', 'empty'] as const)[mixedRoles.size % 3]!));
        const steps = role === 'pass' ? FIX_STEPS : role === 'fail' ? WRONG_STEPS : [];
        const step = steps[ctx.step];
        if (step) return { toolCalls: [{ name: step.name, arguments: step.arguments }] };
        return { toolCalls: [{ name: 'finish', arguments: { summary: role === 'empty' ? 'nothing to change, as far as I can tell' : `done (${role})` } }] };
      }
      if (ctx.text.includes(DENY_MARKER)) {
        if (ctx.step === 0) return { toolCalls: [{ name: 'run_command', arguments: { command: DENIED_COMMAND } }] };
        return { toolCalls: [{ name: 'finish', arguments: { summary: `the command was refused: ${ctx.lastToolResult ?? ''}`.slice(0, 300) } }] };
      }
      const step = FIX_STEPS[ctx.step];
      if (step) return { toolCalls: [{ name: step.name, arguments: step.arguments }] };
      return { toolCalls: [{ name: 'finish', arguments: { summary: 'cartTotal now applies the discount as a percentage; npm test passes' } }] };
    },
    before: (ctx) => {
      const asked = structuredAsk(ctx);
      if (!asked) return undefined;
      const repairRound = ctx.text.includes(REPAIR_REQUEST);
      if (ctx.text.includes(NEVER_VALID_MARKER) || (ctx.text.includes(REPAIR_ONCE_MARKER) && !repairRound)) return { content: MALFORMED_REPLY };
      const marker = Object.keys(LESSONS_BY_MARKER).find((m) => ctx.text.includes(m));
      return { json: fakeFromSchema(asked.schema, '', asked.schema, textFor(marker ? LESSONS_BY_MARKER[marker]! : LESSON)) };
    },
  };
}

export async function startScriptedLlm(): Promise<ScriptedServer> {
  const server = new ScriptedServer(integrationScript());
  await server.start();
  return server;
}
