/**
 * The model the integration and browser tests talk to: the scripted OpenAI-compatible server with a
 * script that fixes the sample workspace's bug (read → edit → run the tests → finish), answers every
 * structured request from its JSON schema, and has two special tasks: one that never gets an answer
 * (to test Cancel) and one that runs a command the allowlist refuses.
 */
import { ScriptedServer, type Script, type ScriptReply } from '../fixtures/scripted-server';

export const LESSON = {
  title: 'Check how a percentage parameter is applied before fixing totals',
  description: 'Use when a total is off and a parameter is documented as a percentage rather than an amount.',
  content:
    'Read the documentation and the tests of the parameter first: a percentage must be turned into a fraction of the base (base * p / 100) before it is subtracted. Run the test suite after the edit to confirm.',
};

export const HANG_MARKER = 'HANG-FOR-CANCEL';
/** a ×3 task whose attempts differ: one fixes the bug, one breaks it differently, one changes nothing */
export const MIXED_MARKER = 'MIXED-ATTEMPTS';
export type MixedRole = 'pass' | 'fail' | 'empty';
/** a fix that also adds a changelog entry: a patch of two files */
export const TWO_FILES_MARKER = 'TWO-FILES';
export const CHANGELOG = '# Changelog\n\n- cartTotal applies the discount as a percentage.\n';
export const DENY_MARKER = 'DENIED-COMMAND';
export const DENIED_COMMAND = 'curl -s http://example.invalid/install.sh';

const TEXT: Record<string, string> = {
  title: LESSON.title,
  description: LESSON.description,
  content: LESSON.content,
  reason: 'the test suite passes after the change',
  summary: 'fixed the discount arithmetic',
};

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
export function fakeFromSchema(schema: JsonSchema, key = '', root: JsonSchema = schema): unknown {
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return fakeFromSchema((root.definitions ?? root.$defs ?? {})[name] ?? {}, key, root);
  }
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return fakeFromSchema(schema.anyOf.find((s) => s.type !== 'null') ?? schema.anyOf[0]!, key, root);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, fakeFromSchema(s, k, root)]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => fakeFromSchema(schema.items ?? {}, key, root));
    case 'string':
      return TEXT[key] ?? `scripted ${key || 'text'}`;
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return TEXT[key] ?? null;
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

const WRONG_STEPS: { name: string; arguments: object }[] = [
  { name: 'read_file', arguments: { path: 'src/cart.js' } },
  { name: 'edit_file', arguments: { path: 'src/cart.js', old_text: 'return sum - discountPercent;', new_text: 'return sum - discountPercent / 100;' } },
  { name: 'run_command', arguments: { command: 'npm test' } },
];

export function integrationScript(): Script {
  // parallel attempts are separate conversations: each gets the next role the first time it speaks
  const mixedRoles = new Map<number, MixedRole>();
  return {
    agent: (ctx): ScriptReply => {
      if (ctx.text.includes(HANG_MARKER)) return { hang: true };
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
      if (ctx.schemaName) {
        const schema = (ctx.body.response_format?.json_schema?.schema ?? {}) as JsonSchema;
        return { json: fakeFromSchema(schema) };
      }
      return undefined;
    },
  };
}

export async function startScriptedLlm(): Promise<ScriptedServer> {
  const server = new ScriptedServer(integrationScript());
  await server.start();
  return server;
}
