/**
 * Prompt templates live as Markdown under resources/prompts/ (copied to dist/prompts/ by the build),
 * so they can be reviewed and edited without touching code. `{{name}}` placeholders are filled in.
 */
import * as fs from 'fs';
import * as path from 'path';

const cache = new Map<string, string>();

function promptDirs(): string[] {
  const override = process.env.REASONINGBANK_PROMPTS_DIR;
  return [
    ...(override ? [override] : []),
    path.join(__dirname, 'prompts'), // bundled: dist/prompts
    path.join(__dirname, '..', 'prompts'),
    path.resolve(__dirname, '..', '..', 'resources', 'prompts'), // from src/engine
    path.resolve(__dirname, '..', '..', '..', 'resources', 'prompts'), // from src/engine/<layer>
  ];
}

export function loadPromptTemplate(name: string): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  for (const dir of promptDirs()) {
    const file = path.join(dir, `${name}.md`);
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      cache.set(name, text);
      return text;
    }
  }
  throw new Error(`prompt template "${name}.md" not found (looked in ${promptDirs().join(', ')})`);
}

/** Fills `{{key}}` placeholders; an unknown placeholder is an error so a typo cannot ship silently. */
export function renderPrompt(name: string, vars: Record<string, string | number>): string {
  const template = loadPromptTemplate(name);
  return template
    .replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      if (!(key in vars)) throw new Error(`prompt "${name}" uses {{${key}}} but no value was given`);
      return String(vars[key]);
    })
    .trim();
}
