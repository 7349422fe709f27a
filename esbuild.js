// Bundles the extension, the engine server and the CLI, and copies the run-time assets into dist/.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // sql.js looks for these Node built-ins only in the browser branch
  external: ['vscode'],
};

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

function copyAssets() {
  const dist = path.join(__dirname, 'dist');
  fs.mkdirSync(dist, { recursive: true });
  fs.cpSync(path.join(__dirname, 'resources', 'prompts'), path.join(dist, 'prompts'), { recursive: true });
  const wasm = require.resolve('sql.js/dist/sql-wasm.wasm');
  fs.copyFileSync(wasm, path.join(dist, 'sql-wasm.wasm'));
  const media = path.join(__dirname, 'media');
  if (fs.existsSync(media)) fs.cpSync(media, path.join(dist, 'media'), { recursive: true });
}

async function main() {
  const present = entries.filter((e) => fs.existsSync(e.entryPoints[0]));
  if (watch) {
    for (const e of present) {
      const ctx = await esbuild.context({ ...common, ...e });
      await ctx.watch();
    }
    copyAssets();
    return;
  }
  await Promise.all(present.map((e) => esbuild.build({ ...common, ...e })));
  copyAssets();
  fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
