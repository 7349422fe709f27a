import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MemoryBank, taskHash } from '../../src/engine/memory';
import { ReasoningBankMemory } from '../../src/engine/memory/reasoningbank';
import { shortId } from '../../src/engine/memory/lesson-index';

const DATES = { title: 'Format dates in the user time zone', description: 'Use when a calendar shows events a day early.', content: 'Take the day in the user zone, not in UTC.' };
const MONEY = { title: 'Keep money in integer cents', description: 'Use when totals are a cent off.', content: 'Sum integers and round once at the boundary.' };
const BATCH = { title: 'Flush the last partial batch', description: 'Use when the final items of a stream never arrive.', content: 'After the loop, send what is left.' };

describe('lessons the agent chooses from: index, recall, credit for what was used', () => {
  let dir: string;
  let bank: MemoryBank;
  let ids: { dates: string; money: string; batch: string };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-recall-'));
    bank = await MemoryBank.open(path.join(dir, 'memory.sqlite'));
    const [d] = await bank.add([DATES], { outcome: 'success', source: 'single', task: 'Calendar shows meetings one day early' });
    const [m] = await bank.add([MONEY], { outcome: 'success', source: 'single', task: 'Invoice total is a cent off' });
    const [b] = await bank.add([BATCH], { outcome: 'failure', source: 'single', task: 'Export misses its last rows' });
    ids = { dates: d!.id, money: m!.id, batch: b!.id };
  });
  afterEach(() => {
    bank.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('retrieve shows the best lesson in full and the others as index lines', async () => {
    const memory = new ReasoningBankMemory(bank);
    const got = await memory.retrieve('calendar events shown a day early; the day is taken in UTC, not the user zone', { k: 8 });
    assert.equal(got.ids[0], ids.dates);
    assert.deepEqual(got.full, [ids.dates]);
    assert.match(got.prompt, new RegExp(`^\\[${shortId(ids.dates)}\\] Format dates in the user time zone\\n`));
    assert.match(got.prompt, /Take the day in the user zone, not in UTC\./);
    const none = await memory.retrieve('dark mode toggle forgets my choice', { k: 8 });
    assert.deepEqual([none.ids, none.prompt], [[], ''], 'nothing above the floor: no lessons block');
    // two shared terms are not enough to be put before the agent unasked, but the agent's own search finds it
    const weak = 'integer overflow in the cents column';
    assert.deepEqual((await memory.retrieve(weak, { k: 8 })).ids, []);
    assert.deepEqual((await memory.recall({ query: weak })).ids, [ids.money]);
  });

  it('a weaker match (three shared terms, not four) is only listed: no lesson in full, none counted as used', async () => {
    const memory = new ReasoningBankMemory(bank);
    const got = await memory.retrieve('the invoice total is wrong by a cent', { k: 8 });
    assert.deepEqual(got.ids, [ids.money]);
    assert.deepEqual(got.full, []);
    assert.match(got.prompt, new RegExp(`^Lessons that may apply, none a close match \\(open with recall by id\\):\\n- \\[${shortId(ids.money)}\\] Keep money in integer cents — `));
    assert.doesNotMatch(got.prompt, /Sum integers and round once/, 'the content stays out until the agent opens it');
    const strong = await memory.retrieve('the invoice total is wrong by a cent: sum integer cents', { k: 8 });
    assert.deepEqual(strong.full, [ids.money], 'four shared terms: shown in full');
  });

  it('when nothing clears the floor it says how many lessons the agent could still recall (leave-one-out respected)', async () => {
    const none = await new ReasoningBankMemory(bank).retrieve('dark mode toggle forgets my choice', { k: 8 });
    assert.deepEqual([none.ids, none.prompt, none.unmatched], [[], '', 3]);
    const shown = await new ReasoningBankMemory(bank).retrieve('calendar events shown a day early; the day is taken in UTC, not the user zone', { k: 8 });
    assert.equal(shown.unmatched, undefined, 'lessons were shown: no hint');
    const leaveOneOut = new ReasoningBankMemory(bank, { excludeTaskHash: taskHash('Invoice total is a cent off') });
    assert.equal((await leaveOneOut.retrieve('dark mode toggle forgets my choice', { k: 8 })).unmatched, 2);
    await bank.update(ids.dates, { archived: true });
    await bank.update(ids.batch, { archived: true });
    assert.equal((await leaveOneOut.retrieve('dark mode toggle forgets my choice', { k: 8 })).unmatched, undefined, 'nothing left to recall');
  });

  it('recall returns full lessons by full or short id, or by the agent\'s own query; at most three', async () => {
    const memory = new ReasoningBankMemory(bank);
    const byId = await memory.recall({ ids: [shortId(ids.money), `[${shortId(ids.batch)}]`, 'nope-nope'] });
    assert.deepEqual(byId.ids, [ids.money, ids.batch]);
    assert.match(byId.text, /Sum integers and round once at the boundary\./);
    assert.match(byId.text, /After the loop, send what is left\./);
    assert.match(byId.text, /No lesson with id nope-nope\./);
    const byQuery = await memory.recall({ query: 'totals are a cent off; keep money as integer cents' });
    assert.deepEqual(byQuery.ids, [ids.money]);
    assert.deepEqual((await memory.recall({ ids: ['abc'] })).ids, [], 'a prefix shorter than a short id matches nothing');
    assert.match((await memory.recall({ query: 'bluetooth headset buttons' })).text, /No lesson found; go on without one\./);
  });

  it('recall respects leave-one-out: lessons of the excluded task are never returned, by id or by query', async () => {
    const memory = new ReasoningBankMemory(bank, { excludeTaskHash: taskHash('Invoice total is a cent off') });
    assert.deepEqual((await memory.recall({ ids: [ids.money, shortId(ids.money)] })).ids, []);
    assert.deepEqual((await memory.recall({ query: 'totals are a cent off; keep money as integer cents' })).ids, []);
    assert.deepEqual((await memory.recall({ ids: [ids.dates] })).ids, [ids.dates]);
  });

  it('credits wins and losses only to lessons used; lessons only listed count as shown', async () => {
    await bank.recordRun({
      runId: 'r1',
      task: 't',
      status: 'resolved',
      steps: 3,
      tokens: { prompt: 1, completion: 1 },
      retrieved: [ids.dates, ids.money, ids.batch],
      added: [],
      used: [ids.dates, ids.batch],
    });
    await bank.recordRun({ runId: 'r2', task: 't', status: 'unresolved', steps: 3, tokens: { prompt: 1, completion: 1 }, retrieved: [ids.money], added: [], used: [] });
    const get = async (id: string) => {
      const i = (await bank.get(id))!;
      return [i.uses, i.wins, i.losses, i.shown];
    };
    assert.deepEqual(await get(ids.dates), [1, 1, 0, 0]);
    assert.deepEqual(await get(ids.batch), [1, 1, 0, 0]);
    assert.deepEqual(await get(ids.money), [0, 0, 0, 2], 'listed twice, never opened: no win, no loss');
    const runs = await bank.runs();
    assert.deepEqual(runs.map((r) => r.used), [[ids.dates, ids.batch], []]);
    // a record without `used` (an older caller) uses every retrieved item
    await bank.recordRun({ runId: 'r3', task: 't', status: 'unresolved', steps: 1, tokens: { prompt: 1, completion: 1 }, retrieved: [ids.money], added: [] });
    assert.deepEqual(await get(ids.money), [1, 0, 1, 2]);
  });
});
