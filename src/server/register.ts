/**
 * Every method the engine answers, wired to its handler on one endpoint. server.ts gives it the real
 * language-server connection; the tests give it an in-memory one.
 */
import type { LogLevel } from '../engine/types';
import type { EngineEndpoint } from './protocol';
import { rpc } from './errors';
import { MemoryService } from './handlers/memory';
import { applyPatchHandler, patchPartsHandler } from './handlers/patch';
import { solveHandler, tokenFor, type SolveHost } from './handlers/solve';

export const ENGINE_VERSION = '0.1.0';

export function registerHandlers(engine: EngineEndpoint): { log(level: LogLevel, message: string): void } {
  const log = (level: LogLevel, message: string) => engine.notify('server/log', { level, message });
  const warn = (message: string) => log('warn', message);
  const memoryChanged = (memoryFile: string) => engine.notify('memory/changed', { memoryFile });
  const memory = new MemoryService(warn, memoryChanged);

  engine.onRequest('server/info', async () => ({ version: ENGINE_VERSION, pid: process.pid, node: process.version }));
  engine.onRequest('memory/list', (p) => rpc(() => memory.list(p)));
  engine.onRequest('memory/get', (p) => rpc(() => memory.get(p)));
  engine.onRequest('memory/search', (p) => rpc(() => memory.search(p)));
  engine.onRequest('memory/update', (p) => rpc(() => memory.update(p)));
  engine.onRequest('memory/delete', (p) => rpc(() => memory.delete(p)));
  engine.onRequest('memory/add', (p) => rpc(() => memory.add(p)));
  engine.onRequest('memory/export', (p) => rpc(() => memory.export(p)));
  engine.onRequest('memory/import', (p) => rpc(() => memory.import(p)));
  engine.onRequest('patch/apply', (p) => rpc(() => applyPatchHandler(p)));
  engine.onRequest('patch/parts', (p) => rpc(async () => patchPartsHandler(p)));

  const host: SolveHost = {
    event: (ticket, event) => engine.notify('run/event', { ticket, event }),
    askApproval: (params, signal) => engine.request('approval/request', params, tokenFor(signal)),
    complete: (params, signal) => engine.request('model/complete', params, tokenFor(signal)),
    memoryChanged,
    warn,
  };
  engine.onRequest('solve/start', (p, token) => solveHandler(p, token, host));
  return { log };
}
