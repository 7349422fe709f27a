/**
 * The engine process. The extension starts it on first need (vscode-languageclient, IPC) and speaks the
 * methods in protocol.ts; long runs, k parallel attempts and the sql.js database stay out of the
 * extension host, and a crash here restarts this process, not VS Code.
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { errorMessage } from '../engine/errors';
import { onRequest, sendNotification, sendRequest } from './protocol';
import { rpc } from './errors';
import { MemoryService } from './handlers/memory';
import { applyPatchHandler } from './handlers/patch';
import { solveHandler, tokenFor, type SolveHost } from './handlers/solve';

const connection = createConnection(ProposedFeatures.all);
const VERSION = '0.1.0';

const log = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => sendNotification(connection, 'server/log', { level, message });
const warn = (message: string) => log('warn', message);
const memoryChanged = (memoryFile: string) => sendNotification(connection, 'memory/changed', { memoryFile });

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.None },
  serverInfo: { name: 'reasoningbank-engine', version: VERSION },
}));

const memory = new MemoryService(warn, memoryChanged);

onRequest(connection, 'server/info', async () => ({ version: VERSION, pid: process.pid, node: process.version }));
onRequest(connection, 'memory/list', (p) => rpc(() => memory.list(p)));
onRequest(connection, 'memory/get', (p) => rpc(() => memory.get(p)));
onRequest(connection, 'memory/search', (p) => rpc(() => memory.search(p)));
onRequest(connection, 'memory/update', (p) => rpc(() => memory.update(p)));
onRequest(connection, 'memory/delete', (p) => rpc(() => memory.delete(p)));
onRequest(connection, 'memory/add', (p) => rpc(() => memory.add(p)));
onRequest(connection, 'memory/export', (p) => rpc(() => memory.export(p)));
onRequest(connection, 'memory/import', (p) => rpc(() => memory.import(p)));
onRequest(connection, 'patch/apply', (p) => rpc(() => applyPatchHandler(p)));

const host: SolveHost = {
  event: (ticket, event) => sendNotification(connection, 'run/event', { ticket, event }),
  askApproval: (params, signal) => sendRequest(connection, 'approval/request', params, tokenFor(signal)),
  complete: (params, signal) => sendRequest(connection, 'model/complete', params, tokenFor(signal)),
  memoryChanged,
  warn,
};
onRequest(connection, 'solve/start', (p, token) => solveHandler(p, token, host));

process.on('unhandledRejection', (err) => log('error', `unhandled rejection in the engine: ${errorMessage(err)}`));
process.on('uncaughtException', (err) => log('error', `uncaught exception in the engine: ${err.stack ?? err.message}`));

connection.listen();
