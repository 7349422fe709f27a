import { strict as assert } from 'assert';
import { type EngineError } from '../../src/engine/errors';
import { OpenAIChatModel, resolveLlmSettings } from '../../src/engine/llm/openai-model';
import { distillLessons, lessonsSchema, type DistillInput, type LessonDraft, type MemoryItem } from '../../src/engine/memory';
import { renderFullLessons, renderLessonIndex } from '../../src/engine/memory/lesson-index';
import { toStrictJsonSchema } from '../../src/engine/llm/structured';
import { ScriptedServer, contentText } from '../fixtures/scripted-server';

const SECRET = 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ng0123456789';
const input = (success: boolean): DistillInput => ({
  task: 'The /orders endpoint repeats the last order of page 1 on page 2.',
  success,
  trajectory: `step 1 read_file src/orders.js\nstep 2 run_command GITHUB_TOKEN=${SECRET} npm test\nstep 3 edit_file offset = page * size + 1`,
  patch: '--- a/src/orders.js\n+++ b/src/orders.js\n-  const offset = page * size + 1;\n+  const offset = page * size;',
  testsSummary: success ? 'tests exit 0 (12 passed, 0 failed)' : 'tests exit 1 (11 passed, 1 failed)',
  judgeReason: success ? 'the pagination test passes' : 'the hidden pagination test still fails',
});

const ITEMS = [
  { title: 'Check slice bounds at page edges', description: 'Use when paginated results repeat or skip rows.', content: 'Compare two consecutive pages in a test. Offsets are page times size, without +1.' },
  { title: 'Run the full suite', description: 'Before finishing any fix.', content: 'Targeted tests miss regressions elsewhere.' },
];

describe('memory distillation', () => {
  let server: ScriptedServer;
  const model = () => {
    const settings = resolveLlmSettings({ baseUrl: server.url, model: 'scripted' }, {});
    settings.maxRetries = 0;
    return OpenAIChatModel.create(settings);
  };
  const prompts = () => server.structuredRequests('memory_items').map((r) => r.body.messages.map((m: { content: unknown }) => contentText(m.content)).join('\n'));

  before(async () => {
    server = new ScriptedServer();
    await server.start();
  });
  after(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
  });

  for (const success of [true, false]) {
    it(`asks for at most 3 items with the ${success ? 'success' : 'failure'} prompt, with redacted inputs`, async () => {
      server.setScript({ structured: { memory_items: () => ({ json: { items: ITEMS } }) } });
      const drafts = await distillLessons(model(), input(success));
      assert.deepEqual(drafts, ITEMS);
      const [req] = server.structuredRequests('memory_items');
      assert.ok(req);
      const schema = req.body.response_format.json_schema.schema;
      assert.deepEqual(Object.keys(schema.properties.items.items.properties), ['title', 'description', 'content']);
      assert.equal(schema.properties.items.maxItems, 3);
      const [prompt] = prompts();
      assert.match(prompt!, success ? /SUCCEEDED/ : /FAILED/);
      assert.match(prompt!, success ? /what made it work/i : /reflect on why it failed/i);
      assert.match(prompt!, /no file names/i, 'asks for generic lessons');
      assert.ok(prompt!.includes('page * size + 1'), 'the patch and trajectory are sent');
      assert.ok(!JSON.stringify(req.body).includes(SECRET), 'secrets are redacted before sending');
      assert.ok(prompt!.length < 6000, 'lean prompt');
    });
  }

  it('a reply with too many items gets one repair request, then a clear error', async () => {
    const four = [...ITEMS, ...ITEMS];
    let calls = 0;
    server.setScript({ structured: { memory_items: () => (++calls === 1 ? { json: { items: four } } : { json: { items: ITEMS.slice(0, 1) } }) } });
    assert.deepEqual(await distillLessons(model(), input(true)), ITEMS.slice(0, 1));
    assert.equal(calls, 2);

    server.setScript({ structured: { memory_items: () => ({ json: { items: four } }) } });
    await assert.rejects(distillLessons(model(), input(false)), (e: EngineError) => e.code === 'model-reply' && /memory_items/.test(e.message));
  });

  it('lessonsSchema takes the item limit as a parameter', () => {
    const five = lessonsSchema(5);
    assert.equal(five.safeParse({ items: [...ITEMS, ...ITEMS, ITEMS[0]] }).success, true);
    assert.equal(five.safeParse({ items: [...ITEMS, ...ITEMS, ...ITEMS] }).success, false);
    assert.equal(lessonsSchema().safeParse({ items: [{ title: 't', description: 'd' }] }).success, false);
    const json = toStrictJsonSchema(lessonsSchema(5)) as { properties: { items: { maxItems: number } } };
    assert.equal(json.properties.items.maxItems, 5);
  });

  it('renders the best lesson in full and the others as index lines with provenance and evidence, capping a huge one', () => {
    assert.equal(renderLessonIndex([]), '');
    const item = (id: string, d: LessonDraft, extra: Partial<MemoryItem> = {}) => ({ id, ...d, source: 'single' as const, uses: 0, wins: 0, losses: 0, ...extra });
    const text = renderLessonIndex([
      item('aaaaaaaa-1111', ITEMS[0]!, { uses: 3, wins: 2, losses: 1 }),
      item('bbbbbbbb-2222', { title: 'Huge', description: 'When huge.', content: 'word '.repeat(2000) }, { source: 'import' }),
      item('cccccccc-3333', { title: 'Typed in', description: 'When typing.\nNew line here', content: 'never shown in the index' }, { source: 'manual' }),
    ]);
    assert.match(text, /^\[aaaaaaaa\] Check slice bounds at page edges\nWhen: Use when paginated results repeat or skip rows\.\nFrom: distilled here; won 2, lost 1 of 3\nCompare two consecutive pages/);
    assert.match(text, /\n- \[bbbbbbbb\] Huge — When huge\. \(imported; unused\)\n- \[cccccccc\] Typed in — When typing\. New line here \(manual; unused\)$/);
    assert.doesNotMatch(text, /word word|never shown/, 'index lines carry no content');
    const full = renderFullLessons([item('bbbbbbbb-2222', { title: 'Huge', description: 'When huge.', content: 'word '.repeat(2000) })]);
    assert.ok(full.length < 900, `a lesson in full stays near 200 tokens (${full.length} chars)`);
  });
});
