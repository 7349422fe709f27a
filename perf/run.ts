/** `npm run perf`: runs every performance benchmark under perf/ and prints one JSON object (name → figures). */
import * as fs from 'fs';
import * as path from 'path';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  const results: Record<string, unknown> = {};
  for (const file of files) {
    const mod = require(path.join(__dirname, file)) as { run?: () => Promise<object> };
    if (typeof mod.run !== 'function') continue;
    const name = file.replace(/\.ts$/, '');
    process.stderr.write(`perf: ${name}…\n`);
    try {
      results[name] = await mod.run();
    } catch (err) {
      results[name] = { error: err instanceof Error ? err.message : String(err) };
    }
  }
  process.stdout.write(JSON.stringify({ machine: { cpus: require('os').cpus().length, node: process.version }, results }, null, 2) + '\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
