/**
 * memory/* requests: the tree view's reads and edits, over the same MemoryBank the CLI uses. Reads go
 * through a read-only bank (a corrupt file is reported and left alone; a missing one reads as empty and
 * is not created just by browsing); edits through a writable one. The bank re-reads the file when
 * another process (the CLI, another window) changed it.
 */
import { MemoryBank } from '../../engine/memory';
import type { ChatModel } from '../../engine/llm/model';
import { badInput, errorMessage } from '../../engine/errors';
import type { ClientRequests, LlmConfig, MemoryRef } from '../protocol';
import { createChatModel } from '../model-factory';

type Handler<K extends keyof ClientRequests> = (params: ClientRequests[K][0]) => Promise<ClientRequests[K][1]>;

export class MemoryService {
  private readonly banks = new Map<string, MemoryBank>();

  constructor(
    private readonly onWarn: (message: string) => void,
    private readonly onChanged: (memoryFile: string) => void,
  ) {}

  /** embeddings for search when the user configured an embedding model; lexical otherwise */
  private searchModel(llm: LlmConfig | undefined): ChatModel | undefined {
    if (!llm || llm.provider !== 'openai-compatible' || !llm.embeddingModel?.trim()) return undefined;
    try {
      return createChatModel(llm, () => Promise.reject(new Error('the memory service does not chat')), this.onWarn);
    } catch (err) {
      this.onWarn(`memory search uses lexical ranking: ${errorMessage(err)}`);
      return undefined;
    }
  }

  private async bank(ref: MemoryRef, write: boolean): Promise<MemoryBank> {
    if (!ref || typeof ref.memoryFile !== 'string' || !ref.memoryFile) throw badInput('no memory file given');
    const model = this.searchModel(ref.llm);
    const key = `${write ? 'rw' : 'ro'}:${model ? 'emb' : 'lex'}:${ref.memoryFile}`;
    let bank = this.banks.get(key);
    if (!bank) {
      bank = await MemoryBank.open(ref.memoryFile, { model, onWarn: this.onWarn, readOnly: !write });
      this.banks.set(key, bank);
    }
    return bank;
  }

  list: Handler<'memory/list'> = async (p) => (await this.bank(p, false)).list({ includeArchived: !!p.includeArchived });

  get: Handler<'memory/get'> = async (p) => (await this.bank(p, false)).get(p.id);

  search: Handler<'memory/search'> = async (p) => {
    if (typeof p.query !== 'string' || !p.query.trim()) throw badInput('the search query is empty');
    return (await this.bank(p, false)).search(p.query, p.k ?? 20);
  };

  update: Handler<'memory/update'> = async (p) => {
    const item = await (await this.bank(p, true)).update(p.id, p.patch);
    this.onChanged(p.memoryFile);
    return item;
  };

  delete: Handler<'memory/delete'> = async (p) => {
    const deleted = await (await this.bank(p, true)).delete(p.id);
    this.onChanged(p.memoryFile);
    return { deleted };
  };

  add: Handler<'memory/add'> = async (p) => {
    const item = await (await this.bank(p, true)).addManual(p.draft);
    this.onChanged(p.memoryFile);
    return item;
  };

  export: Handler<'memory/export'> = async (p) => {
    const jsonl = await (await this.bank(p, false)).exportJsonl();
    return { jsonl, count: jsonl.split('\n').filter((l) => l.trim()).length };
  };

  import: Handler<'memory/import'> = async (p) => {
    if (typeof p.jsonl !== 'string') throw badInput('nothing to import');
    const res = await (await this.bank(p, true)).importJsonl(p.jsonl, { restore: p.restore === true });
    this.onChanged(p.memoryFile);
    return { added: res.imported, skipped: res.skipped, deleted: res.deleted };
  };
}
