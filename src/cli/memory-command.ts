/**
 * `reasoningbank memory list|search QUERY|show ID|delete ID|export [FILE]|import FILE`: browse and manage the
 * memory bank from scripts and terminals. Read-only subcommands never write the file (a corrupt bank is
 * reported with exit 3 and left alone); delete and import are transactions on it like every other write.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'node:util';
import { usageError } from '../engine/errors';
import { MemoryBank, defaultMemoryPath, type MemoryItem, type RetrievedItem } from '../engine/memory';
import { failure, intFlag } from './errors';
import type { CliIO } from './io';

export const MEMORY_USAGE = `usage: reasoningbank memory list [--all] | search QUERY | show ID | delete ID | export [FILE] | import FILE [--restore]
                          [--memory FILE] [--repo DIR] [--k N] [--json]

  list          the lessons, newest first (--all: archived ones too)
  search QUERY  the lessons a task with this text would retrieve, best first (--k N, default 10)
  show ID       one item in full (an unambiguous id prefix is enough)
  delete ID     delete an item (it cannot come back through an import or another window)
  export [FILE] all items as JSONL, one item a line (stdout without FILE)
  import FILE   JSONL as written by export; every line is validated first, duplicates are skipped; items
                arrive as imported, unpinned, with no uses, wins or losses (they earn their rank here)
  --restore     with import: your own export coming back; keep each item's source, pin and evidence

  --memory FILE the memory file (default <repo>/.reasoningbank/memory.sqlite)
  --repo DIR    the repository whose default memory file to use (default: the current directory)
  --json        machine-readable output`;

export type MemoryIO = Pick<CliIO, 'stdout' | 'stderr' | 'cwd'> & Partial<Pick<CliIO, 'env' | 'signal'>>;

const SUBCOMMANDS = ['list', 'search', 'show', 'delete', 'export', 'import'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];
const READ_ONLY = new Set<Subcommand>(['list', 'search', 'show', 'export']);

export async function memoryCommand(argv: string[], io: MemoryIO): Promise<number> {
  const cli: CliIO = { env: process.env, ...io };
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        memory: { type: 'string' },
        repo: { type: 'string' },
        k: { type: 'string' },
        json: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        restore: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    json = !!values.json;
    if (values.help) {
      io.stdout(MEMORY_USAGE + '\n');
      return 0;
    }
    const [sub, ...args] = positionals;
    if (!sub) throw usageError('which memory subcommand? (list, search, show, delete, export, import)');
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
      throw usageError(`unknown memory subcommand "${sub}" (list, search, show, delete, export, import)`);
    }
    const command = sub as Subcommand;
    const needs = { list: 0, search: 1, show: 1, delete: 1, export: -1, import: 1 }[command];
    if (needs >= 0 && args.length !== needs) {
      throw usageError(needs === 0 ? `"memory ${command}" takes no arguments` : `"memory ${command}" needs exactly one argument`);
    }
    if (needs < 0 && args.length > 1) throw usageError(`"memory export" takes at most one FILE`);
    const k = intFlag('k', values.k, 10, 1, 1000);
    const file = values.memory
      ? path.resolve(io.cwd, values.memory)
      : defaultMemoryPath(path.resolve(io.cwd, values.repo ?? '.'));
    if (values.repo && !values.memory && !fs.existsSync(path.resolve(io.cwd, values.repo))) {
      throw usageError(`--repo ${values.repo}: no such directory`);
    }
    const bank = await MemoryBank.open(file, {
      readOnly: READ_ONLY.has(command),
      onWarn: (m) => io.stderr(`reasoningbank: warning: ${m}\n`),
    });
    try {
      return await run(command, args, { bank, io, json, k, all: !!values.all, restore: !!values.restore });
    } finally {
      bank.close();
    }
  } catch (err) {
    return failure(err, cli, json, 'reasoningbank memory --help');
  }
}

interface Ctx {
  bank: MemoryBank;
  io: MemoryIO;
  json: boolean;
  k: number;
  all: boolean;
  restore: boolean;
}

async function run(command: Subcommand, args: string[], ctx: Ctx): Promise<number> {
  const { bank, io, json } = ctx;
  switch (command) {
    case 'list': {
      const items = await bank.list({ includeArchived: ctx.all });
      if (json) {
        io.stdout(JSON.stringify(items) + '\n');
        return 0;
      }
      const archivedHidden = ctx.all ? 0 : (await bank.list({ includeArchived: true })).length - items.length;
      if (items.length === 0) io.stdout(`no lessons in ${bank.file}${fs.existsSync(bank.file) ? '' : ' (the file does not exist yet)'}\n`);
      else io.stdout(table(items) + '\n');
      const hidden = archivedHidden ? ` (${archivedHidden} archived; --all shows them)` : '';
      if (items.length) io.stdout(`${items.length} item${items.length === 1 ? '' : 's'} in ${bank.file}${hidden}\n`);
      return 0;
    }
    case 'search': {
      const query = args[0]!;
      if (!query.trim()) throw usageError('the search query is empty');
      const found = await bank.search(query, ctx.k);
      if (json) {
        io.stdout(JSON.stringify(found) + '\n');
        return 0;
      }
      if (found.length === 0) io.stdout(`no lesson matches "${query}"\n`);
      else io.stdout(searchTable(found) + '\n');
      return 0;
    }
    case 'show': {
      const item = await resolve(bank, args[0]!);
      io.stdout(json ? JSON.stringify(item) + '\n' : describe(item) + '\n');
      return 0;
    }
    case 'delete': {
      const item = await resolve(bank, args[0]!);
      const deleted = await bank.delete(item.id);
      if (json) io.stdout(JSON.stringify({ deleted, id: item.id }) + '\n');
      else io.stdout(deleted ? `deleted ${item.id}  ${item.title}\n` : `${item.id} was already deleted\n`);
      return 0;
    }
    case 'export': {
      const text = await bank.exportJsonl();
      const count = text ? text.trimEnd().split('\n').length : 0;
      const target = args[0];
      if (!target) {
        io.stdout(text);
        io.stderr(`exported ${count} item${count === 1 ? '' : 's'} from ${bank.file}\n`);
        return 0;
      }
      const out = path.resolve(io.cwd, target);
      if (sameFile(out, bank.file)) {
        throw usageError(`${target} is the memory bank itself (${bank.file}); exporting onto it would replace the bank with text. Give another FILE.`);
      }
      fs.writeFileSync(out, text);
      io.stdout(json ? JSON.stringify({ exported: count, file: out }) + '\n' : `exported ${count} item${count === 1 ? '' : 's'} to ${out}\n`);
      return 0;
    }
    case 'import': {
      const from = path.resolve(io.cwd, args[0]!);
      let text: string;
      try {
        text = fs.readFileSync(from, 'utf8');
      } catch (err) {
        throw usageError(`cannot read ${from}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const res = await bank.importJsonl(text, { restore: ctx.restore });
      io.stdout(
        json
          ? JSON.stringify({ ...res, file: bank.file }) + '\n'
          : `imported ${res.imported} item${res.imported === 1 ? '' : 's'} into ${bank.file}; skipped ${res.skipped} (${res.skipped - res.deleted} already present, ${res.deleted} deleted earlier)\n`,
      );
      return 0;
    }
  }
}

/** The same file by path or, when both exist, by identity (a symlink, a hard link, `./` spellings). */
function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** An exact id, or a prefix (as `list` prints) that names exactly one item. */
async function resolve(bank: MemoryBank, ref: string): Promise<MemoryItem> {
  const exact = await bank.get(ref);
  if (exact) return exact;
  const all = ref.length >= 4 ? (await bank.list({ includeArchived: true })).filter((i) => i.id.startsWith(ref)) : [];
  if (all.length === 1) return all[0]!;
  if (all.length > 1) throw usageError(`"${ref}" matches ${all.length} items (${all.map((i) => i.id).join(', ')}); give more of the id`);
  throw usageError(`no memory item "${ref}" in ${bank.file} (see: reasoningbank memory list)`);
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1) + '…';
}

