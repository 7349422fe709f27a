/**
 * The engine process. The extension starts it on first need (vscode-languageclient, IPC) and speaks the
 * methods in protocol.ts; long runs, k parallel attempts and the sql.js database stay out of the
 * extension host, and a crash here restarts this process, not VS Code.
 */
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { errorMessage } from '../engine/errors';
import { engineEndpoint } from './protocol';
import { ENGINE_VERSION, registerHandlers } from './register';

const connection = createConnection(ProposedFeatures.all);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.None },
  serverInfo: { name: 'reasoningbank-engine', version: ENGINE_VERSION },
}));

const { log } = registerHandlers(engineEndpoint(connection));

process.on('unhandledRejection', (err) => log('error', `unhandled rejection in the engine: ${errorMessage(err)}`));
process.on('uncaughtException', (err) => log('error', `uncaught exception in the engine: ${err.stack ?? err.message}`));

connection.listen();
