/**
 * Loads sql.js once per process. Its WebAssembly binary sits next to the bundled script (dist/sql-wasm.wasm,
 * copied by esbuild.js) or, when running from source, in node_modules/sql.js/dist.
 */
import * as fs from 'fs';
import * as path from 'path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

function wasmCandidates(file: string): string[] {
  const out = [path.join(__dirname, file)];
  try {
    out.push(path.join(path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm')), file));
  } catch {
    // bundled without node_modules: the copy next to the script is the one
  }
  out.push(path.resolve(__dirname, '..', '..', '..', 'node_modules', 'sql.js', 'dist', file));
  return out;
}

export function locateSqlWasm(file = 'sql-wasm.wasm'): string {
  const candidates = wasmCandidates(file);
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0]!;
}

export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: (file: string) => locateSqlWasm(file) }).catch((err: unknown) => {
    loading = undefined;
    throw new Error(`cannot load sql.js (looked for sql-wasm.wasm in ${wasmCandidates('sql-wasm.wasm').join(', ')}): ${String(err)}`);
  });
  return loading;
}