function table(items: MemoryItem[]): string {
  const rows = items.map((i) => [
    i.id.slice(0, 8),
    i.outcome + (i.archived ? '*' : '') + (i.pinned ? '^' : ''),
    String(i.uses),
    `${i.wins}/${i.losses}`,
    clip(i.title, 70),
  ]);
  const note = items.some((i) => i.archived || i.pinned) ? '\n(* archived, ^ pinned)' : '';
  return columns([['ID', 'OUTCOME', 'USES', 'W/L', 'TITLE'], ...rows]) + note;
}

function searchTable(items: RetrievedItem[]): string {
  return items
    .map((i) => `${i.id.slice(0, 8)}  ${i.outcome.padEnd(10)} ${clip(i.title, 70)}\n          ${clip(i.description, 100)}`)
    .join('\n');
}

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}

function describe(i: MemoryItem): string {
  const flags = [i.pinned ? 'pinned' : '', i.archived ? 'archived' : ''].filter(Boolean).join(', ');
  return [
    i.title,
    `  ${i.description}`,
    '',
    i.content,
    '',
    `id:       ${i.id}`,
    `outcome:  ${i.outcome} (${i.source})${i.kind && i.kind !== 'lesson' ? `, kind ${i.kind}` : ''}${flags ? `, ${flags}` : ''}`,
    `evidence: used ${i.uses}×, ${i.wins} resolved, ${i.losses} unresolved; listed without being used ${i.shown ?? 0}×`,
    `created:  ${i.createdAt}   updated: ${i.updatedAt}`,
    ...(i.task ? [`task:     ${clip(i.task, 300)}`] : []),
    ...(i.lineage.length ? [`lineage:  ${i.lineage.join(', ')}`] : []),
  ].join('\n');
}
